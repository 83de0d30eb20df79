using System.Text.Json.Nodes;
using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2017-05-25", "Event objects (and webhooks) render a `request` subobject that contains a request ID and idempotency key instead of just a string request ID.")]
[FieldTypeChanged(typeof(Event), "request", "string", "object")]
public sealed class CollapseEventRequest
{
    [BackwardTransform(typeof(Event), Field = "request")]
    public static void Collapse(JsonObject @event)
        => @event["request"] = @event["request"] is JsonObject request ? request["id"]?.DeepClone() : null;
}
