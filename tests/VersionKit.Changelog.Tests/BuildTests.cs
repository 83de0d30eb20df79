using System.Diagnostics;

namespace VersionKit.Changelog.Tests;

/// <summary>
/// <c>dotnet build</c> of a small API project outside the repository that uses VersionKit as a package would: the built
/// VersionKit assembly, the generator as an analyzer, and build/VersionKit.props and .targets, with the tool of this build.
/// </summary>
public sealed class BuildTests : IDisposable
{
    private const string Changes = """
        using VersionKit;

        namespace Shop;

        [ApiHistory("2020-01-01", NamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class ShopHistory;

        [ApiResource("order")]
        public sealed class Order
        {
            public string Id { get; init; } = "ord_1";

            public string Object => "order";

            public string Label { get; init; } = "Box";
        }

        [VersionChange("2021-06-01.spring", "`title` is now `label`.")]
        [FieldRenamed(typeof(Order), "title", "label")]
        public sealed class RenameTitle;
        """;

    private readonly TempFolder _project = new();

    public BuildTests()
    {
        string Escape(string path) => path.Replace("\\", "/", StringComparison.Ordinal);
        File.WriteAllText(_project["Shop.csproj"], $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Escape(Path.Combine(Repository.BuildFolder, "VersionKit.props"))}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <VersionKitChangelogTool>{Escape(Repository.Tool)}</VersionKitChangelogTool>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="VersionKit" HintPath="{Escape(typeof(ApiHistory).Assembly.Location)}" />
                <Analyzer Include="{Escape(Repository.Generator)}" />
              </ItemGroup>
              <Import Project="{Escape(Path.Combine(Repository.BuildFolder, "VersionKit.targets"))}" />
            </Project>
            """);
        File.WriteAllText(_project["Changes.cs"], Changes);
    }

    public void Dispose() => _project.Dispose();

    private string Docs(string file = "") => Path.Combine(_project.Path, "docs", "api-changelog", file);

    private string Build(params string[] properties)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _project.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])["build", "Shop.csproj", "-c", "Release", "-v:n", "-nodeReuse:false", "--disable-build-servers", "-p:UseSharedCompilation=false", .. properties.Select(p => "-p:" + p)])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "dotnet build did not finish in five minutes");
        Assert.True(process.ExitCode == 0, "dotnet build failed:\n" + string.Join("\n", output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct()) + errors.Result);
        return output;
    }

    private Dictionary<string, byte[]> ReadDocs()
        => Directory.GetFiles(Docs()).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

    [Fact]
    public void A_build_writes_the_changelog_a_second_build_leaves_it_alone_and_a_new_description_shows_in_the_next()
    {
        Build();
        Assert.Equal(["2020-01-01.md", "2021-06-01.spring.md", "CHANGELOG.html", "CHANGELOG.md"], Directory.GetFiles(Docs()).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        string markdown = File.ReadAllText(Docs("CHANGELOG.md"));
        Assert.Contains("## 2021-06-01.spring", markdown, StringComparison.Ordinal);
        Assert.Contains("#### `title` is now `label`\n", markdown, StringComparison.Ordinal);
        var first = ReadDocs();
        var times = Directory.GetFiles(Docs()).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        // Nothing changed: the target is skipped and no file is touched.
        string again = Build();
        Assert.Contains("Skipping target \"VersionKitChangelog\" because all output files are up-to-date", again, StringComparison.Ordinal);
        Assert.Equal(times, Directory.GetFiles(Docs()).ToDictionary(f => f, File.GetLastWriteTimeUtc));

        // A changelog deleted by hand comes back with the next build.
        File.Delete(Docs("CHANGELOG.md"));
        Build();
        Assert.Equal(first["CHANGELOG.md"], File.ReadAllBytes(Docs("CHANGELOG.md")));

        // A description edited: the next build shows it.
        File.WriteAllText(_project["Changes.cs"], Changes.Replace("`title` is now `label`.", "Orders call their `title` a `label` now.", StringComparison.Ordinal));
        Build();
        Assert.Contains("#### Orders call their `title` a `label` now\n", File.ReadAllText(Docs("CHANGELOG.md")), StringComparison.Ordinal);
        Assert.Contains("Orders call their <code>title</code> a <code>label</code> now</h4>", File.ReadAllText(Docs("CHANGELOG.html")), StringComparison.Ordinal);
        Assert.Equal(first["2020-01-01.md"], File.ReadAllBytes(Docs("2020-01-01.md")));

        // Back as it was, from a clean build: byte for byte what the first build wrote.
        File.WriteAllText(_project["Changes.cs"], Changes);
        Directory.Delete(_project["obj"], recursive: true);
        Directory.Delete(_project["bin"], recursive: true);
        Directory.Delete(Docs(), recursive: true);
        Build();
        Assert.Equal(first, ReadDocs());
    }

    [Fact]
    public void The_folder_is_set_by_VersionKitChangelogOutput_and_VersionKitChangelog_false_writes_none()
    {
        Build("VersionKitChangelog=false");
        Assert.False(Directory.Exists(Docs()));

        Build("VersionKitChangelogOutput=api/changes");
        Assert.True(File.Exists(_project["api/changes/CHANGELOG.md"]));
        Assert.True(File.Exists(_project["api/changes/CHANGELOG.html"]));
        Assert.False(Directory.Exists(Docs()));
    }
}
