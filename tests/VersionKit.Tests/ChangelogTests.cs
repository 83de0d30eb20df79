using System.Reflection;
using System.Text.Json.Nodes;
using VersionKit.Testing;

namespace VersionKit.Tests;

public class ChangelogTests
{
    private static readonly ApiHistory History = WidgetHistory.Default;
    private static readonly ApiChangelog Changelog = ApiChangelog.From(History);

    private static ApiVersion V(string text) => ApiVersion.Parse(text);

    [Fact]
    public void The_changelog_markdown_matches_its_baseline()
        => TextSnapshot.Verify(Changelog.ToMarkdown(), "Widget.CHANGELOG.md");

    [Theory]
    [InlineData("2019-01-01")]
    [InlineData("2023-01-01")]
    [InlineData("2025-01-01")]
    public void Each_version_file_matches_its_baseline(string version)
        => TextSnapshot.Verify(Changelog.ToMarkdown(V(version)), $"Widget.{version}.md");

    [Theory]
    [InlineData("2019-01-01", "2025-01-01")]
    [InlineData("2023-01-01", "2024-06-01")]
    [InlineData("2024-06-01", "2024-06-01")]
    public void Upgrade_guides_match_their_baselines(string from, string to)
        => TextSnapshot.Verify(History.GetUpgradeGuide(V(from), V(to)).ToMarkdown(), $"Widget.upgrade.{from}.{to}.md");

    [Fact]
    public void The_generator_embeds_the_changelog_json_the_runtime_writes()
    {
        string embedded = typeof(WidgetHistory).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == ApiChangelog.AssemblyMetadataKey).Value!;

        // Same bytes for ASCII text: the generator and the runtime lay the JSON out alike.
        Assert.Equal(Changelog.ToJson(), embedded);
        Assert.Equal(Changelog.ToMarkdown(), ApiChangelog.FromJson(embedded).ToMarkdown());
    }

    [Fact]
    public void The_json_reads_back_to_the_same_changelog()
    {
        var read = ApiChangelog.FromJson(Changelog.ToJson());

        Assert.Equal("WidgetHistory", read.HistoryName);
        Assert.Equal(History.Versions, read.Versions);
        Assert.Equal(Changelog.ToJson(), read.ToJson());
        var removal = read.GetChanges(V("2023-01-01")).Single();
        Assert.Equal(nameof(RemoveLegacyFields), removal.Name);
        Assert.Equal(History.Changes.Single(c => c.ChangeType == typeof(RemoveLegacyFields)).FieldChanges, removal.FieldChanges);
        Assert.Equal(History.GetFields("widget", V("2019-01-01")), read.Resources.Single(r => r.ObjectName == "widget").GetFields(V("2019-01-01")));
    }

    [Fact]
    public void Non_ascii_and_control_characters_survive_the_json()
    {
        var change = new ApiChange("Accents", V("2020-01-01"), "Café — \"quoted\" \\ tab\t line\n\u2028 😀", false, 0, [], [], false);
        var changelog = new ApiChangelog("H", [new ApiRelease(V("2019-01-01"), ApiReleaseKind.Major), new ApiRelease(V("2020-01-01"), ApiReleaseKind.Major)], [change], [new ResourceHistory("r", [new ResourceShape(V("2019-01-01"), ["id"])])]);

        Assert.Equal(change.Description, ApiChangelog.FromJson(changelog.ToJson()).Changes.Single().Description);
    }

    [Fact]
    public void The_upgrade_guide_groups_field_changes_by_resource_with_before_and_after()
    {
        var guide = History.GetUpgradeGuide(V("2019-01-01"), V("2021-01-01"));

        Assert.Equal([V("2020-01-01"), V("2021-01-01")], guide.Versions);
        Assert.Equal([nameof(RenameTitle), nameof(AddTeal)], guide.Changes.Select(c => c.Name));
        var widget = Assert.Single(guide.Resources);
        Assert.Equal("widget", widget.ObjectName);
        Assert.Equal(
            [("title", "name", FieldChangeKind.Renamed), ("blue", "teal", FieldChangeKind.EnumValueAdded)],
            widget.Steps.Select(s => (s.Field!.Before, s.Field.After, s.Field.Kind)));
        Assert.Contains("title", widget.FieldsBefore);
        Assert.Contains("name", widget.FieldsAfter);
        Assert.DoesNotContain("title", widget.FieldsAfter);
        Assert.Empty(guide.SideEffects);
    }

    [Fact]
    public void The_upgrade_guide_calls_out_side_effects_and_leaves_out_changes_at_or_before_from()
    {
        var guide = History.GetUpgradeGuide(V("2024-01-01"), V("2025-01-01"));

        Assert.Equal([nameof(LegacyPricing), nameof(RenameName)], guide.Changes.Select(c => c.Name));
        Assert.Equal(nameof(LegacyPricing), Assert.Single(guide.SideEffects).Name);
        Assert.Equal(["widget"], guide.Resources.Select(r => r.ObjectName));
        Assert.Contains("## Changes with side effects", guide.ToMarkdown(), StringComparison.Ordinal);

        // The live history's changes keep their class.
        Assert.Equal(typeof(LegacyPricing), guide.SideEffects[0].ChangeType);
    }

    [Fact]
    public void An_upgrade_to_the_same_version_is_empty()
    {
        var guide = History.GetUpgradeGuide(History.Latest, History.Latest);

        Assert.Empty(guide.Changes);
        Assert.Empty(guide.Resources);
        Assert.Contains("nothing changes", guide.ToMarkdown(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2025-01-01", "2019-01-01", "from", "'from' (2025-01-01) is newer than 'to' (2019-01-01)")]
    [InlineData("2019-06-01", "2025-01-01", "from", "'from' is 2019-06-01, which is not a version of this API. Valid versions: 2019-01-01, 2020-01-01")]
    [InlineData("2019-01-01", "2030-01-01", "to", "'to' is 2030-01-01, which is not a version of this API.")]
    public void A_bad_upgrade_says_why(string from, string to, string parameter, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => History.GetUpgradeGuide(V(from), V(to)));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_of_an_unknown_version_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Changelog.ToMarkdown(V("2019-06-01")));
        Assert.Contains("2019-06-01 is not a version of this API", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "Expected an object holding 'format'")]
    [InlineData("""{"format":3}""", "format 3; this VersionKit reads format 2")]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2019-01-01","kind":"major","notes":null}],"changes":[],"resources":[],"x":1}""", null)]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2019-1-1","kind":"major","notes":null}],"changes":[],"resources":[]}""", "'version' holds a bad version")]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2019-01-01","kind":"major","notes":null}],"changes":[{"name":"C","version":"2020-01-01","description":"","title":null,"category":null,"breaking":false,"order":0,"has_side_effects":false,"has_code":false,"resources":[],"field_changes":[]}],"resources":[]}""", "Change C belongs to 2020-01-01, which is not a release after the initial one")]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2019-01-01","kind":"major","notes":null},{"version":"2020-01-01","kind":"major","notes":null}],"changes":[{"name":"C","version":"2020-01-01","description":"","title":null,"category":null,"breaking":false,"order":0,"has_side_effects":false,"has_code":false,"resources":[],"field_changes":[{"resource":"r","kind":"moved","field":"f","before":null,"after":null}]}],"resources":[]}""", "'moved' is not a kind of field change")]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2019-01-01","kind":"major","notes":null}],"changes":[],"resources":[{"object":"r"}]}""", "lacks 'shapes'")]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2020-01-01","kind":"major","notes":null},{"version":"2019-01-01","kind":"major","notes":null}],"changes":[],"resources":[]}""", "oldest first without repeats")]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2019-01-01","kind":"major","notes":null},{"version":"2020-01-01","kind":"weekly","notes":null}],"changes":[],"resources":[]}""", "'weekly' is not a kind of release")]
    [InlineData("""{"format":2,"history":"H","releases":[{"version":"2019-01-01","kind":"major","notes":null},{"version":"2020-01-01.preview","kind":"preview","notes":null},{"version":"2021-01-01","kind":"major","notes":null}],"changes":[],"resources":[]}""", "is older than release 2021-01-01")]
    public void Bad_changelog_json_is_refused_with_the_reason(string json, string? expected)
    {
        if (expected is null)
        {
            // Unknown fields are allowed, so that a newer generator can add some.
            Assert.Equal("H", ApiChangelog.FromJson(json).HistoryName);
            return;
        }

        var error = Assert.Throws<FormatException>(() => ApiChangelog.FromJson(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_changelog_json_is_stable_json_with_every_version_and_change()
    {
        var json = JsonNode.Parse(Changelog.ToJson())!.AsObject();

        Assert.Equal(History.Versions.Select(v => v.ToString()), json["releases"]!.AsArray().Select(r => (string?)r!["version"]));
        Assert.All(json["releases"]!.AsArray(), r => Assert.Equal("major", (string?)r!["kind"]));
        Assert.Equal(History.Changes.Count, json["changes"]!.AsArray().Count);
        Assert.EndsWith("}\n", Changelog.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("\r", Changelog.ToJson(), StringComparison.Ordinal);
    }

    private static readonly ApiChangelog WithEndpoints = Changelog.WithEndpointChanges(
    [
        new(V("2025-01-01"), ApiEndpointChangeKind.Removed, "GET /v1/widgets/{id}/legacy"),
        new(V("2022-01-01"), ApiEndpointChangeKind.Introduced, "GET /v1/widgets/{id}/sizes"),
        new(V("2022-01-01"), ApiEndpointChangeKind.Replaced, "GET /v1/widgets"),
    ]);

    [Fact]
    public void Endpoint_changes_are_listed_by_the_version_that_made_them_in_the_changelog()
    {
        TextSnapshot.Verify(WithEndpoints.ToMarkdown(V("2022-01-01")), "Widget.endpoints.2022-01-01.md");
        Assert.Equal(
            ["GET /v1/widgets/{id}/sizes", "GET /v1/widgets"],
            WithEndpoints.GetEndpointChanges(V("2022-01-01")).Select(c => c.Endpoint));
        Assert.Contains("- `GET /v1/widgets/{id}/legacy`: removed; this version and newer ones get 410", WithEndpoints.ToMarkdown(), StringComparison.Ordinal);
        Assert.DoesNotContain("Endpoints", Changelog.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_upgrade_guide_lists_the_endpoint_changes_between_its_versions()
    {
        TextSnapshot.Verify(WithEndpoints.GetUpgradeGuide(V("2021-01-01"), V("2025-01-01")).ToMarkdown(), "Widget.endpoints.upgrade.2021-01-01.2025-01-01.md");
        Assert.Equal(
            ["GET /v1/widgets/{id}/legacy"],
            WithEndpoints.GetUpgradeGuide(V("2022-01-01"), V("2025-01-01")).EndpointChanges.Select(c => c.Endpoint));
        Assert.Empty(WithEndpoints.GetUpgradeGuide(V("2019-01-01"), V("2021-01-01")).EndpointChanges);
    }

    [Fact]
    public void A_version_whose_only_change_is_an_endpoint_is_not_reported_unchanged()
    {
        var changelog = new ApiChangelog("H", [new ApiRelease(V("2019-01-01"), ApiReleaseKind.Major), new ApiRelease(V("2020-01-01"), ApiReleaseKind.Major)], [], [])
            .WithEndpointChanges([new(V("2020-01-01"), ApiEndpointChangeKind.Introduced, "GET /v1/balance")]);

        Assert.DoesNotContain("No changes.", changelog.ToMarkdown(V("2020-01-01")), StringComparison.Ordinal);
        string guide = changelog.GetUpgradeGuide(V("2019-01-01"), V("2020-01-01")).ToMarkdown();
        Assert.Contains("1 version (2020-01-01) brings 1 endpoint change.", guide, StringComparison.Ordinal);
        Assert.Contains("| 2020-01-01 | `GET /v1/balance` | added; older versions get 404 |", guide, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_changes_survive_the_json_and_are_absent_from_it_when_there_are_none()
    {
        var read = ApiChangelog.FromJson(WithEndpoints.ToJson());

        Assert.Equal(WithEndpoints.EndpointChanges, read.EndpointChanges);
        Assert.Equal(WithEndpoints.ToJson(), read.ToJson());
        Assert.Null(JsonNode.Parse(Changelog.ToJson())!["endpoint_changes"]);
        Assert.Equal(["introduced", "replaced", "removed"], JsonNode.Parse(WithEndpoints.ToJson())!["endpoint_changes"]!.AsArray().Select(c => (string?)c!["kind"]));
    }

    [Fact]
    public void An_endpoint_change_at_a_version_the_history_does_not_have_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Changelog.WithEndpointChanges([new(V("2022-02-02"), ApiEndpointChangeKind.Introduced, "GET /v1/x")]));
        Assert.Contains("GET /v1/x is at 2022-02-02, which is not a version of this API", error.Message, StringComparison.Ordinal);

        string json = Changelog.ToJson().Replace("\n  \"resources\":", "\n  \"endpoint_changes\": [{ \"version\": \"2020-01-01\", \"kind\": \"moved\", \"endpoint\": \"GET /x\" }],\n  \"resources\":", StringComparison.Ordinal);
        Assert.Contains("'moved' is not a kind of endpoint change", Assert.Throws<FormatException>(() => ApiChangelog.FromJson(json)).Message, StringComparison.Ordinal);
    }
}
