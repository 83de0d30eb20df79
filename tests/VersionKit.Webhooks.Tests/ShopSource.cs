using System.Text.Json;
using System.Text.Json.Nodes;
using VersionKit.Generators.Tests;

namespace VersionKit.Webhooks.Tests;

/// <summary>
/// A small shop API whose events are about orders, compiled by the real generator at test time. Its history has three
/// versions: 2020-01-01; 2021-01-01, where an order's <c>state</c> became <c>status</c>; 2022-01-01, where orders gained
/// <c>note</c>. <see cref="Later"/> is the same API a deploy later: a fourth version, 2023-01-01, renamed <c>amount</c> to
/// <c>amount_cents</c>. The event's <c>created</c> is written by a converter that counts its writes: one per rendering.
/// </summary>
internal static class ShopSource
{
    public static readonly ApiVersion V2020 = ApiVersion.Parse("2020-01-01");
    public static readonly ApiVersion V2021 = ApiVersion.Parse("2021-01-01");
    public static readonly ApiVersion V2022 = ApiVersion.Parse("2022-01-01");

    private const string Source = """
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using VersionKit;

        namespace Shop;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class ShopHistory;

        [ApiResource("order")]
        public sealed class Order
        {
            public string Id { get; init; } = "ord_1";

            public string Object => "order";

            public long Amount { get; init; }

            public string Status { get; init; } = "paid";

            public string? Note { get; init; }
        }

        [ApiResource("event")]
        public sealed class ShopEvent
        {
            public string Id { get; init; } = "evt_1";

            public string Object => "event";

            public string? ApiVersion { get; init; }

            public string Type { get; init; } = "order.paid";

            [JsonConverter(typeof(CountingConverter))]
            public long Created { get; init; } = 1700000000;

            public Order Data { get; init; } = new();
        }

        public sealed class CountingConverter : JsonConverter<long>
        {
            public static int Writes;

            public override long Read(ref Utf8JsonReader reader, System.Type typeToConvert, JsonSerializerOptions options) => reader.GetInt64();

            public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
            {
                System.Threading.Interlocked.Increment(ref Writes);
                writer.WriteNumberValue(value);
            }
        }

        [VersionChange("2021-01-01", "Orders say `status` where they said `state`.")]
        [FieldRenamed(typeof(Order), "state", "status")]
        public sealed class OrderStatus;

        [VersionChange("2022-01-01", "Orders have a `note`.")]
        [FieldAdded(typeof(Order), "note")]
        public sealed class OrderNote;
        """;

    private const string LaterChange = """

        [VersionChange("2023-01-01", "An order's `amount` is `amount_cents`.")]
        [FieldRenamed(typeof(Order), "amount", "amount_cents")]
        public sealed class OrderAmountCents;
        """;

    public static LoadedSource Load() => LoadedSource.Compile(Source, "Shop.ShopHistory");

    public static LoadedSource Later() => LoadedSource.Compile(Source.Replace("public long Amount {", "public long AmountCents {", StringComparison.Ordinal) + LaterChange, "Shop.ShopHistory");

    /// <summary>How many times the event's <c>created</c> has been written, in all, by renderings of <paramref name="shop"/>'s events.</summary>
    public static int Writes(LoadedSource shop) => (int)shop.Type("Shop.CountingConverter").GetField("Writes")!.GetValue(null)!;

    /// <summary>An event about an order of <paramref name="amount"/>, made for <paramref name="version"/>.</summary>
    public static object Event(LoadedSource shop, long amount, ApiVersion version, string id = "evt_1")
        => JsonSerializer.Deserialize(
            new JsonObject
            {
                ["id"] = id,
                ["api_version"] = version.ToString(),
                ["type"] = "order.paid",
                ["created"] = 1700000000,
                ["data"] = new JsonObject { ["id"] = "ord_1", ["amount"] = amount, ["amount_cents"] = amount, ["status"] = "paid" },
            },
            shop.Type("Shop.ShopEvent"),
            shop.Options)!;

    /// <summary>The event object <paramref name="shop"/>'s code reads back from a stored event's payload, at <paramref name="version"/>.</summary>
    public static object Read(LoadedSource shop, ApiEvent apiEvent, ApiVersion version)
    {
        var payload = JsonNode.Parse(apiEvent.Payload.Span)!.AsObject();
        payload["api_version"] = version.ToString();
        return JsonSerializer.Deserialize(payload, shop.Type("Shop.ShopEvent"), shop.Options)!;
    }
}
