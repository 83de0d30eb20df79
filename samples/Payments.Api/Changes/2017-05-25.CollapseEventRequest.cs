using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2017-05-25", "Event objects (and webhooks) render a `request` subobject that contains a request ID and idempotency key instead of just a string request ID.")]
[FieldTypeChanged(typeof(Event), "request", "string", "object")]
public sealed class CollapseEventRequest
{
    // Typed, on the one field: older versions get the request's id where the object now stands.
    [BackwardTransform(typeof(Event), Field = "request")]
    public static string? Collapse(EventRequest? request) => request?.Id;
}
