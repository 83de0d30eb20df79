namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2020-08-27, "Removes the tax_percent attribute" (docs.stripe.com/changelog/2020-08-27/removes-tax-percent-attribute):
/// gone from invoices and subscriptions in favour of tax rates. Neither example object has a tax percent (they use tax
/// rates, or no tax at all), so older versions see it null: a FieldRemoved with neither Value nor ValueFrom.
/// </summary>
[VersionChange("2020-08-27", "Invoices and subscriptions no longer have `tax_percent`; use tax rates.")]
[FieldRemoved(typeof(Invoice), "tax_percent")]
[FieldRemoved(typeof(Subscription), "tax_percent")]
public sealed class TaxPercent;
