using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace VersionKit.Generators.Tests;

/// <summary>
/// One test per diagnostic: the ID and the exact span, marked <c>[|like this|]</c> in the source. The span is the
/// attribute argument, the attribute, the method name or the type's identifier, as the generator reports it.
/// </summary>
public sealed partial class DiagnosticTests
{
    // A history and a resource whose current fields are: id, object, name, color, size.
    private const string Preamble = """
        using System.Text.Json.Nodes;
        using System.Text.Json.Serialization;
        using VersionKit;

        namespace Shop;

        [ApiHistory("2019-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class ShopHistory;

        [ApiResource("widget")]
        public sealed class Widget
        {
            public string Id { get; init; } = "wid_1";

            public string Object => "widget";

            public string Name { get; init; } = "Sprocket";

            public string Color { get; init; } = "teal";

            public int Size { get; init; } = 12;
        }

        public sealed class Owner
        {
            public string Id { get; init; } = "own_1";
        }

        """;

    [Fact]
    public void VK0001_invalid_change_version_is_reported_on_the_version_argument()
    {
        var run = AssertDiagnostics("VK0001", Preamble + """
            [VersionChange([|"2020-02-30"|], "Widgets have a size.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;
            """);

        Assert.Contains("'2020-02-30' is not a version", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0001_invalid_initial_version_is_reported_on_the_history_argument()
        => AssertDiagnostics("VK0001", """
            using VersionKit;

            [ApiHistory([|"2019-01-01.Acacia"|])]
            public partial class ShopHistory;
            """);

    [Fact]
    public void VK0002_change_affecting_a_type_that_is_not_a_resource_is_reported_on_the_attribute_or_method()
        => AssertDiagnostics("VK0002", Preamble + """
            [VersionChange("2020-01-01", "Owners have an email.")]
            [[|FieldAdded(typeof(Owner), "email")|]]
            public sealed class AddEmail
            {
                [BackwardTransform(typeof(Owner))]
                public static void [|HideEmail|](JsonObject owner) => owner.Remove("email");
            }
            """);

    [Fact]
    public void VK0003_renamed_field_that_does_not_exist_is_reported_on_the_attribute()
    {
        var run = AssertDiagnostics("VK0003", Preamble + """
            [VersionChange("2020-01-01", "`title` is now `label`.")]
            [[|FieldRenamed(typeof(Widget), "title", "label")|]]
            public sealed class RenameTitle;
            """);

        Assert.Equal(
            "Version change 'RenameTitle' (2020-01-01) names field 'label' of 'Widget', but 'Widget' has no such field at that point in history; its fields there are: id, object, name, color, size",
            Message(run));
    }

    [Fact]
    public void VK0003_field_added_by_a_newer_change_does_not_exist_for_an_older_change()
    {
        // Walking back: undoing 2021 hides 'size', so the 2020 change cannot rename it.
        var run = AssertDiagnostics("VK0003", Preamble + """
            [VersionChange("2020-01-01", "`dimension` is now `size`.")]
            [[|FieldRenamed(typeof(Widget), "dimension", "size")|]]
            public sealed class RenameDimension;

            [VersionChange("2021-01-01", "Widgets have a size.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;
            """);

        Assert.EndsWith("its fields there are: id, object, name, color", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0004_backward_transform_with_the_wrong_signature_is_reported_on_the_method_name()
        => AssertDiagnostics("VK0004", Preamble + """
            [VersionChange("2020-01-01", "`size` was a string.")]
            public sealed class SizeWasString
            {
                [BackwardTransform(typeof(Widget))]
                public static JsonObject [|Stringify|](JsonObject widget) => widget;
            }
            """);

    [Fact]
    public void VK0004_on_the_transform_of_a_type_change_is_not_also_reported_as_a_missing_transform_VK0008()
        => AssertDiagnostics("VK0004", Preamble + """
            [VersionChange("2020-01-01", "`size` is a number.")]
            [FieldTypeChanged(typeof(Widget), "size", "string", "integer")]
            public sealed class SizeIsNumber
            {
                [BackwardTransform(typeof(Widget))]
                public void [|Stringify|](JsonObject widget) => widget["size"] = widget["size"]?.ToString();
            }
            """);

    [Fact]
    public void VK0004_removed_value_method_with_the_wrong_signature_is_reported_on_the_attribute()
        => AssertDiagnostics("VK0004", Preamble + """
            [VersionChange("2020-01-01", "`weight` is gone.")]
            [[|FieldRemoved(typeof(Widget), "weight", ValueFrom = nameof(Weight))|]]
            public sealed class RemoveWeight
            {
                public JsonNode? Weight(JsonObject widget) => null;
            }
            """);

    [Fact]
    public void VK0005_change_with_side_effects_that_transforms_is_reported_on_the_class_name()
        => AssertDiagnostics("VK0005", Preamble + """
            [VersionChange("2020-01-01", "Prices are computed the new way.", HasSideEffects = true)]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class [|LegacyPricing|];
            """);

    private const string TwoChangesOfOneVersion = """
        [VersionChange("2020-01-01", "`color` can be `teal`.", Order = FIRST)]
        [EnumValueAdded(typeof(Widget), "color", "teal", "blue")]
        public sealed class AddTeal;

        [VersionChange("2020-01-01", "`color` can be `blue`.", Order = SECOND)]
        [EnumValueAdded(typeof(Widget), "color", "blue", "red")]
        public sealed class AddBlue;
        """;

    [Fact]
    public void VK0006_two_changes_of_one_version_touching_one_field_without_order_are_reported_on_the_second_ones_attribute()
        => AssertDiagnostics("VK0006", Preamble + """
            // Without an order, changes of one version sort by type name: AddBlue, then AddTeal.
            [VersionChange("2020-01-01", "`color` can be `teal`.")]
            [[|EnumValueAdded(typeof(Widget), "color", "teal", "blue")|]]
            public sealed class AddTeal;

            [VersionChange("2020-01-01", "`color` can be `blue`.")]
            [EnumValueAdded(typeof(Widget), "color", "blue", "red")]
            public sealed class AddBlue;
            """);

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1", "0")]
    [InlineData("2", "2")]
    public void VK0006_is_reported_unless_both_changes_have_distinct_orders(string first, string second)
    {
        var run = GeneratorHarness.Run(Preamble + TwoChangesOfOneVersion.Replace("FIRST", first, StringComparison.Ordinal).Replace("SECOND", second, StringComparison.Ordinal));

        Assert.Equal("VK0006", Assert.Single(run.GeneratorDiagnostics).Id);
    }

    [Fact]
    public void VK0006_is_not_reported_for_orders_1_and_2()
    {
        var run = GeneratorHarness.Run(Preamble + TwoChangesOfOneVersion.Replace("FIRST", "1", StringComparison.Ordinal).Replace("SECOND", "2", StringComparison.Ordinal));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Contains("typeof(global::Shop.AddTeal)", run.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2018-06-01")]
    [InlineData("2019-01-01")]
    public void VK0007_change_not_after_the_initial_version_is_reported_on_the_version_argument(string version)
        => AssertDiagnostics("VK0007", Preamble + $$"""
            [VersionChange([|"{{version}}"|], "Widgets have a size.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;
            """);

    [Fact]
    public void VK0008_type_change_without_a_code_transformation_is_reported_on_the_attribute()
        => AssertDiagnostics("VK0008", Preamble + """
            [VersionChange("2020-01-01", "`size` is a number.")]
            [[|FieldTypeChanged(typeof(Widget), "size", "string", "integer")|]]
            public sealed class SizeIsNumber;
            """);

    [Theory]
    [InlineData("""[ApiHistory("2019-01-01")] public class [|ShopHistory|];""")]
    [InlineData("""public partial class Outer { [ApiHistory("2019-01-01")] public partial class [|ShopHistory|]; }""")]
    [InlineData("""[ApiHistory("2019-01-01")] public static partial class [|ShopHistory|];""")]
    [InlineData("""[ApiHistory("2019-01-01")] public abstract partial class [|ShopHistory|];""")]
    [InlineData("""[ApiHistory("2019-01-01")] public partial class [|ShopHistory|]<T>;""")]
    [InlineData("""[ApiHistory("2019-01-01")] public partial class [|ShopHistory|] : System.Exception;""")]
    [InlineData("""[ApiHistory("2019-01-01")] public partial class AHistory; [ApiHistory("2019-01-01")] public partial class [|ShopHistory|];""")]
    [InlineData("""public sealed class NoHistory; [VersionChange("2020-01-01", "Side effect.", HasSideEffects = true)] public sealed class [|Legacy|];""")]
    public void VK0009_invalid_history_declaration_is_reported_on_the_class_name(string declaration)
        => AssertDiagnostics("VK0009", "using VersionKit;\n\nnamespace Shop;\n\n" + declaration + "\n");

    [Fact]
    public void VK0010_resource_without_an_object_field_is_reported_on_the_class_name()
        => AssertDiagnostics("VK0010", Preamble + """
            [ApiResource("gizmo")]
            public sealed class [|Gizmo|]
            {
                public string Id { get; init; } = "giz_1";

                [JsonIgnore]
                public string Object => "gizmo";
            }
            """);

    [Fact]
    public void VK0011_second_resource_with_the_same_object_name_is_reported_on_its_class_name()
        => AssertDiagnostics("VK0011", Preamble + """
            [ApiResource("widget")]
            public sealed class [|Widget2|]
            {
                public string Object => "widget";
            }
            """);

    [Fact]
    public void VK0012_field_that_already_exists_is_reported_on_the_attribute()
        => AssertDiagnostics("VK0012", Preamble + """
            [VersionChange("2020-01-01", "`color` is gone.")]
            [[|FieldRemoved(typeof(Widget), "color")|]]
            public sealed class RemoveColor;

            [VersionChange("2021-01-01", "`size` is now `name`.")]
            [[|FieldRenamed(typeof(Widget), "size", "name")|]]
            public sealed class RenameSize;
            """);

    [Fact]
    public void VK0015_private_nested_change_is_reported_on_its_name()
        => AssertDiagnostics("VK0015", Preamble + """
            public static class Changes
            {
                [VersionChange("2020-01-01", "`color` is gone.")]
                [FieldRemoved(typeof(Widget), "color")]
                private sealed class [|RemoveColor|];
            }
            """);

    [Fact]
    public void VK0015_resource_nested_in_a_private_type_is_reported_on_its_name()
        => AssertDiagnostics("VK0015", Preamble + """
            public class Outer
            {
                private sealed class Inner
                {
                    [ApiResource("gizmo")]
                    public sealed class [|Gizmo|]
                    {
                        public string Object => "gizmo";
                    }
                }
            }
            """);

    [Fact]
    public void VK0013_change_that_does_nothing_is_a_warning_on_the_class_name()
    {
        var run = AssertDiagnostics("VK0013", Preamble + """
            [VersionChange("2020-01-01", "Nothing, really.")]
            public sealed class [|Nothing|];
            """);

        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(run.GeneratorDiagnostics).Severity);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void VK0014_removed_field_with_both_value_and_value_from_is_reported_on_the_attribute()
        => AssertDiagnostics("VK0014", Preamble + """
            [VersionChange("2020-01-01", "`weight` is gone.")]
            [[|FieldRemoved(typeof(Widget), "weight", Value = 1, ValueFrom = nameof(Weight))|]]
            public sealed class RemoveWeight
            {
                public static JsonNode? Weight(JsonObject widget) => null;
            }
            """);

    [Fact]
    public void VK0004_typed_transformation_without_a_field_or_computed_value_of_the_wrong_resource_is_reported()
        => AssertDiagnostics("VK0004", Preamble + """
            [VersionChange("2020-01-01", "`weight` is gone; `color` was upper case.")]
            [[|FieldRemoved(typeof(Widget), "weight", ValueFrom = nameof(Weight))|]]
            public sealed class Typed
            {
                public static int Weight(Owner owner) => 1;

                [BackwardTransform(typeof(Widget))]
                public static string [|Upper|](string color) => color.ToUpperInvariant();
            }
            """);

    [Fact]
    public void VK0016_enum_value_added_to_a_number_is_reported_on_the_attribute()
    {
        var run = AssertDiagnostics("VK0016", Preamble + """
            [VersionChange("2020-01-01", "Sizes can be `-1`.")]
            [[|EnumValueAdded(typeof(Widget), "size", "-1", "0")|]]
            public sealed class NegativeSizes;
            """);

        Assert.Contains("'size' of 'Widget', which holds 'int'", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0016_enum_value_added_to_a_restored_number_constant_is_reported_too()
        => AssertDiagnostics("VK0016", Preamble + """
            [VersionChange("2020-01-01", "`legacy` can be 7.")]
            [[|EnumValueAdded(typeof(Widget), "legacy", "7", "6")|]]
            public sealed class LegacySeven;

            [VersionChange("2021-01-01", "`legacy` is gone.")]
            [FieldRemoved(typeof(Widget), "legacy", Value = 6)]
            public sealed class RemoveLegacy;
            """);

    [Fact]
    public void VK0017_computed_value_reading_a_field_that_is_not_there_is_reported_on_the_attribute()
    {
        var run = AssertDiagnostics("VK0017", Preamble + """
            [VersionChange("2020-01-01", "`heavy` is gone.")]
            [[|FieldRemoved(typeof(Widget), "heavy", ValueFrom = nameof(Heavy), ValueFromField = "weight")|]]
            public sealed class RemoveHeavy
            {
                public static JsonNode? Heavy(JsonObject widget) => widget["weight"]?.DeepClone();
            }
            """);

        Assert.Contains("fields there are: id, object, name, color, size", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0017_computed_value_reading_a_field_a_newer_change_added_is_reported()
        => AssertDiagnostics("VK0017", Preamble + """
            [VersionChange("2020-01-01", "`heavy` is gone.")]
            [[|FieldRemoved(typeof(Widget), "heavy", ValueFrom = nameof(Heavy), ValueFromField = "size")|]]
            public sealed class RemoveHeavy
            {
                public static JsonNode? Heavy(JsonObject widget) => widget["size"]?.DeepClone();
            }

            [VersionChange("2021-01-01", "Widgets have a size.")]
            [FieldAdded(typeof(Widget), "size")]
            public sealed class AddSize;
            """);

    [Fact]
    public void VK0018_field_scoped_transformation_naming_a_missing_field_is_reported_on_the_method()
        => AssertDiagnostics("VK0018", Preamble + """
            [VersionChange("2020-01-01", "`owner` is an object.")]
            [FieldTypeChanged(typeof(Widget), "color", "string", "string")]
            public sealed class ExpandOwner
            {
                [BackwardTransform(typeof(Widget), Field = "nope")]
                public static void [|Collapse|](JsonObject widget) => widget.Remove("nope");
            }
            """);

    [Fact]
    public void VK0019_request_rename_to_a_field_the_request_does_not_have_is_reported_on_the_attribute()
    {
        var run = AssertDiagnostics("VK0019", Preamble + """
            public sealed record CreateWidget(string? Name, string? Color);

            [VersionChange("2020-01-01", "Creating a widget takes `label` where it took `title`.")]
            [[|RequestFieldRenamed(typeof(CreateWidget), "title", "label")|]]
            public sealed class RenameTitle;
            """);

        Assert.Contains("its fields there are: name, color", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0020_typed_transformation_of_another_type_or_of_a_value_already_changed_is_reported_on_the_method()
        => AssertDiagnostics("VK0020", Preamble + """
            [VersionChange("2020-01-01", "Colors were upper case.")]
            public sealed class UpperColor
            {
                [BackwardTransform(typeof(Widget), Field = "color")]
                public static string [|Upper|](string color) => color.ToUpperInvariant();
            }

            [VersionChange("2021-01-01", "Colors can be `teal`.")]
            [EnumValueAdded(typeof(Widget), "color", "teal", "blue")]
            public sealed class AddTeal;

            [VersionChange("2022-01-01", "Sizes were text.")]
            public sealed class SizeText
            {
                [BackwardTransform(typeof(Widget), Field = "size")]
                public static string [|Text|](long size) => size.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            """);

    [Fact]
    public void VK0019_request_field_added_that_the_request_does_not_have_is_reported_on_the_attribute()
    {
        var run = AssertDiagnostics("VK0019", Preamble + """
            public sealed record CreateWidget(string? Name, string? Color);

            [VersionChange("2020-01-01", "Widgets can be given a size.")]
            [[|RequestFieldAdded(typeof(CreateWidget), "size")|]]
            public sealed class AddSize;
            """);

        Assert.Contains("names request field 'size' of 'CreateWidget'", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0012_request_field_removed_that_the_request_still_has_is_reported_on_the_attribute()
        => AssertDiagnostics("VK0012", Preamble + """
            public sealed record CreateWidget(string? Name, string? Color);

            [VersionChange("2020-01-01", "Widgets are no longer given a color.")]
            [[|RequestFieldRemoved(typeof(CreateWidget), "color")|]]
            public sealed class RemoveColor;
            """);

    [Fact]
    public void VK0006_two_request_changes_of_one_version_touching_one_field_without_order_are_reported()
        => AssertDiagnostics("VK0006", Preamble + """
            public sealed record CreateWidget(string? Name, string? Color);

            [VersionChange("2020-01-01", "Widgets are no longer given a color.")]
            [RequestFieldRemoved(typeof(CreateWidget), "color")]
            public sealed class First;

            [VersionChange("2020-01-01", "Widgets can be given a color.")]
            [[|RequestFieldAdded(typeof(CreateWidget), "color")|]]
            public sealed class Second;
            """);

    [Fact]
    public void VK0022_request_change_naming_a_type_without_fields_is_reported_on_the_attribute()
    {
        var run = AssertDiagnostics("VK0022", Preamble + """
            [VersionChange("2020-01-01", "Creating takes `name`.")]
            [[|RequestFieldRenamed(typeof(System.Collections.Generic.Dictionary<string, string>), "title", "name")|]]
            [[|RequestFieldAdded(typeof(string), "size")|]]
            public sealed class RenameTitle
            {
                [[|RequestTransform(typeof(System.Collections.Generic.List<Owner>))|]]
                public static void Upgrade(JsonObject request) => request.Remove("x");
            }
            """);

        var messages = run.GeneratorDiagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(messages, m => m.StartsWith("Version change 'RenameTitle' names a type that cannot be a request type: 'System.Collections.Generic.Dictionary<string, string>' is a dictionary", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'string' is a single value", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("is a collection", StringComparison.Ordinal));
    }

    [Fact]
    public void VK0022_ApiRequest_on_an_abstract_type_is_reported_on_its_name()
    {
        var run = AssertDiagnostics("VK0022", Preamble + """
            [ApiRequest]
            public abstract class [|CreateThing|]
            {
                public string? Name { get; init; }
            }
            """);

        Assert.StartsWith("[ApiRequest] names a type that cannot be a request type: 'Shop.CreateThing' is abstract", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void VK0015_ApiRequest_type_nested_in_a_private_type_is_reported_on_its_name()
        => AssertDiagnostics("VK0015", Preamble + """
            public sealed class Outer
            {
                private static class Hidden
                {
                    [ApiRequest]
                    public sealed record [|CreateThing|](string? Name);
                }
            }
            """);

    /// <summary>
    /// Runs the generator on <paramref name="marked"/> and asserts that its diagnostics are exactly one
    /// <paramref name="id"/> per marked span, at that span.
    /// </summary>
    private static GeneratorRun AssertDiagnostics(string id, string marked)
    {
        var source = MarkedSource.Parse(marked);
        Assert.NotEmpty(source.Spans);
        var run = GeneratorHarness.Run(source.Text);
        var text = SourceText.From(source.Text);
        string path = GeneratorHarness.PathOf(0);

        var expected = source.Spans.Select(span => Describe(id, path, span, text.Lines.GetLinePositionSpan(span), source.Text));
        var actual = run.GeneratorDiagnostics.Select(d =>
            Describe(d.Id, d.Location.GetLineSpan().Path, d.Location.SourceSpan, d.Location.GetLineSpan().Span, source.Text));
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        Assert.All(run.GeneratorDiagnostics, d => Assert.DoesNotContain("{", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return run;
    }

    private static string Describe(string id, string path, TextSpan span, LinePositionSpan lines, string text)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"{id} {path}({lines.Start.Line + 1},{lines.Start.Character + 1})-({lines.End.Line + 1},{lines.End.Character + 1}) '{(span.End <= text.Length ? text.Substring(span.Start, span.Length) : "?")}'");

    private static string Message(GeneratorRun run) => Assert.Single(run.GeneratorDiagnostics).GetMessage(CultureInfo.InvariantCulture);
}
