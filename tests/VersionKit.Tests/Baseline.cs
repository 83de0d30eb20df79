using System.Runtime.CompilerServices;
using System.Text;

namespace VersionKit.Tests;

/// <summary>
/// Text held to a checked-in file in <c>Baselines/</c> beside the test. On a difference (or no file), the test fails and
/// writes <c>&lt;name&gt;.received&lt;ext&gt;</c> beside the baseline; <c>VERSIONKIT_ACCEPT_SNAPSHOTS=1</c> makes the output the
/// new baseline, as in the generator tests.
/// </summary>
internal static class Baseline
{
    public static void Match(string fileName, string received, [CallerFilePath] string callerFilePath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerFilePath)!, "Baselines");
        string path = Path.Combine(directory, fileName);
        string receivedPath = Path.Combine(directory, Path.GetFileNameWithoutExtension(fileName) + ".received" + Path.GetExtension(fileName));
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        if (Environment.GetEnvironmentVariable("VERSIONKIT_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, received, utf8);
            File.Delete(receivedPath);
            return;
        }

        string? expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
        if (expected == received)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received, utf8);
        Assert.Fail(expected is null
            ? $"No baseline {path}; the output is in {receivedPath}. Accept it with VERSIONKIT_ACCEPT_SNAPSHOTS=1."
            : $"The output differs from {path} (see {receivedPath}; accept with VERSIONKIT_ACCEPT_SNAPSHOTS=1) from line {FirstDifferentLine(expected, received)}.");
    }

    private static int FirstDifferentLine(string expected, string received)
    {
        string[] a = expected.Split('\n');
        string[] b = received.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }

        return line + 1;
    }
}
