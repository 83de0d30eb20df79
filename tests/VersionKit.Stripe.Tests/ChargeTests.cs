using System.Text.Json;
using System.Text.Json.Nodes;
using static VersionKit.Stripe.Tests.StripeRendering;

namespace VersionKit.Stripe.Tests;

/// <summary>Stripe's example charge through 2020-08-27 (3D Secure), 2015-02-18 (status, card) and 2014-06-17 (refunds).</summary>
public sealed class ChargeTests
{
    [Fact]
    public void At_the_latest_version_it_is_plain_serialization()
        => AssertLatestIsPlainSerialization(StripeCorpus.Charge());

    [Fact]
    public void From_2020_08_27_on_it_is_the_example_as_it_is()
        => AssertRendersAs(StripeCorpus.Charge(), "2020-08-27", ExpectedCharge.Current);

    [Fact]
    public void At_2019_10_17_three_d_secure_has_its_booleans()
        => AssertRendersAs(StripeCorpus.Charge(), "2019-10-17", ExpectedCharge.At2019_10_17);

    [Fact]
    public void At_2014_06_17_a_successful_charge_is_paid_and_has_a_card()
        => AssertRendersAs(StripeCorpus.Charge(), "2014-06-17", ExpectedCharge.At2014_06_17);

    [Fact]
    public void At_the_oldest_version_refunds_are_an_array()
        => AssertRendersAs(StripeCorpus.Charge(), "2014-05-19", ExpectedCharge.Oldest);

    // The example's charge has no 3D Secure result and a source that is no card; here one authenticated and paid by card.
    [Fact]
    public void At_the_oldest_version_an_authenticated_card_charge_has_both_booleans_true_and_its_card()
    {
        var json = StripeCorpus.Json("charge");
        json["payment_method_details"]!["card"]!["three_d_secure"]!["result"] = "authenticated";
        json["source"] = JsonNode.Parse("""
            { "id": "card_1", "object": "card", "created": 1028554472, "livemode": false }
            """);
        var charge = StripeCorpus.Deserialize(json, StripeJsonContext.Default.Charge);

        const string Card = """
            {
              "amount": null,
              "client_secret": null,
              "created": 1028554472,
              "currency": null,
              "flow": null,
              "id": "card_1",
              "livemode": false,
              "metadata": null,
              "object": "card",
              "owner": null,
              "status": null,
              "type": null,
              "usage": null
            }
            """;
        string expected = $$"""
            {
              "amount": 100,
              "amount_captured": 0,
              "amount_refunded": 0,
              "balance_transaction": "txn_1PgaxNB7WZ01zgkWEV3TLf40",
              "billing_details": {
                "address": { "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null },
                "email": null,
                "name": "Jenny Rosen",
                "phone": null,
                "tax_id": null
              },
              "captured": false,
              "created": 1234567890,
              "currency": "usd",
              "customer": null,
              "description": "My First Test Charge (created for API docs)",
              "disputed": false,
              "failure_code": null,
              "failure_message": null,
              "fraud_details": {},
              "id": "ch_1PgafuB7WZ01zgkWXYmPNZs8",
              "livemode": false,
              "metadata": {},
              "object": "charge",
              "outcome": {
                "advice_code": null,
                "network_advice_code": null,
                "network_decline_code": null,
                "network_status": null,
                "reason": null,
                "seller_message": null,
                "type": "type"
              },
              "paid": true,
              "payment_intent": null,
              "payment_method": "card_1PgaftB7WZ01zgkWm3waTcFp",
              "payment_method_details": {
                "card": {
                  "brand": "visa",
                  "checks": { "address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass" },
                  "country": "US",
                  "exp_month": 8,
                  "exp_year": 2030,
                  "fingerprint": "AOB934RVNwzk6xtn",
                  "funding": "credit",
                  "installments": { "plan": { "count": null, "interval": null, "type": "fixed_count" } },
                  "last4": "4242",
                  "network": "visa",
                  "three_d_secure": {
                    "authentication_flow": null,
                    "electronic_commerce_indicator": null,
                    "exemption_indicator": null,
                    "result": "authenticated",
                    "result_reason": null,
                    "transaction_id": null,
                    "version": null,
                    "authenticated": true,
                    "succeeded": true
                  },
                  "wallet": { "dynamic_last4": null, "type": "link" }
                },
                "type": "card"
              },
              "receipt_email": null,
              "receipt_number": null,
              "receipt_url": "https://sangeekp-15t6ai--manage-mydev.dev.stripe.me/receipts/payment/CAcaFwoVYWNjdF8xUGdhZlRCN1daMDF6Z2tXKI_ei7UGMgZv2S_KfiY6LCJrxC7awazgQA9I88krZKw5uuCkZ5Nup2tomEtAbSpdfzjVZHO3ZYP5KFZP",
              "refunded": false,
              "refunds": [],
              "statement_descriptor": null,
              "status": "paid",
              "transfer_data": { "amount": null, "destination": { "id": "obj_123", "object": "account" } },
              "source": {{Card}},
              "card": {{Card}}
            }
            """;

        AssertRendersAs(charge, "2014-05-19", expected);
    }

    // A page of charges: the list envelope is no resource, the charges in it are.
    [Fact]
    public void A_list_of_charges_at_the_oldest_version_holds_oldest_charges()
        => AssertRendersAs(new ApiList<Charge>([StripeCorpus.Charge()], "/v1/charges"), "2014-05-19", $$"""
            { "object": "list", "data": [{{ExpectedCharge.Oldest}}], "has_more": false, "url": "/v1/charges" }
            """);

    // Metadata is a dictionary: even one holding `object: charge` is never taken for a charge (no `card` added, its
    // `status` not mapped).
    [Fact]
    public void Metadata_that_looks_like_a_charge_is_left_alone()
    {
        var json = StripeCorpus.Json("charge");
        json["metadata"] = new JsonObject { ["object"] = "charge", ["status"] = "succeeded" };
        var charge = StripeCorpus.Deserialize(json, StripeJsonContext.Default.Charge);

        AssertRendersAs(charge, "2014-05-19", ExpectedCharge.Oldest.Replace(
            "\"metadata\": {}", "\"metadata\": { \"object\": \"charge\", \"status\": \"succeeded\" }", StringComparison.Ordinal));
    }

    // Typed code on one field runs whenever the field is there, null included: refunds not expanded stay null.
    [Fact]
    public void At_the_oldest_version_refunds_not_expanded_stay_null()
    {
        var json = StripeCorpus.Json("charge");
        json["refunds"] = null;
        var charge = StripeCorpus.Deserialize(json, StripeJsonContext.Default.Charge);

        AssertRendersAs(charge, "2014-05-19", ExpectedCharge.Oldest.Replace("\"refunds\": []", "\"refunds\": null", StringComparison.Ordinal));
    }

    // Raw JSON goes through the reference chain, and every older change to charges is typed code on the C# charge
    // (2020-08-27 first, going back): a raw charge cannot go back past it, and the error says which change needs the object.
    [Fact]
    public void Raw_json_of_the_charge_cannot_go_back_past_typed_code()
    {
        var payload = JsonNode.Parse(JsonSerializer.Serialize(StripeCorpus.Charge(), StripeJsonContext.Default.Charge));

        var error = Assert.Throws<RenderException>(() => Writers.Transform(payload, ApiVersion.Parse("2019-10-17")));

        Assert.Contains("ThreeDSecureResult", error.Message, StringComparison.Ordinal);
        Assert.Contains("Render the C# object instead", error.Message, StringComparison.Ordinal);
    }
}
