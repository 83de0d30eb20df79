using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2013-08-12", "Listing events takes `limit` (1 to 100) where it took `count`.")]
[RequestFieldRenamed(typeof(ListEvents), "count", "limit")]
public sealed class EventsListLimit;
