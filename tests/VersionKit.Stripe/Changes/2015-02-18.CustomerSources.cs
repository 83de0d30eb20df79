using System.Text.Json.Nodes;

namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2015-02-18, "Customers now have a source field that accepts a source or card, and updates related event types"
/// (docs.stripe.com/changelog/2015-02-18/customers-have-source-field-accepts-source-card): `sources` and `default_source`
/// replace `cards` and `default_card`, and older versions return both. The old fields held cards only: `cards` is the
/// card part of `sources` (which these versions have back from 2020-08-27), `default_card` the default source when it is
/// a card (a card's id starts with `card_`).
/// </summary>
[VersionChange("2015-02-18", "Customers have `sources` and `default_source`, cards or other sources, in place of `cards` and `default_card`; older versions see both.")]
[FieldRemoved(typeof(Customer), "default_card", ValueFrom = nameof(DefaultCard), ValueFromField = "default_source")]
[FieldRemoved(typeof(Customer), "cards", ValueFrom = nameof(Cards), ValueFromField = "sources")]
public sealed class CustomerSources
{
    public static JsonNode? DefaultCard(JsonObject customer)
        => (string?)customer["default_source"] is { } id && id.StartsWith("card_", StringComparison.Ordinal) ? id : null;

    public static JsonNode? Cards(JsonObject customer)
    {
        if (customer["sources"] is not JsonObject sources)
        {
            return null;
        }

        var cards = sources["data"] is JsonArray data
            ? data.OfType<JsonObject>().Where(s => (string?)s["object"] == "card").Select(s => (JsonNode?)s.DeepClone()).ToArray()
            : [];
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(cards),
            ["has_more"] = sources["has_more"]?.DeepClone(),
            ["total_count"] = cards.Length,
            ["url"] = ((string?)sources["url"])?.Replace("/sources", "/cards", StringComparison.Ordinal),
        };
    }
}
