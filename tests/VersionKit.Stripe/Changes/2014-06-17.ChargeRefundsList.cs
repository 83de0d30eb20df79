namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2014-06-17, "Invoices now include a sublist of refunds through the refunds field"
/// (docs.stripe.com/changelog/2014-06-17/invoices-include-refunds-sublist-refunds-field). Whatever its title says, the
/// entry changes the Charge's `refunds` from an array to a sublist object with `data`, `has_more` and `url`.
/// Typed code on the one field: it gets the property's C# value and returns what older versions see in its place.
/// </summary>
[VersionChange("2014-06-17", "A charge's `refunds` is a list object (`data`, `has_more`, `url`); it was an array of refunds.")]
[FieldTypeChanged(typeof(Charge), "refunds", "array", "object")]
public sealed class ChargeRefundsList
{
    [BackwardTransform(typeof(Charge), Field = "refunds")]
    public static IReadOnlyList<Refund>? RefundsAsArray(ApiList<Refund>? refunds) => refunds?.Data;
}
