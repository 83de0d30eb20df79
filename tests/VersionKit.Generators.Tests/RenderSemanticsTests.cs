using System.Text.Json.Nodes;

namespace VersionKit.Generators.Tests;

/// <summary>
/// What a history means, held on histories compiled by the real generator: each change sees the payload as it was at its
/// own version, values a change creates receive every older change, and declarations and code of one change both apply.
/// Each expected old shape is written out by hand.
/// </summary>
public sealed class RenderSemanticsTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Text.Json.Nodes;
        using System.Text.Json.Serialization;
        using VersionKit;

        """;

    // Stripe's 2025-03-31.basil moved current_period_end from the subscription to its items.
    private const string MovedToItems = Usings + """
        namespace Billing;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class BillingHistory;

        [ApiResource("subscription")]
        public sealed class Sub
        {
            public string Id { get; set; } = "sub_1";
            public string Object => "subscription";
            public ApiList<Item> Items { get; set; } = new(new[] { new Item() }, "/v1/subscription_items");
        }

        [ApiResource("subscription_item")]
        public sealed class Item
        {
            public string Id { get; set; } = "si_1";
            public string Object => "subscription_item";
            public long PeriodEnd { get; set; } = 42;
        }

        [VersionChange("2025-03-31.basil", "`period_end` moved from subscriptions to their items.")]
        [FieldRemoved(typeof(Sub), "period_end", ValueFrom = nameof(FromItems), ValueFromField = "items")]
        [FieldAdded(typeof(Item), "period_end")]
        public sealed class MovePeriodEnd
        {
            public static JsonNode? FromItems(JsonObject sub) => sub["items"]?["data"]?[0]?["period_end"]?.DeepClone();
        }
        """;

    [Fact]
    public void A_computed_value_reads_nested_resources_as_they_were_at_its_change()
    {
        using var source = LoadedSource.Compile(MovedToItems, "Billing.BillingHistory");
        object sub = source.New("Billing.Sub");
        const string Expected = """{"id":"sub_1","object":"subscription","items":{"object":"list","data":[{"id":"si_1","object":"subscription_item"}],"has_more":false,"url":"/v1/subscription_items"},"period_end":42}""";

        Assert.Equal(Expected, source.Reference.Render(sub, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Writers.Render(sub, source.Version("2020-01-01")));
    }

    // In 2022 a list of charges gave way to the latest charge; in 2021 a charge's old_name became new_name.
    private const string RestoredList = Usings + """
        namespace Payments;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class PaymentsHistory;

        [ApiResource("payment_intent")]
        public sealed class Intent
        {
            public string Id { get; set; } = "pi_1";
            public string Object => "payment_intent";
            public Chg Latest { get; set; } = new();
        }

        [ApiResource("charge")]
        public sealed class Chg
        {
            public string Id { get; set; } = "ch_1";
            public string Object => "charge";
            public string NewName { get; set; } = "n";
        }

        [VersionChange("2021-01-01", "`old_name` is now `new_name`.")]
        [FieldRenamed(typeof(Chg), "old_name", "new_name")]
        public sealed class RenameCharge;

        [VersionChange("2022-01-01", "Payment intents show their `latest` charge instead of the list of `charges`.")]
        [FieldAdded(typeof(Intent), "latest")]
        [FieldRemoved(typeof(Intent), "charges", ValueFrom = nameof(Charges), ValueFromField = "latest")]
        public sealed class LatestCharge
        {
            public static JsonNode? Charges(JsonObject intent)
                => new JsonObject { ["object"] = "list", ["data"] = new JsonArray(intent["latest"]?.DeepClone()) };
        }
        """;

    [Fact]
    public void Resources_inside_a_restored_value_receive_the_older_changes()
    {
        using var source = LoadedSource.Compile(RestoredList, "Payments.PaymentsHistory");
        object intent = source.New("Payments.Intent");
        const string Expected = """{"id":"pi_1","object":"payment_intent","charges":{"object":"list","data":[{"id":"ch_1","object":"charge","old_name":"n"}]}}""";

        Assert.Equal(Expected, source.Reference.Render(intent, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Writers.Render(intent, source.Version("2020-01-01")));
    }

    // One change both renames a field (declared) and reshapes another (code); a second transform of the same resource runs too.
    private const string DeclarationsAndCode = Usings + """
        namespace Shop;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class ShopHistory;

        [ApiResource("widget")]
        public sealed class Widget
        {
            public string Id { get; set; } = "wid_1";
            public string Object => "widget";
            public string Label { get; set; } = "Sprocket";
            public long Price { get; set; } = 250;
            public long Weight { get; set; } = 3;
        }

        [VersionChange("2021-01-01", "`title` is now `label`; prices and weights are numbers.")]
        [FieldRenamed(typeof(Widget), "title", "label")]
        [FieldTypeChanged(typeof(Widget), "price", "string", "integer")]
        [FieldTypeChanged(typeof(Widget), "weight", "string", "integer")]
        public sealed class Relabel
        {
            [BackwardTransform(typeof(Widget))]
            public static void PriceAsText(JsonObject widget) => widget["price"] = widget["price"]!.ToJsonString();

            [BackwardTransform(typeof(Widget))]
            public static void WeightAsText(JsonObject widget) => widget["weight"] = widget["weight"]!.ToJsonString();
        }
        """;

    [Fact]
    public void Declarations_and_every_transform_of_one_change_apply()
    {
        using var source = LoadedSource.Compile(DeclarationsAndCode, "Shop.ShopHistory");
        object widget = source.New("Shop.Widget");
        const string Expected = """{"id":"wid_1","object":"widget","title":"Sprocket","price":"250","weight":"3"}""";

        Assert.Equal(Expected, source.Reference.Render(widget, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Writers.Render(widget, source.Version("2020-01-01")));
        Assert.Equal(["id", "object", "title", "price", "weight"], source.History.GetFields("widget", source.Version("2020-01-01")));
    }
}
