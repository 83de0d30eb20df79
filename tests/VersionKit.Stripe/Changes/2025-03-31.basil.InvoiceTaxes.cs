namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2025-03-31.basil, "Replaces top-level tax-related properties with improved tax modeling on Invoices, Invoice
/// Line Items, and Credit Note Line Items" (docs.stripe.com/changelog/basil/2025-03-31/invoice-tax-configurations):
/// the invoice's `total_tax_amounts` gives way to `total_taxes`, a line item's `tax_amounts` to `taxes`. Older versions
/// get the old arrays back, each tax as it was: `amount`, `inclusive`, `tax_rate` (the rate's id), `taxability_reason`,
/// `taxable_amount`. (The entry also drops a line item's `tax_rates`, the TaxRate objects themselves, which the new
/// shape no longer carries: that field is not rebuilt here.) Typed computations: they read the C# invoice and line item.
/// </summary>
[VersionChange("2025-03-31.basil", "Invoices have `total_taxes` in place of `total_tax_amounts`; line items have `taxes` in place of `tax_amounts`.")]
[FieldAdded(typeof(Invoice), "total_taxes")]
[FieldRemoved(typeof(Invoice), "total_tax_amounts", ValueFrom = nameof(TotalTaxAmounts))]
[FieldAdded(typeof(LineItem), "taxes")]
[FieldRemoved(typeof(LineItem), "tax_amounts", ValueFrom = nameof(TaxAmounts))]
public sealed class InvoiceTaxes
{
    public static List<TaxAmount> TotalTaxAmounts(Invoice invoice) => OldTaxAmounts(invoice.TotalTaxes);

    public static List<TaxAmount> TaxAmounts(LineItem lineItem) => OldTaxAmounts(lineItem.Taxes);

    private static List<TaxAmount> OldTaxAmounts(List<InvoiceTax>? taxes)
        => taxes is null ? [] : taxes.ConvertAll(tax => new TaxAmount
        {
            Amount = tax.Amount,
            Inclusive = tax.TaxBehavior == "inclusive",
            TaxRate = tax.TaxRateDetails?.TaxRate,
            TaxabilityReason = tax.TaxabilityReason,
            TaxableAmount = tax.TaxableAmount,
        });
}
