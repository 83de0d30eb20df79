namespace VersionKit.Generators.Tests;

/// <summary>The release diagnostics (VK0030-VK0032), each by its ID and exact span, and what they leave alone.</summary>
public sealed partial class DiagnosticTests
{
    // The preamble's history, declaring a major, its monthly release and a preview, and allowing breaking changes only in majors.
    private static readonly string Releases = Preamble.Replace(
        "[ApiHistory(\"2019-01-01\", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]",
        """
        [ApiHistory("2019-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, BreakingChangesOnlyInMajors = true)]
        [ApiRelease("2024-09-30.acacia", ApiReleaseKind.Major)]
        [ApiRelease("2024-10-28.acacia", ApiReleaseKind.Monthly)]
        [ApiRelease("2026-11-15.preview", ApiReleaseKind.Preview)]
        """,
        StringComparison.Ordinal);

    [Fact]
    public void VK0030_a_rename_in_a_monthly_release_is_reported_on_the_attribute()
    {
        var run = AssertDiagnostics("VK0030", Releases + """
            [VersionChange("2024-10-28.acacia", "`title` is now `name`.")]
            [[|FieldRenamed(typeof(Widget), "title", "name")|]]
            public sealed class RenameTitle;
            """);

        Assert.Equal(
            "Version change 'RenameTitle' renames field 'title' of 'Shop.Widget' to 'name', which breaks callers, in the monthly release 2024-10-28.acacia; this history allows breaking changes only in major releases",
            Message(run));
    }

    [Fact]
    public void VK0030_an_enum_value_added_in_a_monthly_release_named_by_its_date_is_reported_on_the_attribute()
        => AssertDiagnostics("VK0030", Releases + """
            [VersionChange("2024-10-28", "`color` can be `teal`.")]
            [FieldAdded(typeof(Widget), "size")]
            [[|EnumValueAdded(typeof(Widget), "color", "teal", "blue")|]]
            public sealed class AddTeal;
            """);

    [Fact]
    public void VK0030_code_in_a_monthly_release_is_reported_on_the_method()
        => AssertDiagnostics("VK0030", Releases + """
            [VersionChange("2024-10-28.acacia", "Sizes were in inches.")]
            public sealed class SizeInInches
            {
                [BackwardTransform(typeof(Widget), Field = "size")]
                public static void [|ToInches|](JsonObject widget) => widget["size"] = (int)widget["size"]! / 2;
            }
            """);

    [Fact]
    public void VK0030_side_effects_in_a_monthly_release_are_reported_on_the_change()
        => AssertDiagnostics("VK0030", Releases + """
            [VersionChange("2024-10-28.acacia", "Widgets ship the new way.", HasSideEffects = true)]
            public sealed class [|LegacyShipping|];
            """);

    [Fact]
    public void Additions_in_a_monthly_release_and_breaking_changes_in_a_major_or_a_preview_build_clean()
        => GeneratorHarness.GenerateValid(Releases + """
            [VersionChange("2024-10-28.acacia", "Widgets have a `size`.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;

            [VersionChange("2024-09-30.acacia", "`title` is now `name`.")]
            [FieldRenamed(typeof(Widget), "title", "name")]
            public sealed class RenameTitle;

            [VersionChange("2026-11-15.preview", "`tint` is now `color`.")]
            [FieldRenamed(typeof(Widget), "tint", "color")]
            public sealed class RenameTint;
            """);

    [Fact]
    public void A_breaking_change_in_a_monthly_release_builds_clean_without_the_policy()
        => GeneratorHarness.GenerateValid(Releases.Replace(", BreakingChangesOnlyInMajors = true", string.Empty, StringComparison.Ordinal) + """
            [VersionChange("2024-10-28.acacia", "`title` is now `name`.")]
            [FieldRenamed(typeof(Widget), "title", "name")]
            public sealed class RenameTitle;
            """);

    [Fact]
    public void VK0031_a_change_dated_where_no_release_is_declared_is_reported_on_its_version()
    {
        var run = AssertDiagnostics("VK0031", Releases + """
            [VersionChange([|"2024-10-29"|], "Widgets have a `size`.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;
            """);

        Assert.Contains("the history declares no release on 2024-10-29; from 2024-09-30.acacia on, a change belongs to a declared release: 2024-09-30.acacia, 2024-10-28.acacia, 2026-11-15.preview", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0031_a_change_that_names_another_release_of_a_declared_date_is_reported_on_its_version()
    {
        var run = AssertDiagnostics("VK0031", Releases + """
            [VersionChange([|"2024-10-28.basil"|], "Widgets have a `size`.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;
            """);

        Assert.Contains("the history declares the release of that date as 2024-10-28.acacia", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_before_the_first_declared_release_are_majors_of_their_own()
    {
        var run = GeneratorHarness.Run(Releases + """
            [VersionChange("2020-01-01", "Widgets have a `size`.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("new global::VersionKit.ApiRelease(v[1], global::VersionKit.ApiReleaseKind.Major, null)", run.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[ApiRelease([|\"2024-11-28.basil\"|], ApiReleaseKind.Monthly)]", "Monthly release 2024-11-28.basil must carry the name of its major release 2024-09-30.acacia: 2024-11-28.acacia")]
    [InlineData("[ApiRelease([|\"2024-11-28.preview\"|], ApiReleaseKind.Major)]", "Release 2024-11-28.preview is named 'preview' but declared major")]
    [InlineData("[ApiRelease([|\"2025-12-01.acacia\"|], ApiReleaseKind.Major)]", "Major releases 2024-09-30.acacia and 2025-12-01.acacia share the name 'acacia'")]
    [InlineData("[ApiRelease([|\"2024-10-28.zeta\"|], ApiReleaseKind.Major)]", "Releases 2024-10-28.acacia and 2024-10-28.zeta share the date 2024-10-28")]
    [InlineData("[ApiRelease([|\"2024-10-28.acacia\"|], ApiReleaseKind.Monthly)]", "Release 2024-10-28.acacia is declared twice")]
    [InlineData("[ApiRelease([|\"2018-01-01\"|], ApiReleaseKind.Major)]", "Release 2018-01-01 is older than the initial version 2019-01-01")]
    [InlineData("[ApiRelease([|\"2027-01-15.fig\"|], ApiReleaseKind.Major)]", null)]
    public void VK0032_a_release_that_breaks_a_rule_is_reported_on_its_version(string release, string? expected)
    {
        var marked = Releases + release + "\npublic partial class ShopHistory;\n";
        if (expected is null)
        {
            // A major after the preview: the preview is now older than a stable release, reported on the preview.
            marked = marked.Replace("[ApiRelease([|\"2027-01-15.fig\"|]", "[ApiRelease(\"2027-01-15.fig\"", StringComparison.Ordinal)
                .Replace("[ApiRelease(\"2026-11-15.preview\"", "[ApiRelease([|\"2026-11-15.preview\"|]", StringComparison.Ordinal);
            expected = "Preview release 2026-11-15.preview is older than release 2027-01-15.fig";
        }

        var run = AssertDiagnostics("VK0032", marked);
        Assert.Contains(expected, Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0032_a_preview_not_named_preview_is_reported_on_its_version()
        => Assert.Contains(
            "Preview release 2026-11-16.beta must be named 'preview': 2026-11-16.preview",
            Message(AssertDiagnostics("VK0032", Releases + "[ApiRelease([|\"2026-11-16.beta\"|], ApiReleaseKind.Preview)]\npublic partial class ShopHistory;\n")),
            StringComparison.Ordinal);

    [Fact]
    public void VK0032_a_release_on_a_class_that_is_not_the_history_is_reported_on_its_version()
        => Assert.Contains(
            "is on 'Shop.Elsewhere', not on the history class 'ShopHistory'",
            Message(AssertDiagnostics("VK0032", Releases + "[ApiRelease([|\"2025-03-31.basil\"|], ApiReleaseKind.Major)]\npublic sealed class Elsewhere;\n")),
            StringComparison.Ordinal);

    [Fact]
    public void VK0009_a_history_named_like_its_version_constants_is_reported_on_its_name()
        => Assert.Contains(
            "cannot be named 'Version'",
            Message(AssertDiagnostics("VK0009", """
                using VersionKit;

                [ApiHistory("2019-01-01")]
                public partial class [|Version|];
                """)),
            StringComparison.Ordinal);
}
