using System.IO.Compression;
using System.Xml.Linq;

namespace VersionKit.Packaging.Tests;

[CollectionDefinition(nameof(LocalFeed))]
public sealed class LocalFeedCollection : ICollectionFixture<LocalFeed>;

/// <summary>What 'dotnet pack' puts in the packages, read from the .nupkg files as a feed serves them.</summary>
[Collection(nameof(LocalFeed))]
public class PackageTests(LocalFeed feed)
{
    private sealed record Package(string Id, XElement Metadata, IReadOnlyList<string> Files);

    // What each package may depend on: what its name says. VersionKit itself needs the BCL, System.Text.Json (in the
    // shared framework) and BitFaster.Caching for its bounded pin cache (no dependencies of its own); HTTP comes with
    // VersionKit.AspNetCore only, and each store, OpenAPI and the Markdown pages only with the package that names them.
    private static readonly Dictionary<string, (string[] Packages, string[] Frameworks)> AllowedDependencies = new()
    {
        ["VersionKit"] = (["BitFaster.Caching"], []),
        ["VersionKit.AspNetCore"] = (["VersionKit"], ["Microsoft.AspNetCore.App"]),
        ["VersionKit.Sqlite"] = (["VersionKit", "Microsoft.Data.Sqlite"], []),
        ["VersionKit.PostgreSql"] = (["VersionKit", "Npgsql"], []),
        ["VersionKit.OpenApi"] = (["VersionKit.AspNetCore", "Microsoft.AspNetCore.OpenApi"], ["Microsoft.AspNetCore.App"]),
        ["VersionKit.Docs"] = (["VersionKit.AspNetCore", "Markdig"], ["Microsoft.AspNetCore.App"]),
        ["VersionKit.Testing"] = (["VersionKit", "DiffPlex"], []),
        ["VersionKit.Webhooks"] = (["VersionKit.AspNetCore"], ["Microsoft.AspNetCore.App"]),
    };

    private static readonly string[] Shipped = [.. AllowedDependencies.Keys];

    public static TheoryData<string> Libraries => [.. AllowedDependencies.Keys];

    private Package Open(string id)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
        var nuspec = XDocument.Load(zip.GetEntry(id + ".nuspec")!.Open()).Root!;
        return new Package(id, nuspec.Elements().Single(e => e.Name.LocalName == "metadata"), [.. zip.Entries.Select(e => e.FullName)]);
    }

    // A template package ('dotnet new') holds files, not code: no symbols, no dependencies (TemplateTests checks it).
    private bool IsTemplate(string fileName)
        => Open(fileName[..^(feed.Version.Length + ".nupkg".Length + 1)]).Metadata.Descendants()
            .Any(e => e.Name.LocalName == "packageType" && e.Attribute("name")?.Value == "Template");

    private static string? Value(Package package, string name) => package.Metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    private static IEnumerable<XElement> Dependencies(Package package)
        => package.Metadata.Descendants().Where(e => e.Name.LocalName == "dependency");

    [Fact]
    public void Every_project_under_src_is_packed_with_its_symbols()
    {
        Assert.Subset(feed.Packages.ToHashSet(), Shipped.Select(id => $"{id}.{feed.Version}.nupkg").ToHashSet());
        foreach (string package in feed.Packages.Where(p => !IsTemplate(p)))
        {
            string symbols = Path.Combine(feed.Feed, Path.ChangeExtension(package, ".snupkg"));
            Assert.True(File.Exists(symbols), "no symbols package beside " + package);
            using var zip = ZipFile.OpenRead(symbols);
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_package_has_complete_metadata_a_readme_and_xml_docs(string id)
    {
        var package = Open(id);
        Assert.Equal(feed.Version, Value(package, "version"));
        Assert.Equal("VersionKit contributors", Value(package, "authors"));
        Assert.Equal("MIT", Value(package, "license"));
        Assert.Equal("https://github.com/versionkit/versionkit", Value(package, "projectUrl"));
        Assert.Equal("https://github.com/versionkit/versionkit", package.Metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);
        Assert.True(Value(package, "description")?.Length > 40, "a description that says what the package is");
        Assert.Contains("versioning", Value(package, "tags")!.Split(' '));

        string readme = Value(package, "readme")!;
        Assert.Contains(readme, package.Files);
        string dll = Assert.Single(package.Files, f => f.StartsWith("lib/net10.0/", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal));
        Assert.Contains(Path.ChangeExtension(dll, ".xml"), package.Files);
    }

    [Fact]
    public void The_generator_ships_as_an_analyzer_and_never_as_a_reference_or_a_dependency()
    {
        var versionKit = Open("VersionKit");
        Assert.Contains("analyzers/dotnet/cs/VersionKit.Generators.dll", versionKit.Files);
        Assert.DoesNotContain(versionKit.Files, f => f.StartsWith("lib/", StringComparison.Ordinal) && f.Contains("Generators", StringComparison.Ordinal));
        foreach (string id in Shipped)
        {
            Assert.DoesNotContain(Dependencies(Open(id)), d => d.Attribute("id")!.Value.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || d.Attribute("id")!.Value == "VersionKit.Generators");
        }

        // Referencing VersionKit.AspNetCore alone brings the generator: its dependency on VersionKit keeps the analyzers.
        var onVersionKit = Assert.Single(Dependencies(Open("VersionKit.AspNetCore")), d => d.Attribute("id")!.Value == "VersionKit");
        Assert.DoesNotContain("Analyzers", onVersionKit.Attribute("exclude")?.Value ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Every_library_depends_only_on_what_its_name_says()
    {
        var libraries = feed.Packages.Where(p => !IsTemplate(p))
            .Select(p => p[..^(feed.Version.Length + ".nupkg".Length + 1)])
            .Order(StringComparer.Ordinal);
        Assert.Equal(AllowedDependencies.Keys.Order(StringComparer.Ordinal), libraries);
        foreach (var (id, allowed) in AllowedDependencies)
        {
            var package = Open(id);
            var dependencies = Dependencies(package).Select(d => d.Attribute("id")!.Value).Distinct().Order(StringComparer.Ordinal);
            Assert.True(
                dependencies.SequenceEqual(allowed.Packages.Order(StringComparer.Ordinal)),
                $"{id} depends on [{string.Join(", ", dependencies)}]; its allowed list is [{string.Join(", ", allowed.Packages)}]");
            var frameworks = package.Metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference")
                .Select(e => e.Attribute("name")!.Value).Distinct().Order(StringComparer.Ordinal);
            Assert.True(
                frameworks.SequenceEqual(allowed.Frameworks),
                $"{id} references the frameworks [{string.Join(", ", frameworks)}]; its allowed list is [{string.Join(", ", allowed.Frameworks)}]");
        }
    }
}
