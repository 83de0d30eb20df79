using System.Runtime.CompilerServices;
using System.Text;

namespace VersionKit.Generators.Tests;

/// <summary>
/// Our own small snapshot step. A baseline is checked in as <c>Baselines/&lt;name&gt;.g.cs.txt</c> beside the test file.
/// When the output differs from it, or there is none, the test fails, <c>&lt;name&gt;.received.g.cs.txt</c> is written
/// beside it, and the failure shows a short line diff. With <c>VERSIONKIT_ACCEPT_SNAPSHOTS=1</c> the received output
/// becomes the baseline and the test passes.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "VERSIONKIT_ACCEPT_SNAPSHOTS";
    public const string BaselineSuffix = ".g.cs.txt";
    public const string ReceivedSuffix = ".received.g.cs.txt";
    private const int MaxDiffLines = 40;

    /// <summary>Compares <paramref name="received"/> with the baseline <paramref name="name"/> in the Baselines folder beside the calling file.</summary>
    public static void Match(string name, string received, [CallerFilePath] string callerFilePath = "")
    {
        string? directory = Path.GetDirectoryName(callerFilePath);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            Assert.Fail($"The test's source folder '{directory}' is not on this machine, so its baselines cannot be read; build the tests from source without path mapping.");
        }

        Match(Path.Combine(directory, "Baselines"), name, received, Environment.GetEnvironmentVariable(AcceptVariable) == "1");
    }

    /// <summary>Compares <paramref name="received"/> with the baseline <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static void Match(string directory, string name, string received, bool accept)
    {
        string baselinePath = Path.Combine(directory, name + BaselineSuffix);
        string receivedPath = Path.Combine(directory, name + ReceivedSuffix);
        received = Normalize(received);
        string? baseline = File.Exists(baselinePath) ? Normalize(File.ReadAllText(baselinePath)) : null;

        if (accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(baselinePath, received, Utf8);
            File.Delete(receivedPath);
            return;
        }

        if (string.Equals(baseline, received, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, received, Utf8);
        string how = $"Compare, then accept with {AcceptVariable}=1 (or copy {receivedPath} over the baseline).";
        Assert.Fail(baseline is null
            ? $"No baseline for '{name}': {baselinePath} does not exist. The output was written to {receivedPath}. {how}"
            : $"'{name}' differs from its baseline {baselinePath}; the output was written to {receivedPath}. {how}\n{Diff(baseline, received)}");
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static string Normalize(string text) => text.ReplaceLineEndings("\n");

    /// <summary>A short line diff (longest common subsequence): '-' lines are the baseline's, '+' lines the output's.</summary>
    internal static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<string>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || common[x, y + 1] >= common[x + 1, y]))
            {
                lines.Add(Invariant($"+{y + 1,5}: {b[y]}"));
                y++;
            }
            else
            {
                lines.Add(Invariant($"-{x + 1,5}: {a[x]}"));
                x++;
            }
        }

        return lines.Count <= MaxDiffLines
            ? string.Join("\n", lines)
            : string.Join("\n", lines.Take(MaxDiffLines)) + Invariant($"\n... and {lines.Count - MaxDiffLines} more changed lines");
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
