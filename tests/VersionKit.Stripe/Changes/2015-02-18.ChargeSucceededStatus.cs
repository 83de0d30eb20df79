namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2015-02-18, "Charges that succeed now have a succeeded status"
/// (docs.stripe.com/changelog/2015-02-18/charges-succeed-have-succeeded-status): a successful charge's `status` was `paid`.
/// </summary>
[VersionChange("2015-02-18", "A successful charge's `status` is `succeeded`; it was `paid`.")]
[EnumValueAdded(typeof(Charge), "status", "succeeded", "paid")]
public sealed class ChargeSucceededStatus;
