using System.Reflection;
using VersionKit.Pins;
using VersionKit.Testing;

namespace VersionKit.Generators.Tests;

/// <summary>
/// Releases on histories compiled by the real generator: the latest stable release, previews served only by name and
/// rendered on top of it, monthly releases that render as their major, the nearest-earlier fallback, internal changes
/// kept out of the public changelog, the changelog grouped by release, the version constants, and a preview promoted to
/// a major by moving its change's date.
/// </summary>
public sealed class ReleaseTests
{
    private const string Shop = """
        using System.Text.Json.Serialization;
        using VersionKit;

        namespace Shop;

        [ApiHistory("2019-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, BreakingChangesOnlyInMajors = true)]
        [ApiRelease("2024-09-30.acacia", ApiReleaseKind.Major, Notes = "Widgets are named.")]
        [ApiRelease("2024-10-28.acacia", ApiReleaseKind.Monthly)]
        [ApiRelease("2026-11-15.preview", ApiReleaseKind.Preview, Notes = "Widgets may have a `weight`.")]
        public partial class ShopHistory;

        [ApiResource("widget")]
        public sealed class Widget
        {
            public string Id { get; init; } = "wid_1";

            public string Object => "widget";

            public string Name { get; init; } = "Sprocket";

            public int Size { get; init; } = 12;

            public int Weight { get; init; } = 3;
        }

        [VersionChange("2020-01-01", "Widgets have a `size`. Measured in millimetres.")]
        [FieldAdded(typeof(Widget), "size")]
        public sealed class AddSize;

        [VersionChange("2024-09-30.acacia", "`title` is now `name`.", Category = "catalog")]
        [FieldRenamed(typeof(Widget), "title", "name")]
        public sealed class RenameTitle;

        [VersionChange("2024-10-28", "Internal: widgets are counted by the new warehouse.", HasSideEffects = false, Internal = true, Order = 1)]
        [FieldAdded(typeof(Widget), "warehouse")]
        public sealed class WarehouseCount;

        [VersionChange("2026-11-15.preview", "Widgets have a `weight`, in grams.", Title = "Widget weight")]
        [FieldAdded(typeof(Widget), "weight")]
        public sealed class AddWeight;
        """;

    // The internal change needs its field: added after the fact so that Shop reads as a history first.
    private static readonly string Source = Shop.Replace("public int Weight { get; init; } = 3;", "public int Weight { get; init; } = 3;\n\n    public int Warehouse { get; init; } = 7;", StringComparison.Ordinal);

    private static readonly ApiVersion Acacia = ApiVersion.Parse("2024-09-30.acacia");
    private static readonly ApiVersion Monthly = ApiVersion.Parse("2024-10-28.acacia");
    private static readonly ApiVersion Preview = ApiVersion.Parse("2026-11-15.preview");

    [Fact]
    public void The_latest_version_is_the_latest_stable_release_and_the_preview_comes_after_it()
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        var history = source.History;

        Assert.Equal(Monthly, history.Latest);
        Assert.Equal(Preview, history.Versions[^1]);
        Assert.Equal(
            [("2019-01-01", ApiReleaseKind.Major), ("2020-01-01", ApiReleaseKind.Major), ("2024-09-30.acacia", ApiReleaseKind.Major), ("2024-10-28.acacia", ApiReleaseKind.Monthly), ("2026-11-15.preview", ApiReleaseKind.Preview)],
            history.Releases.Select(r => (r.Version.ToString(), r.Kind)));
        Assert.Equal("Widgets are named.", history.GetRelease(Acacia).Notes);
        Assert.True(history.GetRelease(Preview).IsPreview);
        Assert.Throws<ArgumentOutOfRangeException>(() => history.GetRelease(ApiVersion.Parse("2024-10-29")));
    }

    [Fact]
    public void A_monthly_release_renders_as_its_major_with_what_it_adds_and_the_preview_on_top_of_it()
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        object widget = source.New("Shop.Widget");

        Assert.Equal("""{"id":"wid_1","object":"widget","name":"Sprocket","size":12}""", source.Writers.Render(widget, Acacia));
        Assert.Equal("""{"id":"wid_1","object":"widget","name":"Sprocket","size":12,"warehouse":7}""", source.Writers.Render(widget, Monthly));
        Assert.Equal("""{"id":"wid_1","object":"widget","name":"Sprocket","size":12,"weight":3,"warehouse":7}""", source.Writers.Render(widget, Preview));
        Assert.Equal(source.Reference.Render(widget, Preview), source.Writers.Render(widget, Preview));
    }

    [Theory]
    [InlineData("2026-11-15.preview", UnknownVersionDate.Strict, "2026-11-15.preview")]
    [InlineData("2024-10-28", UnknownVersionDate.Strict, "2024-10-28.acacia")]
    [InlineData("2024-10-01", UnknownVersionDate.NearestEarlier, "2024-09-30.acacia")]
    [InlineData("2021-06-30", UnknownVersionDate.NearestEarlier, "2020-01-01")]
    [InlineData("2026-11-16", UnknownVersionDate.NearestEarlier, "2024-10-28.acacia")]
    [InlineData("2030-01-01", UnknownVersionDate.NearestEarlier, "2024-10-28.acacia")]
    public void A_version_resolves_to_its_release(string text, UnknownVersionDate unknownDate, string expected)
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        Assert.True(source.History.TryResolve(text, unknownDate, out var version, out string? error), error);
        Assert.Equal(expected, version.ToString());
    }

    [Theory]
    [InlineData("2026-11-15", UnknownVersionDate.Strict, "'2026-11-15' is the date of the preview release '2026-11-15.preview'; a preview is served only to callers that name it: send '2026-11-15.preview'.")]
    [InlineData("2026-11-15", UnknownVersionDate.NearestEarlier, "a preview is served only to callers that name it")]
    [InlineData("2024-10-01", UnknownVersionDate.Strict, "'2024-10-01' is not a version of this API. Valid versions: 2019-01-01, 2020-01-01, 2024-09-30.acacia, 2024-10-28.acacia, 2026-11-15.preview.")]
    [InlineData("2024-10-01.acacia", UnknownVersionDate.NearestEarlier, "'2024-10-01.acacia' is not a version of this API.")]
    [InlineData("2018-12-31", UnknownVersionDate.NearestEarlier, "'2018-12-31' is not a version of this API.")]
    [InlineData("2030-01-01", UnknownVersionDate.Strict, "it is newer than the newest version, the preview 2026-11-15.preview.")]
    public void A_version_that_is_no_release_is_refused_with_the_reason(string text, UnknownVersionDate unknownDate, string expected)
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        Assert.False(source.History.TryResolve(text, unknownDate, out _, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_is_pinned_to_the_latest_stable_release_and_never_to_a_preview()
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        var pins = new ApiVersionPins(source.History, new InMemoryPinStore());

        Assert.Equal(Monthly, (await pins.GetOrPinAsync("acct_new")).Version);
        var upgrade = await Assert.ThrowsAsync<PinChangeRefusedException>(() => pins.UpgradeAsync("acct_new", Preview, PinActor.Account("acct_new")));
        Assert.Equal("2026-11-15.preview is a preview: it is served only to calls that name it in the version header, and an account cannot be pinned to it. Pin a stable release; the latest is 2024-10-28.acacia.", upgrade.Message);
        await Assert.ThrowsAsync<PinChangeRefusedException>(() => pins.AssignAsync("acct_other", Preview, PinActor.Operator("import")));
        Assert.Null(await pins.FindAsync("acct_other"));
        Assert.Equal(Monthly, (await pins.FindAsync("acct_new"))!.Version);
    }

    [Fact]
    public void Every_version_has_a_typed_constant_and_each_named_major_its_name()
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        var constants = source.Type("Shop.ShopHistory+Version").GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => f.Name, f => (ApiVersion)f.GetValue(null)!);

        Assert.Equal(
            new Dictionary<string, ApiVersion>
            {
                ["V2019_01_01"] = ApiVersion.Parse("2019-01-01"),
                ["V2020_01_01"] = ApiVersion.Parse("2020-01-01"),
                ["V2024_09_30_Acacia"] = Acacia,
                ["Acacia"] = Acacia,
                ["V2024_10_28_Acacia"] = Monthly,
                ["V2026_11_15_Preview"] = Preview,
            },
            constants);
        Assert.Equal(source.History.Versions, constants.Where(c => c.Key.StartsWith('V')).Select(c => c.Value).Order());
    }

    [Fact]
    public void An_internal_change_applies_but_stays_out_of_the_public_changelog()
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        var history = source.History;
        var changelog = ApiChangelog.From(history);

        Assert.Contains(history.Changes, c => c.Name == "WarehouseCount" && c.IsInternal);
        Assert.True(history.GetType().GetMethod("Predates")!.MakeGenericMethod(source.Type("Shop.WarehouseCount")).Invoke(history, [Acacia]) is true);
        Assert.DoesNotContain(changelog.Changes, c => c.IsInternal);
        Assert.Equal(["AddSize", "RenameTitle", "AddWeight"], changelog.Changes.Select(c => c.Name));
        Assert.Empty(changelog.GetChanges(Monthly));
        Assert.DoesNotContain("Internal:", source.EmbeddedChangelog, StringComparison.Ordinal);
        Assert.DoesNotContain("Internal:", changelog.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("Internal:", changelog.ToMarkdown(), StringComparison.Ordinal);
        Assert.DoesNotContain("Internal:", history.GetUpgradeGuide(history.InitialVersion, Preview).ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(changelog.ToJson(), source.EmbeddedChangelog);
    }

    [Fact]
    public void Each_change_has_a_title_a_category_and_whether_it_breaks()
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        var changes = ApiChangelog.FromJson(source.EmbeddedChangelog).Changes.ToDictionary(c => c.Name);

        Assert.Equal(("Widgets have a `size`", "widget", false), (changes["AddSize"].Title, changes["AddSize"].Category, changes["AddSize"].IsBreaking));
        Assert.Equal(("`title` is now `name`", "catalog", true), (changes["RenameTitle"].Title, changes["RenameTitle"].Category, changes["RenameTitle"].IsBreaking));
        Assert.Equal(("Widget weight", "widget", false), (changes["AddWeight"].Title, changes["AddWeight"].Category, changes["AddWeight"].IsBreaking));
    }

    [Fact]
    public void The_changelog_groups_releases_under_their_major_newest_first_with_previews_apart()
    {
        using var source = LoadedSource.Compile(Source, "Shop.ShopHistory");
        var changelog = ApiChangelog.FromJson(source.EmbeddedChangelog);

        TextSnapshot.Verify(changelog.ToMarkdown(), "Releases.CHANGELOG.md");
        TextSnapshot.Verify(changelog.ToMarkdownSince(ApiVersion.Parse("2020-01-01")), "Releases.since.2020-01-01.md");
        TextSnapshot.Verify(changelog.ToMarkdown(Monthly), "Releases.2024-10-28.acacia.md");
        Assert.Equal("# API changelog\n\nNothing was released after 2026-11-15.preview.\nGenerated by VersionKit from `ShopHistory`: edit the version changes, not this file.\n", changelog.ToMarkdownSince(Preview));
        Assert.Throws<ArgumentException>(() => changelog.ToMarkdownSince(ApiVersion.Parse("2024-10-29")));
    }

    [Fact]
    public void Promoting_the_preview_by_moving_its_changes_date_leaves_every_released_version_as_it_was()
    {
        string promoted = Source
            .Replace("[ApiRelease(\"2026-11-15.preview\", ApiReleaseKind.Preview, Notes = \"Widgets may have a `weight`.\")]", "[ApiRelease(\"2027-03-30.fig\", ApiReleaseKind.Major)]", StringComparison.Ordinal)
            .Replace("[VersionChange(\"2026-11-15.preview\",", "[VersionChange(\"2027-03-30.fig\",", StringComparison.Ordinal);
        Assert.NotEqual(Source, promoted);
        using var before = LoadedSource.Compile(Source, "Shop.ShopHistory");
        using var after = LoadedSource.Compile(promoted, "Shop.ShopHistory");
        var fig = ApiVersion.Parse("2027-03-30.fig");

        var released = before.History.Releases.Where(r => !r.IsPreview).Select(r => r.Version).ToList();
        Assert.Equal([.. released, fig], after.History.Versions);
        Assert.Equal(fig, after.History.Latest);
        foreach (var version in released)
        {
            Assert.Equal(before.Writers.Render(before.New("Shop.Widget"), version), after.Writers.Render(after.New("Shop.Widget"), version));
        }

        Assert.Equal(before.Writers.Render(before.New("Shop.Widget"), Preview), after.Writers.Render(after.New("Shop.Widget"), fig));
    }
}
