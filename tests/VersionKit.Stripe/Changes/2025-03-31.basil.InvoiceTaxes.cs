using System.Text.Json.Nodes;

namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2025-03-31.basil, "Replaces top-level tax-related properties with improved tax modeling on Invoices, Invoice
/// Line Items, and Credit Note Line Items" (docs.stripe.com/changelog/basil/2025-03-31/invoice-tax-configurations):
/// the invoice's `total_tax_amounts` gives way to `total_taxes`, a line item's `tax_amounts` to `taxes`. Older versions
/// get the old arrays back, each tax as it was: `amount`, `inclusive`, `tax_rate` (the rate's id), `taxability_reason`,
/// `taxable_amount`. (The entry also drops a line item's `tax_rates`, the TaxRate objects themselves, which the new
/// shape no longer carries: that field is not rebuilt here.) JSON computations reading one field each.
/// </summary>
[VersionChange("2025-03-31.basil", "Invoices have `total_taxes` in place of `total_tax_amounts`; line items have `taxes` in place of `tax_amounts`.")]
[FieldAdded(typeof(Invoice), "total_taxes")]
[FieldRemoved(typeof(Invoice), "total_tax_amounts", ValueFrom = nameof(TotalTaxAmounts), ValueFromField = "total_taxes")]
[FieldAdded(typeof(LineItem), "taxes")]
[FieldRemoved(typeof(LineItem), "tax_amounts", ValueFrom = nameof(TaxAmounts), ValueFromField = "taxes")]
public sealed class InvoiceTaxes
{
    public static JsonNode? TotalTaxAmounts(JsonObject invoice) => OldTaxAmounts(invoice["total_taxes"]);

    public static JsonNode? TaxAmounts(JsonObject lineItem) => OldTaxAmounts(lineItem["taxes"]);

    private static JsonArray OldTaxAmounts(JsonNode? taxes)
        => new(taxes is JsonArray list ? list.OfType<JsonObject>().Select(OldTaxAmount).ToArray() : []);

    private static JsonNode? OldTaxAmount(JsonObject tax) => new JsonObject
    {
        ["amount"] = tax["amount"]?.DeepClone(),
        ["inclusive"] = (string?)tax["tax_behavior"] == "inclusive",
        ["tax_rate"] = tax["tax_rate_details"] is JsonObject details ? details["tax_rate"]?.DeepClone() : null,
        ["taxability_reason"] = tax["taxability_reason"]?.DeepClone(),
        ["taxable_amount"] = tax["taxable_amount"]?.DeepClone(),
    };
}
