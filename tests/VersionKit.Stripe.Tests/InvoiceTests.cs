using System.Text.Json.Nodes;
using static VersionKit.Stripe.Tests.StripeRendering;

namespace VersionKit.Stripe.Tests;

/// <summary>
/// Stripe's example invoice and its line item through 2025-03-31.basil (taxes), 2020-08-27 (<c>tax_percent</c>),
/// 2019-10-17 (<c>billing</c>) and 2018-11-08 (<c>closed</c>). Expected shapes written by hand; the parts no change
/// touches are written once.
/// </summary>
public sealed class InvoiceTests
{
    private const string Head = """
          "account_country": "US",
          "account_name": null,
          "amount_due": 1000,
          "amount_paid": 0,
          "amount_remaining": 1000,
          "attempt_count": 0,
          "attempted": false,
        """;

    private const string AutomaticTaxAndBillingReason = """
          "automatic_tax": { "enabled": false, "liability": { "type": "account" }, "status": null },
          "billing_reason": "manual",
        """;

    // from created to lines, which no change touches
    private const string Middle = """
          "created": 1234567890,
          "currency": "usd",
          "customer": "cus_QXg1o8vcGmoR32",
          "customer_address": { "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null },
          "customer_email": null,
          "customer_name": null,
          "customer_tax_exempt": "none",
          "default_payment_method": null,
          "description": null,
          "discounts": [],
          "due_date": 1234567890,
          "ending_balance": null,
          "footer": null,
          "hosted_invoice_url": null,
          "id": "in_1Pgc6tB7WZ01zgkWu9fdqL6I",
          "invoice_pdf": null,
          "issuer": { "type": "self" },
        """;

    // the line item's fields before `taxes`, and after it
    private const string LineHead = """
              "amount": 1000,
              "currency": "usd",
              "description": "My First Invoice Item (created for API docs)",
              "discount_amounts": [],
              "discountable": true,
              "discounts": [],
              "id": "il_1Pgc6sB7WZ01zgkWFnxLrLCq",
              "invoice": "in_1Pgc6tB7WZ01zgkWu9fdqL6I",
              "livemode": false,
              "metadata": {},
              "object": "line_item",
              "period": { "end": 1721954054, "start": 1721954054 },
              "quantity": 1,
              "subscription": null,
        """;

    private const string LineTail = """
              "parent": {
                "invoice_item_details": {
                  "invoice_item": "invoice_item",
                  "proration": true,
                  "proration_details": { "credited_items": { "invoice": "invoice", "invoice_line_items": ["invoice_line_items"] } },
                  "subscription": null
                },
                "subscription_item_details": {
                  "invoice_item": null,
                  "proration": true,
                  "proration_details": { "credited_items": { "invoice": "invoice", "invoice_line_items": ["invoice_line_items"] } },
                  "subscription": "subscription",
                  "subscription_item": "subscription_item"
                },
                "type": "invoice_item_details"
              },
              "pricing": { "type": "price_details", "unit_amount_decimal": null },
              "subtotal": 2060319484
        """;

    private const string LinesUrl = "/v1/invoices/in_1Pgc6tB7WZ01zgkWu9fdqL6I/lines";

    // from livemode to webhooks_delivered_at, which no change touches
    private const string Tail = """
          "livemode": false,
          "metadata": {},
          "next_payment_attempt": 1234567890,
          "number": null,
          "object": "invoice",
          "payment_settings": {
            "default_mandate": null,
            "payment_method_options": {
              "bancontact": { "preferred_language": "fr" },
              "card": { "request_three_d_secure": null },
              "customer_balance": { "funding_type": null }
            },
            "payment_method_types": null
          },
          "period_end": 1234567890,
          "period_start": 1234567890,
          "receipt_number": null,
          "rendering": { "amount_tax_display": null, "pdf": { "page_size": null }, "template": null, "template_version": null },
          "starting_balance": 0,
          "statement_descriptor": null,
          "status": "draft",
          "status_transitions": { "finalized_at": null, "marked_uncollectible_at": null, "paid_at": null, "voided_at": null },
          "subscription": null,
          "subtotal": 1000,
          "total": 1000,
          "total_excluding_tax": 1000,
          "webhooks_delivered_at": 1234567890,
        """;

    private const string Parent = """
        { "quote_details": { "quote": "quote" }, "subscription_details": { "metadata": null, "subscription": "subscription" }, "type": "quote_details" }
        """;

    [Fact]
    public void At_the_latest_version_it_is_plain_serialization()
        => AssertLatestIsPlainSerialization(StripeCorpus.Invoice());

    // basil undone: no total_taxes, and total_tax_amounts after the last field, on the invoice and on its line item
    // (each empty: the example has no taxes).
    [Fact]
    public void At_2020_08_27_the_invoice_and_its_line_have_tax_amounts()
        => AssertRendersAs(StripeCorpus.Invoice(), "2020-08-27", $$"""
            {
              {{Head}}
              "auto_advance": false,
              {{AutomaticTaxAndBillingReason}}
              "collection_method": "charge_automatically",
              {{Middle}}
              "lines": {
                "object": "list",
                "data": [
                  {
                    {{LineHead}}
                    {{LineTail}},
                    "tax_amounts": []
                  }
                ],
                "has_more": false,
                "url": "{{LinesUrl}}"
              },
              {{Tail}}
              "parent": {{Parent}},
              "total_tax_amounts": []
            }
            """);

    // 2020-08-27 undone too: tax_percent is back, null.
    [Fact]
    public void At_2019_10_17_the_invoice_has_a_null_tax_percent()
        => AssertRendersAs(StripeCorpus.Invoice(), "2019-10-17", $$"""
            {
              {{Head}}
              "auto_advance": false,
              {{AutomaticTaxAndBillingReason}}
              "collection_method": "charge_automatically",
              {{Middle}}
              "lines": {
                "object": "list",
                "data": [
                  {
                    {{LineHead}}
                    {{LineTail}},
                    "tax_amounts": []
                  }
                ],
                "has_more": false,
                "url": "{{LinesUrl}}"
              },
              {{Tail}}
              "parent": {{Parent}},
              "total_tax_amounts": [],
              "tax_percent": null
            }
            """);

    // Everything undone: billing in collection_method's place, and closed (the invoice does not auto-advance) in place
    // of auto_advance, after the last field.
    [Fact]
    public void At_the_oldest_version_the_invoice_has_billing_and_closed()
        => AssertRendersAs(StripeCorpus.Invoice(), "2014-05-19", $$"""
            {
              {{Head}}
              {{AutomaticTaxAndBillingReason}}
              "billing": "charge_automatically",
              {{Middle}}
              "lines": {
                "object": "list",
                "data": [
                  {
                    {{LineHead}}
                    {{LineTail}},
                    "tax_amounts": []
                  }
                ],
                "has_more": false,
                "url": "{{LinesUrl}}"
              },
              {{Tail}}
              "parent": {{Parent}},
              "total_tax_amounts": [],
              "tax_percent": null,
              "closed": true
            }
            """);

    // The example has no taxes; here one exclusive tax on the invoice and on its line.
    [Fact]
    public void At_2022_11_15_taxes_come_back_as_tax_amounts()
    {
        var json = StripeCorpus.Json("invoice");
        const string Tax = """
            { "amount": 80, "tax_behavior": "exclusive", "tax_rate_details": { "tax_rate": "txr_1" }, "taxability_reason": "standard_rated", "taxable_amount": 1000, "type": "tax_rate_details" }
            """;
        json["total_taxes"] = new JsonArray(JsonNode.Parse(Tax));
        json["lines"]!["data"]![0]!["taxes"] = new JsonArray(JsonNode.Parse(Tax));
        var invoice = StripeCorpus.Deserialize(json, StripeJsonContext.Default.Invoice);

        const string TaxAmount = """
            { "amount": 80, "inclusive": false, "tax_rate": "txr_1", "taxability_reason": "standard_rated", "taxable_amount": 1000 }
            """;
        AssertRendersAs(invoice, "2022-11-15", $$"""
            {
              {{Head}}
              "auto_advance": false,
              {{AutomaticTaxAndBillingReason}}
              "collection_method": "charge_automatically",
              {{Middle}}
              "lines": {
                "object": "list",
                "data": [
                  {
                    {{LineHead}}
                    {{LineTail}},
                    "tax_amounts": [{{TaxAmount}}]
                  }
                ],
                "has_more": false,
                "url": "{{LinesUrl}}"
              },
              {{Tail}}
              "parent": {{Parent}},
              "total_tax_amounts": [{{TaxAmount}}]
            }
            """);
    }
}
