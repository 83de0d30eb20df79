namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2019-02-11, "Renames several statuses for PaymentIntents"
/// (docs.stripe.com/changelog/2019-02-11/renames-several-statuses-payment-intents): `requires_source` is now
/// `requires_payment_method`, `requires_source_action` is now `requires_action`.
/// </summary>
[VersionChange("2019-02-11", "Payment intent statuses `requires_source` and `requires_source_action` are now `requires_payment_method` and `requires_action`.")]
[EnumValueAdded(typeof(PaymentIntent), "status", "requires_payment_method", "requires_source")]
[EnumValueAdded(typeof(PaymentIntent), "status", "requires_action", "requires_source_action")]
public sealed class PaymentIntentStatuses;
