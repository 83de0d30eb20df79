namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2019-10-17, "Renames billing to collection_method on invoices, subscriptions, and subscription schedules"
/// (docs.stripe.com/changelog/2019-10-17/renames-billing-attribute); this corpus has no subscription schedule.
/// </summary>
[VersionChange("2019-10-17", "`billing` is now `collection_method` on invoices and subscriptions.")]
[FieldRenamed(typeof(Invoice), "billing", "collection_method")]
[FieldRenamed(typeof(Subscription), "billing", "collection_method")]
public sealed class CollectionMethod;
