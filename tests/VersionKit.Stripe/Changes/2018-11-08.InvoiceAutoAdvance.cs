namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2018-11-08, "Invoices now specify their automatic collection behavior using the auto_advance field"
/// (docs.stripe.com/changelog/2018-11-08/invoices-specify-auto-advance-field): `auto_advance` replaces `closed`;
/// `closed=true` is `auto_advance=false`. A typed computation: it reads the C# invoice.
/// </summary>
[VersionChange("2018-11-08", "Invoices say whether Stripe collects them automatically with `auto_advance`, in place of `closed` (its negation).")]
[FieldAdded(typeof(Invoice), "auto_advance")]
[FieldRemoved(typeof(Invoice), "closed", ValueFrom = nameof(Closed))]
public sealed class InvoiceAutoAdvance
{
    public static bool Closed(Invoice invoice) => !invoice.AutoAdvance;
}
