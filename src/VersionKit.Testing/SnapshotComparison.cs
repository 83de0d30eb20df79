using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Testing;

/// <summary>
/// Compares what was rendered with the verified files, writes received files, accepts them when told, and fails with a
/// diff: for each version of a JSON snapshot (<see cref="VersionSnapshots"/>) and for a plain-text one (<see cref="TextSnapshot"/>).
/// </summary>
internal static class SnapshotComparison
{
    private const string Verified = ".verified.json";
    private const string Received = ".received.json";
    private const int MaxLinesPerFailure = 80;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private sealed record Failure(string Title, string? Verified, string Received)
    {
        /// <summary>What <paramref name="subject"/> received, against the file at <paramref name="verifiedPath"/> (<paramref name="verified"/>: <see langword="null"/> when there is none).</summary>
        public static Failure Of(string subject, string verifiedPath, string? verified, string received) => verified is null
            ? new Failure($"{subject}: no verified snapshot yet ({verifiedPath}); received:", null, received)
            : new Failure($"{subject} differs from {verifiedPath}:", verified, received);
    }

    /// <summary>Throws <see cref="SnapshotMismatchException"/> unless every rendering matches its verified snapshot.</summary>
    public static void Verify(SnapshotLocation location, SnapshotSettings settings, IReadOnlyList<(ApiVersion Version, string Text)> renderings)
    {
        var failures = settings.Layout == SnapshotLayout.Combined
            ? CompareCombined(location, settings.ShouldAccept, renderings)
            : ComparePerVersion(location, settings.ShouldAccept, renderings);
        if (failures.Count == 0)
        {
            return;
        }

        var message = new StringBuilder();
        message.Append(location.Name).Append(": the snapshot does not match at ").AppendJoin(", ", failures.Select(f => f.Label))
            .Append(" (").Append(renderings.Count).Append(renderings.Count == 1 ? " version" : " versions").Append(" rendered).\n")
            .Append("Each .received.json is written beside its .verified.json. Review it; to accept every received file as verified, ")
            .Append(HowToAccept("the .verified.json"));
        foreach (var (_, _, failure) in failures)
        {
            Append(message, failure);
        }

        throw new SnapshotMismatchException(message.ToString(), [.. failures.Where(f => f.Version is not null).Select(f => f.Version!.Value)]);
    }

    /// <summary>
    /// Throws <see cref="SnapshotMismatchException"/> unless <paramref name="received"/> (LF line endings) matches the file at
    /// <paramref name="verifiedPath"/> read with LF line endings, or is accepted.
    /// </summary>
    public static void VerifyText(string verifiedPath, string receivedPath, string received, bool accept)
    {
        if (Settle(verifiedPath, receivedPath, received, ReadText, accept, out string? verified))
        {
            return;
        }

        string fileName = Path.GetFileName(verifiedPath);
        var message = new StringBuilder();
        message.Append(fileName).Append(verified is null ? ": the text has no snapshot yet.\n" : ": the text does not match its snapshot.\n")
            .Append("What was received is in ").Append(receivedPath).Append(". Review it; to accept it as verified, ")
            .Append(HowToAccept(fileName));
        Append(message, Failure.Of(fileName, verifiedPath, verified, received));
        throw new SnapshotMismatchException(message.ToString(), []);
    }

    /// <summary>What a stored file says, read as if written here: any line endings, with or without a byte order mark.</summary>
    public static string ReadText(string path) => File.ReadAllText(path, Encoding.UTF8).ReplaceLineEndings("\n");

    private static List<(ApiVersion? Version, string Label, Failure Failure)> ComparePerVersion(SnapshotLocation location, bool accept, IReadOnlyList<(ApiVersion Version, string Text)> renderings)
    {
        var failures = new List<(ApiVersion?, string, Failure)>();
        foreach (var (version, text) in renderings)
        {
            string verifiedPath = location.PathOf($".{version}{Verified}");
            if (!Settle(verifiedPath, location.PathOf($".{version}{Received}"), text, SnapshotJson.ReadFile, accept, out string? verified))
            {
                failures.Add((version, version.ToString(), Failure.Of($"Version {version}", verifiedPath, verified, text)));
            }
        }

        return failures;
    }

    private static List<(ApiVersion? Version, string Label, Failure Failure)> CompareCombined(SnapshotLocation location, bool accept, IReadOnlyList<(ApiVersion Version, string Text)> renderings)
    {
        var combined = new JsonObject();
        foreach (var (version, rendering) in renderings)
        {
            combined[version.ToString()] = SnapshotJson.Parse(Encoding.UTF8.GetBytes(rendering));
        }

        string text = SnapshotJson.Write(combined);
        string verifiedPath = location.PathOf(Verified);
        if (Settle(verifiedPath, location.PathOf(Received), text, SnapshotJson.ReadFile, accept, out string? verified))
        {
            return [];
        }

        if (verified is null)
        {
            return [.. renderings.Select(r => ((ApiVersion?)r.Version, r.Version.ToString(), Failure.Of($"Version {r.Version}", verifiedPath, null, r.Text)))];
        }

        JsonObject? sections;
        try
        {
            sections = SnapshotJson.Parse(Encoding.UTF8.GetBytes(verified)) as JsonObject;
        }
        catch (JsonException)
        {
            sections = null;
        }

        if (sections is null)
        {
            return [(null, "the file", new Failure($"{verifiedPath} is not an object of versions; the whole file differs:", verified, text))];
        }

        var failures = new List<(ApiVersion?, string, Failure)>();
        foreach (var (version, rendering) in renderings)
        {
            string key = version.ToString();
            if (!sections.TryGetPropertyValue(key, out var section))
            {
                failures.Add((version, key, new Failure($"Version {version}: not in {verifiedPath} yet; received:", null, rendering)));
            }
            else if (SnapshotJson.Write(section) is var verifiedSection && verifiedSection != rendering)
            {
                failures.Add((version, key, new Failure($"Version {version} differs from its part of {verifiedPath}:", verifiedSection, rendering)));
            }
        }

        var rendered = renderings.Select(r => r.Version.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, _) in sections.Where(s => !rendered.Contains(s.Key)))
        {
            failures.Add((null, key, new Failure($"{key}: in {verifiedPath} but not rendered (not a version asked for, or not a version any more).", null, string.Empty)));
        }

        if (failures.Count == 0)
        {
            // Same content, other layout (indentation, member order): show the whole file.
            failures.Add((null, "the file", new Failure($"{verifiedPath} holds the same snapshots written differently:", verified, text)));
        }

        return failures;
    }

    /// <summary>
    /// Whether <paramref name="received"/> is settled: it matches the file at <paramref name="verifiedPath"/> as <paramref name="read"/>
    /// reads it (<paramref name="verified"/>, <see langword="null"/> when there is none), or it is accepted and written there. A
    /// settled snapshot leaves no received file; one that is not writes it to <paramref name="receivedPath"/>.
    /// </summary>
    private static bool Settle(string verifiedPath, string receivedPath, string received, Func<string, string> read, bool accept, out string? verified)
    {
        verified = File.Exists(verifiedPath) ? read(verifiedPath) : null;
        bool matches = verified == received;
        if (matches || accept)
        {
            if (!matches)
            {
                WriteText(verifiedPath, received);
            }

            File.Delete(receivedPath);
            return true;
        }

        WriteText(receivedPath, received);
        return false;
    }

    private static void WriteText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, Utf8);
    }

    private static string HowToAccept(string verifiedFile)
        => $"run the tests again with {SnapshotSettings.AcceptEnvironmentVariable}=1 (or copy it over {verifiedFile}).\n";

    private static void Append(StringBuilder message, Failure failure)
        => message.Append('\n').Append(failure.Title).Append('\n').Append(failure.Verified is null
            ? Excerpt(failure.Received)
            : TextDiff.Lines(failure.Verified, failure.Received, MaxLinesPerFailure));

    private static string Excerpt(string text)
    {
        var lines = text.Split('\n');
        return lines.Length <= MaxLinesPerFailure
            ? text
            : string.Join('\n', lines.Take(MaxLinesPerFailure)) + $"\n  ... ({lines.Length - MaxLinesPerFailure} more lines)\n";
    }
}
