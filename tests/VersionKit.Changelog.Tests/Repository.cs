namespace VersionKit.Changelog.Tests;

/// <summary>Where the repository and the builds the tests use are, found from the test's own output folder (bin/&lt;Configuration&gt;/net10.0).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in, which is also the one the tool and the generator were built in.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Tool => Path.Combine(Root, "src", "VersionKit.Changelog", "bin", Configuration, "net10.0", "VersionKit.Changelog.dll");

    public static string Generator => Path.Combine(Root, "generators", "VersionKit.Generators", "bin", Configuration, "netstandard2.0", "VersionKit.Generators.dll");

    public static string BuildFolder => Path.Combine(Root, "src", "VersionKit", "build");

    public static string SampleChangelog => Path.Combine(Root, "samples", "Payments.Api", "docs", "api-changelog");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VersionKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No VersionKit.sln above {AppContext.BaseDirectory}: run the tests from a build of the repository.");
    }
}

/// <summary>A folder under the system's temp folder, deleted with everything in it when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("versionkit-changelog-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the folder is in temp, and nothing depends on it.
        }
    }
}
