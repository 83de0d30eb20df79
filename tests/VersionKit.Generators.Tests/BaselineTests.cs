using VersionKit.Testing;

namespace VersionKit.Generators.Tests;

/// <summary>The generated history class, held to checked-in baselines.</summary>
public sealed class BaselineTests
{
    /// <summary>
    /// One resource through every declarative instruction, a code transformation and a side-effect change; a request type
    /// marked [ApiRequest] through every request instruction and request code, with a request object in a list; declared
    /// releases (a major, its monthly release with an internal change, a preview with a titled change) on another part of
    /// the partial history.
    /// </summary>
    internal const string EveryInstruction = """
        using System.Text.Json.Nodes;
        using System.Text.Json.Serialization;
        using VersionKit;

        namespace Shop.Api;

        [ApiHistory("2019-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, BreakingChangesOnlyInMajors = true)]
        public partial class ShopHistory;

        [ApiRelease("2024-01-01.acacia", ApiReleaseKind.Major, Notes = "The first named release.")]
        [ApiRelease("2024-02-01.acacia", ApiReleaseKind.Monthly)]
        [ApiRelease("2024-06-01.preview", ApiReleaseKind.Preview)]
        public partial class ShopHistory;

        [ApiResource("order")]
        public sealed class Order
        {
            public string Id { get; init; } = "ord_1";

            public string Object => "order";

            public string Label { get; init; } = "Box";

            public string Status { get; init; } = "shipped";

            public int ItemCount { get; init; } = 2;

            public Customer Customer { get; init; } = new();

            [JsonPropertyName("total_cents")]
            public long Total { get; init; } = 1200;

            public bool Gift { get; init; }

            public int Priority { get; init; } = 1;
        }

        public sealed class Customer
        {
            public string Id { get; init; } = "cus_1";
        }

        [ApiRequest]
        public sealed record CreateOrder(string? Label, int? ItemCount, decimal? Total, bool? Gift, System.Collections.Generic.List<Address>? Stops, System.Collections.Generic.Dictionary<string, string>? Metadata);

        public sealed record Address(string? Line1, string? PostalCode);

        [VersionChange("2020-01-01", "`title` is now `label`.")]
        [FieldRenamed(typeof(Order), "title", "label")]
        [RequestFieldRenamed(typeof(CreateOrder), "title", "label")]
        public sealed class RenameTitle;

        [VersionChange("2020-06-01.spring", "`status` can be `shipped`; older versions see `sent`.")]
        [EnumValueAdded(typeof(Order), "status", "shipped", "sent")]
        public sealed class AddShipped;

        [VersionChange("2021-01-01", "Orders have an `item_count`.")]
        [FieldAdded(typeof(Order), "item_count")]
        [RequestFieldAdded(typeof(CreateOrder), "item_count")]
        [RequestFieldRenamed(typeof(Address), "zip", "postal_code")]
        public sealed class AddItemCount;

        [VersionChange("2022-01-01", "`legacy`, `heavy` and `note` are gone.")]
        [FieldRemoved(typeof(Order), "legacy", Value = "none")]
        [FieldRemoved(typeof(Order), "heavy", ValueFrom = nameof(HeavyFromCount))]
        [FieldRemoved(typeof(Order), "note")]
        [RequestFieldRemoved(typeof(CreateOrder), "note")]
        public sealed class RemoveLegacy
        {
            public static JsonNode? HeavyFromCount(JsonObject order) => order["item_count"] is { } count && count.GetValue<int>() > 10;
        }

        [VersionChange("2023-01-01", "`customer` is an object, no longer the customer's id.")]
        [FieldTypeChanged(typeof(Order), "customer", "string", "object")]
        public sealed class ExpandCustomer
        {
            [BackwardTransform(typeof(Order))]
            public static void CollapseCustomer(JsonObject order) => order["customer"] = order["customer"]?["id"]?.DeepClone();

            [RequestTransform(typeof(CreateOrder))]
            public static void TotalFromCents(JsonObject order) => order.Remove("total_cents");
        }

        [VersionChange("2023-06-01", "Totals are rounded the new way.", HasSideEffects = true)]
        public sealed class LegacyRounding;

        [VersionChange("2024-02-01", "Internal: orders carry a `gift` flag for the warehouse.", Internal = true)]
        [FieldAdded(typeof(Order), "gift")]
        public sealed class WarehouseGift;

        [VersionChange("2024-06-01.preview", "Orders have a `priority`, 1 to 5.", Title = "Order priority", Category = "orders")]
        [FieldAdded(typeof(Order), "priority")]
        public sealed class OrderPriority;
        """;

    /// <summary>Everything in the global namespace, resources and changes nested in static classes, and an internal history.</summary>
    internal const string GlobalNamespace = """
        using System.Text.Json.Nodes;
        using System.Text.Json.Serialization;
        using VersionKit;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.CamelCase)]
        internal partial class GlobalHistory;

        public static class Resources
        {
            [ApiResource("note")]
            public sealed class Note
            {
                public string Id { get; init; } = "note_1";

                public string Object => "note";

                public string Body { get; init; } = "hello";
            }

            [ApiResource("pin")]
            public struct Pin
            {
                public string Object => "pin";

                public int Position { get; set; }
            }
        }

        internal static class Changes
        {
            [VersionChange("2021-01-01", "`text` is now `body`.")]
            [FieldRenamed(typeof(Resources.Note), "text", "body")]
            internal sealed class RenameText;

            [VersionChange("2022-01-01", "Pins have a position.")]
            [FieldAdded(typeof(Resources.Pin), "position")]
            internal sealed class AddPosition
            {
                [BackwardTransform(typeof(Resources.Note))]
                internal static void Touch(JsonObject note) => note.Remove("id");
            }
        }
        """;

    [Fact]
    public void Every_instruction_kind_compiles_to_its_baseline()
        => TextSnapshot.Verify(GeneratorHarness.GenerateValid(EveryInstruction), "EveryInstruction.g.cs.txt");

    [Fact]
    public void Global_namespace_nested_types_and_an_internal_history_compile_to_their_baseline()
        => TextSnapshot.Verify(GeneratorHarness.GenerateValid(GlobalNamespace), "GlobalNamespace.g.cs.txt");

    [Fact]
    public void History_with_errors_compiles_to_the_empty_fallback_class()
    {
        var run = GeneratorHarness.Run(EveryInstruction.Replace("\"2022-01-01\"", "\"2022-13-01\"", StringComparison.Ordinal));

        Assert.Equal("VK0001", Assert.Single(run.GeneratorDiagnostics).Id);
        TextSnapshot.Verify(run.Source, "HistoryWithErrors.g.cs.txt");

        // The fallback compiles: the only errors a user sees are VersionKit's.
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void Output_is_the_same_on_every_run()
        => Assert.Equal(GeneratorHarness.GenerateValid(EveryInstruction), GeneratorHarness.GenerateValid(EveryInstruction));
}
