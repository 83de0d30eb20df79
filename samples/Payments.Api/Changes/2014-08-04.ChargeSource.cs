using System.Text.Json.Nodes;
using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2014-08-04", "A charge's `card` is now `source`: charges can be paid from cards and bank accounts alike. Creating a charge takes `source`, a payment source id; older versions send `card`, an id or a card object with one.")]
[FieldRenamed(typeof(Charge), "card", "source")]
[RequestFieldRenamed(typeof(CreateCharge), "card", "source")]
public sealed class ChargeSource
{
    [RequestTransform(typeof(CreateCharge))]
    public static void SourceFromCard(JsonObject request)
    {
        if (!request.TryGetPropertyValue("card", out var card))
        {
            return;
        }

        request.Remove("card");
        request["source"] = card switch
        {
            JsonValue id when id.TryGetValue(out string? text) => text,
            JsonObject { } cardObject when cardObject["id"] is JsonValue id && id.TryGetValue(out string? text) => text,
            _ => throw new RequestShapeException("card", "card must be a card id (card_...) or a card object with an id."),
        };
    }
}
