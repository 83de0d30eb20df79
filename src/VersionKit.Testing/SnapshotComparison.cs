using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Testing;

/// <summary>Compares what was rendered at each version with the verified files, writes received files, accepts them when told.</summary>
internal static class SnapshotComparison
{
    private const string Verified = ".verified.json";
    private const string Received = ".received.json";
    private const int MaxLinesPerVersion = 80;

    private sealed record Failure(string Title, string? Verified, string Received);

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
            .Append("run the tests again with ").Append(SnapshotSettings.AcceptEnvironmentVariable).Append("=1 (or copy it over the .verified.json).\n");
        foreach (var (_, _, failure) in failures)
        {
            message.Append('\n').Append(failure.Title).Append('\n');
            message.Append(failure.Verified is null
                ? Excerpt(failure.Received)
                : TextDiff.Lines(failure.Verified, failure.Received, MaxLinesPerVersion));
        }

        throw new SnapshotMismatchException(message.ToString(), [.. failures.Where(f => f.Version is not null).Select(f => f.Version!.Value)]);
    }

    private static List<(ApiVersion? Version, string Label, Failure Failure)> ComparePerVersion(SnapshotLocation location, bool accept, IReadOnlyList<(ApiVersion Version, string Text)> renderings)
    {
        var failures = new List<(ApiVersion?, string, Failure)>();
        foreach (var (version, text) in renderings)
        {
            string verifiedPath = location.PathOf($".{version}{Verified}");
            string receivedPath = location.PathOf($".{version}{Received}");
            string? verified = File.Exists(verifiedPath) ? SnapshotJson.ReadFile(verifiedPath) : null;
            if (Settle(verified == text, accept, verifiedPath, receivedPath, text))
            {
                continue;
            }

            failures.Add((version, version.ToString(), verified is null
                ? new Failure($"Version {version}: no verified snapshot yet ({verifiedPath}); received:", null, text)
                : new Failure($"Version {version} differs from {verifiedPath}:", verified, text)));
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
        string receivedPath = location.PathOf(Received);
        string? verified = File.Exists(verifiedPath) ? SnapshotJson.ReadFile(verifiedPath) : null;
        if (Settle(verified == text, accept, verifiedPath, receivedPath, text))
        {
            return [];
        }

        if (verified is null)
        {
            return [.. renderings.Select(r => ((ApiVersion?)r.Version, r.Version.ToString(), new Failure($"Version {r.Version}: no verified snapshot yet ({verifiedPath}); received:", null, r.Text)))];
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

    /// <summary>Whether the snapshot is settled (it matched, or was accepted); otherwise writes the received file.</summary>
    private static bool Settle(bool matches, bool accept, string verifiedPath, string receivedPath, string received)
    {
        if (matches || accept)
        {
            if (!matches)
            {
                SnapshotJson.WriteFile(verifiedPath, received);
            }

            File.Delete(receivedPath);
            return true;
        }

        SnapshotJson.WriteFile(receivedPath, received);
        return false;
    }

    private static string Excerpt(string text)
    {
        var lines = text.Split('\n');
        return lines.Length <= MaxLinesPerVersion
            ? text
            : string.Join('\n', lines.Take(MaxLinesPerVersion)) + $"\n  ... ({lines.Length - MaxLinesPerVersion} more lines)\n";
    }
}
