using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace VersionKit.Packaging.Tests;

/// <summary>
/// The template package, as a user gets it: installed from the feed with 'dotnet new install', 'dotnet new versionkit-api'
/// run in an empty folder, and the solution it creates built, tested and run, with the packages just packed. The templates
/// are installed in a hive of the test's own (--debug:custom-hive), so the machine's templates are left alone.
/// </summary>
[Collection(nameof(LocalFeed))]
public partial class TemplateTests(LocalFeed feed, ITestOutputHelper log)
{
    private const string TemplateSourceName = "VersionKitApi";

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();

    private string TemplatePackage => Path.Combine(feed.Feed, $"VersionKit.Templates.{feed.Version}.nupkg");

    [Fact]
    public async Task Versionkit_api_creates_a_solution_that_builds_writes_its_changelog_passes_its_tests_and_serves_old_versions()
    {
        string root = feed.NewFolder("template", withNuGetConfig: true);
        string hive = Path.Combine(feed.Root, "template-hive");

        string installed = await DotnetAsync(root, "new", "install", TemplatePackage, "--debug:custom-hive", hive);
        Assert.Contains("versionkit-api", installed, StringComparison.Ordinal);
        await DotnetAsync(root, "new", "versionkit-api", "-o", "Shipping", "--debug:custom-hive", hive);

        // The output folder names the solution, its projects, namespaces and history: nothing is left of the template's own name.
        string solution = Path.Combine(root, "Shipping");
        string[] created = [.. Directory.GetFiles(solution, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(solution, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
        Assert.Equal(
            [
                ".gitignore",
                "Shipping.Tests/Shipping.Tests.csproj",
                "Shipping.Tests/SnapshotTests.A_parcel_at_every_version.2024-01-01.verified.json",
                "Shipping.Tests/SnapshotTests.A_parcel_at_every_version.2024-06-01.verified.json",
                "Shipping.Tests/SnapshotTests.The_parcel_endpoint_at_every_version.2024-01-01.verified.json",
                "Shipping.Tests/SnapshotTests.The_parcel_endpoint_at_every_version.2024-06-01.verified.json",
                "Shipping.Tests/SnapshotTests.cs",
                "Shipping.slnx",
                "Shipping/Changes/ParcelWeightInGrams.cs",
                "Shipping/Parcel.cs",
                "Shipping/Program.cs",
                "Shipping/Shipping.csproj",
                "Shipping/ShippingHistory.cs",
            ],
            created);
        foreach (string file in created)
        {
            string text = await File.ReadAllTextAsync(Path.Combine(solution, file));
            Assert.False(text.Contains(TemplateSourceName, StringComparison.OrdinalIgnoreCase), $"{file} still says {TemplateSourceName}:\n{text}");
            Assert.DoesNotContain("$(VersionKitVersion)", text, StringComparison.Ordinal);
        }

        Assert.Contains("public partial class ShippingHistory;", await File.ReadAllTextAsync(Path.Combine(solution, "Shipping/ShippingHistory.cs")), StringComparison.Ordinal);

        // The projects reference the VersionKit packages at the template package's own version.
        var references = (await Task.WhenAll(created.Where(f => f.EndsWith(".csproj", StringComparison.Ordinal)).Select(f => PackageReferencesAsync(Path.Combine(solution, f)))))
            .SelectMany(r => r)
            .Where(r => r.Key.StartsWith("VersionKit", StringComparison.Ordinal))
            .ToDictionary();
        Assert.Equal(
            new Dictionary<string, string> { ["VersionKit.AspNetCore"] = feed.Version, ["VersionKit.Sqlite"] = feed.Version, ["VersionKit.Testing"] = feed.Version },
            references);

        await DotnetAsync(solution, "build");

        // The build wrote the API's changelog, in the API project, from its history.
        string changelog = Path.Combine(solution, "Shipping", "docs", "api-changelog");
        Assert.Equal(
            ["2024-01-01.md", "2024-06-01.md", "CHANGELOG.html", "CHANGELOG.md"],
            Directory.GetFiles(changelog).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string markdown = await File.ReadAllTextAsync(Path.Combine(changelog, "CHANGELOG.md"));
        Assert.Contains("`ShippingHistory`", markdown, StringComparison.Ordinal);
        Assert.Contains("## 2024-06-01", markdown, StringComparison.Ordinal);
        // The change declares no title: its heading is the description's first sentence.
        Assert.Contains("# Parcels give their weight in grams, `weight_grams`, instead of kilograms, `weight_kg`\n", markdown, StringComparison.Ordinal);

        // The snapshots come verified with the template: the tests pass at once, and wrote nothing to review.
        string tested = await DotnetAsync(solution, "test", "--no-build");
        var summary = TestSummary().Match(tested);
        Assert.True(summary.Success, "no test summary in the output:\n" + tested);
        Assert.Equal(("0", "2"), (summary.Groups["failed"].Value, summary.Groups["passed"].Value));
        Assert.Empty(Directory.GetFiles(solution, "*.received.*", SearchOption.AllDirectories));

        // And the API serves each version: the latest to a caller who names none, the first as it was.
        using var server = Command.Start("dotnet", ["run", "--project", "Shipping", "--no-build", "--", "--urls", "http://127.0.0.1:0"], solution, feed.Environment);
        string listening = await server.WaitForLineAsync(l => Listening().IsMatch(l), LocalFeed.CommandTimeout);
        var address = new Uri(Listening().Match(listening).Groups["address"].Value);
        using var client = new HttpClient { BaseAddress = address };
        Assert.Equal(
            ("2024-06-01", """{"id":"prcl_1","object":"parcel","recipient":"Jenny Rosen","weight_grams":1250}"""),
            await GetAsync(client, "/v1/parcels/prcl_1", version: null));
        Assert.Equal(
            ("2024-01-01", """{"id":"prcl_1","object":"parcel","recipient":"Jenny Rosen","weight_kg":1.25}"""),
            await GetAsync(client, "/v1/parcels/prcl_1", version: "2024-01-01"));
    }

    [Fact]
    public async Task The_template_package_installs_by_its_id_from_the_feed_a_nuget_config_names()
    {
        // As the README and the guide say it: in a folder whose nuget.config adds the feed, by package id.
        string root = feed.NewFolder("template-by-id", withNuGetConfig: true);
        string installed = await DotnetAsync(root, "new", "install", "VersionKit.Templates", "--debug:custom-hive", Path.Combine(feed.Root, "template-hive-by-id"));
        Assert.Contains($"VersionKit.Templates@{feed.Version}", installed, StringComparison.Ordinal);
        Assert.Contains("versionkit-api", installed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_package_is_stamped_with_its_version_and_holds_the_template_as_the_repository_has_it()
    {
        using var zip = ZipFile.OpenRead(TemplatePackage);
        var metadata = XDocument.Load(zip.GetEntry("VersionKit.Templates.nuspec")!.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(XElement m, string name) => m.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Equal("Template", metadata.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName is "dependency" or "group" or "frameworkReference");
        string[] tags = Value(metadata, "tags")!.Split(' ');
        Assert.Contains("versioning", tags);
        Assert.Contains("dotnet-new", tags);
        Assert.Contains(Value(metadata, "readme")!, zip.Entries.Select(e => e.FullName));
        Assert.True(Value(metadata, "description")?.Length > 40, "a description that says what the package is");

        // The same metadata as the libraries' (templates/Directory.Build.props repeats src/'s).
        using (var library = ZipFile.OpenRead(Path.Combine(feed.Feed, $"VersionKit.{feed.Version}.nupkg")))
        {
            var libraryMetadata = XDocument.Load(library.GetEntry("VersionKit.nuspec")!.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            foreach (string name in new[] { "authors", "license", "projectUrl", "copyright" })
            {
                Assert.Equal(Value(libraryMetadata, name), Value(metadata, name));
            }

            Assert.Equal(
                libraryMetadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value,
                metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);
        }

        // Every file of the template as the repository holds it, and nothing else (no bin/, obj/, received snapshots);
        // template.json with the package version in place of its placeholder.
        string content = Path.Combine(feed.Repository, "templates", "VersionKit.Templates", "content");
        string[] repository = [.. Directory.GetFiles(content, "*", SearchOption.AllDirectories)
            .Select(f => "content/" + Path.GetRelativePath(content, f).Replace('\\', '/'))
            .Where(f => !Regex.IsMatch(f, @"/(bin|obj)/|\.received\."))
            .Order(StringComparer.Ordinal)];
        Assert.Equal(repository, zip.Entries.Select(e => e.FullName).Where(f => f.StartsWith("content/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (string file in repository.Where(f => !f.EndsWith("/template.json", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(zip.GetEntry(file)!.Open());
            Assert.True(File.ReadAllText(Path.Combine(content, file["content/".Length..])) == reader.ReadToEnd(), file + " differs in the package");
        }

        using var templateJson = new StreamReader(zip.GetEntry("content/VersionKitApi/.template.config/template.json")!.Open());
        var template = JsonNode.Parse(templateJson.ReadToEnd())!;
        Assert.Equal("versionkit-api", (string?)template["shortName"]);
        Assert.Equal("VersionKit.Templates.Api", (string?)template["identity"]);
        Assert.Equal(TemplateSourceName, (string?)template["sourceName"]);
        Assert.Equal(feed.Version, (string?)template["symbols"]!["VersionKitVersion"]!["parameters"]!["value"]);
    }

    [Fact]
    public async Task The_template_references_the_test_packages_at_the_versions_the_repository_uses()
    {
        // The repository's own versions of the test packages (Directory.Packages.props); xunit.runner.visualstudio in
        // particular must be one the package registry serves.
        var pinned = XDocument.Load(Path.Combine(feed.Repository, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);
        var references = await PackageReferencesAsync(Path.Combine(feed.Repository, "templates", "VersionKit.Templates", "content", TemplateSourceName, $"{TemplateSourceName}.Tests", $"{TemplateSourceName}.Tests.csproj"));
        foreach (string id in new[] { "Microsoft.NET.Test.Sdk", "xunit", "xunit.runner.visualstudio" })
        {
            Assert.Equal(pinned[id], references[id]);
        }
    }

    private static async Task<Dictionary<string, string>> PackageReferencesAsync(string project)
        => XDocument.Parse(await File.ReadAllTextAsync(project)).Descendants("PackageReference")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);

    private async Task<string> DotnetAsync(string directory, params string[] arguments)
    {
        var (exitCode, output) = await Command.RunAsync("dotnet", arguments, directory, feed.Environment, LocalFeed.CommandTimeout);
        string line = "dotnet " + string.Join(' ', arguments);
        log.WriteLine($"$ {line}  (exit {exitCode})\n{output}");
        Assert.True(exitCode == 0, $"'{line}' in {directory} exited {exitCode}:\n{output}");
        return output;
    }

    private async Task<(string Version, string Body)> GetAsync(HttpClient client, string path, string? version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (version is not null)
        {
            request.Headers.Add("Stripe-Version", version);
        }

        using var response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        log.WriteLine($"GET {path} (Stripe-Version: {version ?? "none"}): {(int)response.StatusCode} {body}");
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return (response.Headers.GetValues("Stripe-Version").Single(), body);
    }
}
