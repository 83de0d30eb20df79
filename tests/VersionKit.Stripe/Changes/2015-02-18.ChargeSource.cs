using System.Text.Json.Nodes;

namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2015-02-18, "Charges now have a source field that accepts a source or card"
/// (docs.stripe.com/changelog/2015-02-18/charges-have-source-field-accepts-source-card): `source` replaces `card`, and
/// older versions return both. `card` only ever held a card, so it is the source when that is a card, and null otherwise.
/// </summary>
[VersionChange("2015-02-18", "Charges have `source`, a card or another source, in place of `card`; older versions see both.")]
[FieldRemoved(typeof(Charge), "card", ValueFrom = nameof(CardFromSource), ValueFromField = "source")]
public sealed class ChargeSource
{
    public static JsonNode? CardFromSource(JsonObject charge)
        => charge["source"] is JsonObject source && (string?)source["object"] == "card" ? source.DeepClone() : null;
}
