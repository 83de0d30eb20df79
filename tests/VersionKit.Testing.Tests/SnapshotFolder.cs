using System.Runtime.CompilerServices;

namespace VersionKit.Testing.Tests;

/// <summary>A temporary folder of snapshot files for one test, removed afterwards; optionally seeded with committed snapshots.</summary>
public sealed class SnapshotFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("versionkit-snapshots-").FullName;

    /// <summary>A folder holding copies of the committed snapshot files of <paramref name="name"/> (from this project's folder).</summary>
    public static SnapshotFolder WithCommitted(string name, [CallerFilePath] string sourceFile = "")
    {
        var committed = Directory.GetFiles(System.IO.Path.GetDirectoryName(sourceFile)!, name + ".*verified.json");
        Assert.NotEmpty(committed);
        var folder = new SnapshotFolder();
        foreach (string file in committed)
        {
            System.IO.File.Copy(file, System.IO.Path.Combine(folder.Path, System.IO.Path.GetFileName(file)));
        }

        return folder;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public string[] FileNames() => [.. Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
