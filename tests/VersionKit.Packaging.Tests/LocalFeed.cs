using System.Xml.Linq;

namespace VersionKit.Packaging.Tests;

/// <summary>
/// The packages of every project under src/ and templates/, packed from this repository into a local feed in a temporary
/// folder, and a global-packages folder of its own: a consumer there can only get the packages just packed, never a
/// stale copy. Each consumer gets a folder of its own (<see cref="NewFolder"/>).
/// </summary>
public sealed class LocalFeed : IAsyncLifetime
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public string Repository { get; } = FindRepository();

    public string Root { get; } = Directory.CreateTempSubdirectory("versionkit-consumer-").FullName;

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The version the packages were packed with, as the repository sets it.</summary>
    public string Version { get; private set; } = "";

    public IReadOnlyList<string> Packages { get; private set; } = [];

    /// <summary>The environment of every command the consumer runs: its own global-packages folder, no telemetry.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["VERSIONKIT_ACCEPT_SNAPSHOTS"] = null,
    };

    public async Task InitializeAsync()
    {
        // A solution filter of the packable projects: one build of them, into a folder of the test's own, so that the
        // repository's bin/ and obj/ are left alone. A template package is the project file of a folder right below
        // templates/: the projects inside its content/ are the templates' files, built only where a template creates them.
        string[] projects = [.. Directory.GetFiles(Path.Combine(Repository, "src"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.GetDirectories(Path.Combine(Repository, "templates")).SelectMany(d => Directory.GetFiles(d, "*.csproj")))
            .Select(p => Path.GetRelativePath(Repository, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
        string filter = Path.Combine(Root, "packages.slnf");
        await File.WriteAllTextAsync(filter, System.Text.Json.JsonSerializer.Serialize(new
        {
            solution = new { path = Path.Combine(Repository, "VersionKit.sln"), projects },
        }));

        var (exitCode, output) = await Command.RunAsync(
            "dotnet",
            ["pack", filter, "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Root, "build"), "-nodeReuse:false"],
            Root,
            new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            CommandTimeout);
        Assert.True(exitCode == 0, "dotnet pack failed:\n" + output);

        Packages = [.. Directory.GetFiles(Feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        string versionKit = Packages.Single(p => System.Text.RegularExpressions.Regex.IsMatch(p, @"^VersionKit\.\d"));
        Version = versionKit["VersionKit.".Length..^".nupkg".Length];

    }

    /// <summary>
    /// An empty folder for one consumer; with <paramref name="withNuGetConfig"/>, a nuget.config in it that takes VersionKit
    /// packages from the feed only and everything else from nuget.org.
    /// </summary>
    public string NewFolder(string name, bool withNuGetConfig)
    {
        string folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        if (!withNuGetConfig)
        {
            return folder;
        }

        new XDocument(new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "local"), new XAttribute("value", Feed)),
                new XElement("add", new XAttribute("key", "nuget.org"), new XAttribute("value", "https://api.nuget.org/v3/index.json"))),
            new XElement("packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "local"),
                    new XElement("package", new XAttribute("pattern", "VersionKit")),
                    new XElement("package", new XAttribute("pattern", "VersionKit.*"))),
                new XElement("packageSource", new XAttribute("key", "nuget.org"),
                    new XElement("package", new XAttribute("pattern", "*"))))))
            .Save(Path.Combine(folder, "nuget.config"));
        return folder;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VersionKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository (a folder with VersionKit.sln) is not above " + AppContext.BaseDirectory);
    }
}
