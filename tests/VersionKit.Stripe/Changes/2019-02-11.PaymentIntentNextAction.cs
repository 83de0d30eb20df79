namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2019-02-11, "Renames the next_source_action field for Payment Intents to next_action"
/// (docs.stripe.com/changelog/2019-02-11/renames-next-source-action-next-action).
/// </summary>
[VersionChange("2019-02-11", "A payment intent's `next_source_action` is now `next_action`.")]
[FieldRenamed(typeof(PaymentIntent), "next_source_action", "next_action")]
public sealed class PaymentIntentNextAction;
