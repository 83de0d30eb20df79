using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2018-02-28", "Events show `pending_webhooks`: how many webhook endpoints have yet to receive them.")]
[FieldAdded(typeof(Event), "pending_webhooks")]
public sealed class EventPendingWebhooks;
