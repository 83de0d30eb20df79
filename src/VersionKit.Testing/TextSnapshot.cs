using System.Runtime.CompilerServices;

namespace VersionKit.Testing;

/// <summary>
/// Snapshot tests for plain text (generated code, a changelog, any text a test renders): the text is compared with a
/// checked-in file, by default in a <c>Baselines</c> folder beside the test's source file, with line endings compared as
/// LF. A difference or a missing file fails with a <see cref="SnapshotMismatchException"/> that shows a line diff, and
/// writes what was received beside the checked-in file, <c>.received</c> put after the first part of its name
/// (<c>Generated.g.cs.txt</c> gets <c>Generated.received.g.cs.txt</c>), so that a <c>.gitignore</c> line <c>*.received.*</c>
/// keeps it out of the repository. <c>VERSIONKIT_ACCEPT_SNAPSHOTS=1</c> (<see cref="SnapshotSettings.AcceptEnvironmentVariable"/>)
/// writes the text as the checked-in file instead, and the test passes. Works in any test framework.
/// </summary>
/// <example><code>
/// [Fact]
/// public void The_changelog_matches_its_snapshot() => TextSnapshot.Verify(changelog.ToMarkdown(), "CHANGELOG.md");
/// </code></example>
public static class TextSnapshot
{
    private const string DefaultDirectory = "Baselines";

    /// <summary>Compares <paramref name="received"/> with the checked-in file <paramref name="fileName"/>.</summary>
    /// <param name="received">The text the test rendered.</param>
    /// <param name="fileName">
    /// The checked-in file's name with its extension (<c>Widget.CHANGELOG.md</c>), unique in its folder among the files
    /// verified in one test run: in a theory, include the case's data.
    /// </param>
    /// <param name="directory">
    /// The folder of the file: absolute, or relative to the test's source folder; <c>Baselines</c> beside the test's source file
    /// when <see langword="null"/>.
    /// </param>
    /// <param name="sourceFile">Filled in by the compiler: the test's source file, from whose folder a relative directory is taken.</param>
    /// <exception cref="SnapshotMismatchException">The text differs from the file, or there is no file yet.</exception>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is a path, is not a name with an extension, or is named like a received file.</exception>
    /// <exception cref="InvalidOperationException">
    /// The file was verified before in this test run, or the test's source folder is not on this machine and
    /// <paramref name="directory"/> is not absolute.
    /// </exception>
    public static void Verify(string received, string fileName, string? directory = null, [CallerFilePath] string sourceFile = "")
    {
        ArgumentNullException.ThrowIfNull(received);
        string receivedFileName = ReceivedFileName(fileName);
        string folder = SnapshotLocation.DirectoryOf(directory ?? DefaultDirectory, sourceFile, "Pass TextSnapshot.Verify an absolute directory.");
        string verifiedPath = Path.Combine(folder, fileName);
        SnapshotLocation.Claim(verifiedPath,
            $"The snapshot {verifiedPath} was already verified in this test run. Give each verification its own file name (in a theory, include the case's data).");
        SnapshotComparison.VerifyText(verifiedPath, Path.Combine(folder, receivedFileName), received.ReplaceLineEndings("\n"), SnapshotSettings.AcceptedByEnvironment);
    }

    private static string ReceivedFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (fileName.IndexOfAny(['/', '\\']) >= 0 || fileName != Path.GetFileName(fileName))
        {
            throw new ArgumentException($"'{fileName}' is a path; name the file alone and pass its folder as the directory.", nameof(fileName));
        }

        // After the first part, so that a compound extension (.g.cs.txt) stays whole: the received file opens as the checked-in one does.
        int extension = fileName.IndexOf('.', 1);
        if (extension < 0 || extension == fileName.Length - 1)
        {
            throw new ArgumentException(
                $"'{fileName}' is not a name with an extension, like 'Widget.md': the received file needs an extension after '.received' "
                + "for '*.received.*' in .gitignore to keep it out of the repository.",
                nameof(fileName));
        }

        if (fileName.Contains(".received.", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{fileName}' is named like a received file, which '*.received.*' in .gitignore keeps out of the repository.", nameof(fileName));
        }

        return string.Concat(fileName.AsSpan(0, extension), ".received", fileName.AsSpan(extension));
    }
}
