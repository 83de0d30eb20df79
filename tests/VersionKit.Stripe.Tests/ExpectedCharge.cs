namespace VersionKit.Stripe.Tests;

/// <summary>
/// Stripe's example charge (Data/charge.json, the fields the C# resource keeps) as each version shows it, written by hand
/// from the example and the changes' changelog entries. The parts no change touches are written once.
/// </summary>
internal static class ExpectedCharge
{
    private const string BillingDetails = """
        {
          "address": { "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null },
          "email": null,
          "name": "Jenny Rosen",
          "phone": null,
          "tax_id": null
        }
        """;

    private const string Outcome = """
        {
          "advice_code": null,
          "network_advice_code": null,
          "network_decline_code": null,
          "network_status": null,
          "reason": null,
          "seller_message": null,
          "type": "type"
        }
        """;

    // payment_method_details.card up to three_d_secure, which 2020-08-27 changes
    private const string CardHead = """
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
        """;

    private const string ThreeDSecureFields = """
          "authentication_flow": null,
          "electronic_commerce_indicator": null,
          "exemption_indicator": null,
          "result": null,
          "result_reason": null,
          "transaction_id": null,
          "version": null
        """;

    private const string Wallet = """{ "dynamic_last4": null, "type": "link" }""";

    private const string ReceiptUrl = "https://sangeekp-15t6ai--manage-mydev.dev.stripe.me/receipts/payment/CAcaFwoVYWNjdF8xUGdhZlRCN1daMDF6Z2tXKI_ei7UGMgZv2S_KfiY6LCJrxC7awazgQA9I88krZKw5uuCkZ5Nup2tomEtAbSpdfzjVZHO3ZYP5KFZP";

    private const string TransferData = """{ "amount": null, "destination": { "id": "obj_123", "object": "account" } }""";

    private const string Source = """
        {
          "amount": null,
          "client_secret": "client_secret",
          "created": 1028554472,
          "currency": null,
          "flow": "flow",
          "id": "obj_123",
          "livemode": true,
          "metadata": null,
          "object": "source",
          "owner": {
            "address": { "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null },
            "email": null,
            "name": null,
            "phone": null
          },
          "status": "status",
          "type": "ach_credit_transfer",
          "usage": null
        }
        """;

    /// <summary>2020-08-27 and later: the example as it is.</summary>
    public const string Current = $$"""
        {
          "amount": 100,
          "amount_captured": 0,
          "amount_refunded": 0,
          "balance_transaction": "txn_1PgaxNB7WZ01zgkWEV3TLf40",
          "billing_details": {{BillingDetails}},
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
          "outcome": {{Outcome}},
          "paid": true,
          "payment_intent": null,
          "payment_method": "card_1PgaftB7WZ01zgkWm3waTcFp",
          "payment_method_details": {
            "card": {
              {{CardHead}}
              "three_d_secure": {
                {{ThreeDSecureFields}}
              },
              "wallet": {{Wallet}}
            },
            "type": "card"
          },
          "receipt_email": null,
          "receipt_number": null,
          "receipt_url": "{{ReceiptUrl}}",
          "refunded": false,
          "refunds": { "object": "list", "data": [], "has_more": false, "url": "/v1/charges/ch_1PgafuB7WZ01zgkWXYmPNZs8/refunds" },
          "statement_descriptor": null,
          "status": "succeeded",
          "transfer_data": {{TransferData}},
          "source": {{Source}}
        }
        """;

    /// <summary>
    /// 2015-02-18 to 2019-10-17: 2020-08-27 undone, so <c>three_d_secure</c> has the booleans its <c>result</c> replaced
    /// (a null result: no authentication, no success).
    /// </summary>
    public const string At2019_10_17 = $$"""
        {
          "amount": 100,
          "amount_captured": 0,
          "amount_refunded": 0,
          "balance_transaction": "txn_1PgaxNB7WZ01zgkWEV3TLf40",
          "billing_details": {{BillingDetails}},
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
          "outcome": {{Outcome}},
          "paid": true,
          "payment_intent": null,
          "payment_method": "card_1PgaftB7WZ01zgkWm3waTcFp",
          "payment_method_details": {
            "card": {
              {{CardHead}}
              "three_d_secure": {
                {{ThreeDSecureFields}},
                "authenticated": false,
                "succeeded": false
              },
              "wallet": {{Wallet}}
            },
            "type": "card"
          },
          "receipt_email": null,
          "receipt_number": null,
          "receipt_url": "{{ReceiptUrl}}",
          "refunded": false,
          "refunds": { "object": "list", "data": [], "has_more": false, "url": "/v1/charges/ch_1PgafuB7WZ01zgkWXYmPNZs8/refunds" },
          "statement_descriptor": null,
          "status": "succeeded",
          "transfer_data": {{TransferData}},
          "source": {{Source}}
        }
        """;

    /// <summary>
    /// 2014-06-17: 2015-02-18 undone too: the successful charge's status is <c>paid</c>, and <c>card</c> comes back
    /// after the last field, null since the example's source is not a card.
    /// </summary>
    public const string At2014_06_17 = $$"""
        {
          "amount": 100,
          "amount_captured": 0,
          "amount_refunded": 0,
          "balance_transaction": "txn_1PgaxNB7WZ01zgkWEV3TLf40",
          "billing_details": {{BillingDetails}},
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
          "outcome": {{Outcome}},
          "paid": true,
          "payment_intent": null,
          "payment_method": "card_1PgaftB7WZ01zgkWm3waTcFp",
          "payment_method_details": {
            "card": {
              {{CardHead}}
              "three_d_secure": {
                {{ThreeDSecureFields}},
                "authenticated": false,
                "succeeded": false
              },
              "wallet": {{Wallet}}
            },
            "type": "card"
          },
          "receipt_email": null,
          "receipt_number": null,
          "receipt_url": "{{ReceiptUrl}}",
          "refunded": false,
          "refunds": { "object": "list", "data": [], "has_more": false, "url": "/v1/charges/ch_1PgafuB7WZ01zgkWXYmPNZs8/refunds" },
          "statement_descriptor": null,
          "status": "paid",
          "transfer_data": {{TransferData}},
          "source": {{Source}},
          "card": null
        }
        """;

    /// <summary>2014-05-19, the oldest: 2014-06-17 undone too, so <c>refunds</c> is the array of refunds (none).</summary>
    public const string Oldest = $$"""
        {
          "amount": 100,
          "amount_captured": 0,
          "amount_refunded": 0,
          "balance_transaction": "txn_1PgaxNB7WZ01zgkWEV3TLf40",
          "billing_details": {{BillingDetails}},
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
          "outcome": {{Outcome}},
          "paid": true,
          "payment_intent": null,
          "payment_method": "card_1PgaftB7WZ01zgkWm3waTcFp",
          "payment_method_details": {
            "card": {
              {{CardHead}}
              "three_d_secure": {
                {{ThreeDSecureFields}},
                "authenticated": false,
                "succeeded": false
              },
              "wallet": {{Wallet}}
            },
            "type": "card"
          },
          "receipt_email": null,
          "receipt_number": null,
          "receipt_url": "{{ReceiptUrl}}",
          "refunded": false,
          "refunds": [],
          "statement_descriptor": null,
          "status": "paid",
          "transfer_data": {{TransferData}},
          "source": {{Source}},
          "card": null
        }
        """;
}
