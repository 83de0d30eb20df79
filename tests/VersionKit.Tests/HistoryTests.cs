using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Tests;

public class HistoryTests
{
    private static readonly ApiHistory History = WidgetHistory.Default;

    [Fact]
    public void A_version_predates_a_change_exactly_when_it_is_older_than_it()
    {
        Assert.True(History.Predates<LegacyPricing>(ApiVersion.Parse("2024-01-01")));
        Assert.False(History.Predates<LegacyPricing>(ApiVersion.Parse("2024-06-01")));
        Assert.False(History.Predates<LegacyPricing>(History.Latest));
    }

    [Fact]
    public void Asking_about_a_class_that_is_not_a_change_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => History.Predates<Widget>(History.Latest));
        Assert.Contains("Widget is not a version change", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_version_has_its_changes_in_order()
    {
        Assert.Equal(History.Versions.Skip(1), History.Changes.Select(c => c.Version).Distinct());
        var removal = History.GetChanges(ApiVersion.Parse("2023-01-01")).Single();
        Assert.Equal(typeof(RemoveLegacyFields), removal.ChangeType);
        Assert.Equal(nameof(RemoveLegacyFields), removal.Name);
        Assert.Equal(["widget"], removal.Resources);
        Assert.Equal(
            [new FieldChange("widget", FieldChangeKind.Removed, "legacy_code", "legacy_code", null), new FieldChange("widget", FieldChangeKind.Removed, "heavy", "heavy", null)],
            removal.FieldChanges);
        Assert.True(History.GetChanges(ApiVersion.Parse("2024-06-01")).Single().HasSideEffects);
        Assert.True(History.GetChanges(ApiVersion.Parse("2024-01-01")).Single().HasCode);
        Assert.Empty(History.GetChanges(History.InitialVersion));
    }

    [Theory]
    [InlineData("2024-06-01", "2024-06-01")]
    public void Resolves_a_known_version(string text, string expected)
    {
        Assert.True(History.TryResolve(text, out var version, out _));
        Assert.Equal(expected, version.ToString());
    }

    [Theory]
    [InlineData("2024-06-02", "'2024-06-02' is not a version of this API. Valid versions: 2019-01-01, 2020-01-01")]
    [InlineData("2030-01-01", "newer than the latest version, 2025-01-01")]
    [InlineData("2024-06-01.acacia", "the release of 2024-06-01 is named '2024-06-01'")]
    [InlineData("garbage", "'garbage' is not a version; expected a release date")]
    [InlineData(null, "The version is empty")]
    public void Refuses_an_unknown_or_malformed_version_and_lists_the_valid_ones(string? text, string expected)
    {
        Assert.False(History.TryResolve(text, out _, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("2025-01-01", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_transformation_that_throws_names_the_change_the_resource_and_the_version()
    {
        var renderer = new ApiRenderer(History, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        var broken = new JsonObject { ["id"] = "gad_1", ["object"] = "gadget", ["owner"] = "not an object" };
        var error = Assert.Throws<RenderException>(() => renderer.Transform(broken, History.InitialVersion));
        Assert.Equal(typeof(ExpandOwner), error.ChangeType);
        Assert.Equal("gadget", error.Resource);
        Assert.Equal(ApiVersion.Parse("2024-01-01"), error.Version);
        Assert.Contains("ExpandOwner (2024-01-01) failed on resource 'gadget'", error.Message, StringComparison.Ordinal);
    }
}
