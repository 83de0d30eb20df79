namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2022-11-15, "Removes the charges attribute from the PaymentIntent object"
/// (docs.stripe.com/changelog/2022-11-15/removes-charges-attribute-paymentintent): use `latest_charge` instead. Older
/// versions get the `charges` list back, rebuilt by a typed computation from the latest charge (the one charge the
/// intent object still knows); the charge in it is a C# resource, so it receives every older change to charges.
/// </summary>
[VersionChange("2022-11-15", "Payment intents no longer have the `charges` list; `latest_charge` is the latest charge.")]
[FieldAdded(typeof(PaymentIntent), "latest_charge")]
[FieldRemoved(typeof(PaymentIntent), "charges", ValueFrom = nameof(Charges))]
public sealed class PaymentIntentLatestCharge
{
    public static ApiList<Charge> Charges(PaymentIntent paymentIntent)
        => new(paymentIntent.LatestCharge is { } charge ? [charge] : [], $"/v1/charges?payment_intent={paymentIntent.Id}");
}
