namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2025-03-31.basil, "Adds subscription item-level billing periods and removes subscription-level periods"
/// (docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end):
/// `current_period_start` and `current_period_end` move from the subscription to each of its items. Older versions see
/// them on the subscription (the first item's, all items sharing one period then) and not on the items. Typed
/// computations on the C# subscription.
/// </summary>
[VersionChange("2025-03-31.basil", "Subscription items have `current_period_start` and `current_period_end`; subscriptions no longer do.")]
[FieldRemoved(typeof(Subscription), "current_period_end", ValueFrom = nameof(PeriodEnd))]
[FieldRemoved(typeof(Subscription), "current_period_start", ValueFrom = nameof(PeriodStart))]
[FieldAdded(typeof(SubscriptionItem), "current_period_end")]
[FieldAdded(typeof(SubscriptionItem), "current_period_start")]
public sealed class SubscriptionItemPeriods
{
    public static long? PeriodEnd(Subscription subscription)
        => subscription.Items.Data.Count > 0 ? subscription.Items.Data[0].CurrentPeriodEnd : null;

    public static long? PeriodStart(Subscription subscription)
        => subscription.Items.Data.Count > 0 ? subscription.Items.Data[0].CurrentPeriodStart : null;
}
