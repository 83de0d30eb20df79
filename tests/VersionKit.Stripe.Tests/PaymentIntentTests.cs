using static VersionKit.Stripe.Tests.StripeRendering;

namespace VersionKit.Stripe.Tests;

/// <summary>
/// Stripe's example payment intent, its latest charge expanded, through 2022-11-15 (<c>charges</c> gives way to
/// <c>latest_charge</c>) and 2019-02-11 (statuses, <c>next_action</c>); the charge inside receives the charge's changes.
/// </summary>
public sealed class PaymentIntentTests
{
    private const string ChargesUrl = "/v1/charges?payment_intent=pi_1PgafyB7WZ01zgkWSjxsAJo3";

    [Fact]
    public void At_the_latest_version_it_is_plain_serialization()
        => AssertLatestIsPlainSerialization(StripeCorpus.PaymentIntent());

    [Fact]
    public void At_2022_11_15_it_is_the_example_with_its_latest_charge_as_it_is()
        => AssertRendersAs(StripeCorpus.PaymentIntent(), "2022-11-15", $$"""
            {
              "amount": 1099,
              "amount_capturable": 0,
              "amount_received": 0,
              "automatic_payment_methods": { "enabled": true },
              "canceled_at": 1234567890,
              "cancellation_reason": null,
              "capture_method": "automatic",
              "client_secret": "pi_1PgafyB7WZ01zgkWSjxsAJo3_secret_Dm43xiq1k0ywrRRjDoi8y1gkM",
              "confirmation_method": "automatic",
              "created": 1234567890,
              "currency": "usd",
              "customer": null,
              "description": null,
              "id": "pi_1PgafyB7WZ01zgkWSjxsAJo3",
              "last_payment_error": { "type": "idempotency_error" },
              "latest_charge": {{ExpectedCharge.Current}},
              "livemode": false,
              "metadata": {},
              "next_action": { "type": "type" },
              "object": "payment_intent",
              "payment_method": null,
              "payment_method_types": ["card"],
              "receipt_email": null,
              "setup_future_usage": null,
              "statement_descriptor": null,
              "status": "requires_payment_method",
              "transfer_data": { "destination": { "id": "obj_123", "object": "account" } }
            }
            """);

    // 2022-11-15 undone: no latest_charge; the charges list comes back after the last field, holding the latest charge,
    // which at 2020-08-27 is still the charge as it is.
    [Fact]
    public void At_2020_08_27_the_charges_list_holds_the_latest_charge()
        => AssertRendersAs(StripeCorpus.PaymentIntent(), "2020-08-27", $$"""
            {
              "amount": 1099,
              "amount_capturable": 0,
              "amount_received": 0,
              "automatic_payment_methods": { "enabled": true },
              "canceled_at": 1234567890,
              "cancellation_reason": null,
              "capture_method": "automatic",
              "client_secret": "pi_1PgafyB7WZ01zgkWSjxsAJo3_secret_Dm43xiq1k0ywrRRjDoi8y1gkM",
              "confirmation_method": "automatic",
              "created": 1234567890,
              "currency": "usd",
              "customer": null,
              "description": null,
              "id": "pi_1PgafyB7WZ01zgkWSjxsAJo3",
              "last_payment_error": { "type": "idempotency_error" },
              "livemode": false,
              "metadata": {},
              "next_action": { "type": "type" },
              "object": "payment_intent",
              "payment_method": null,
              "payment_method_types": ["card"],
              "receipt_email": null,
              "setup_future_usage": null,
              "statement_descriptor": null,
              "status": "requires_payment_method",
              "transfer_data": { "destination": { "id": "obj_123", "object": "account" } },
              "charges": { "object": "list", "data": [{{ExpectedCharge.Current}}], "has_more": false, "url": "{{ChargesUrl}}" }
            }
            """);

    // At 2019-02-11 the intent keeps its new status and next_action, but the charge in the rebuilt list already has the
    // 3D Secure booleans of before 2020-08-27: a value made while undoing 2022-11-15 receives every older change.
    [Fact]
    public void At_2019_02_11_the_charge_in_the_rebuilt_list_receives_the_older_charge_changes()
        => AssertRendersAs(StripeCorpus.PaymentIntent(), "2019-02-11", $$"""
            {
              "amount": 1099,
              "amount_capturable": 0,
              "amount_received": 0,
              "automatic_payment_methods": { "enabled": true },
              "canceled_at": 1234567890,
              "cancellation_reason": null,
              "capture_method": "automatic",
              "client_secret": "pi_1PgafyB7WZ01zgkWSjxsAJo3_secret_Dm43xiq1k0ywrRRjDoi8y1gkM",
              "confirmation_method": "automatic",
              "created": 1234567890,
              "currency": "usd",
              "customer": null,
              "description": null,
              "id": "pi_1PgafyB7WZ01zgkWSjxsAJo3",
              "last_payment_error": { "type": "idempotency_error" },
              "livemode": false,
              "metadata": {},
              "next_action": { "type": "type" },
              "object": "payment_intent",
              "payment_method": null,
              "payment_method_types": ["card"],
              "receipt_email": null,
              "setup_future_usage": null,
              "statement_descriptor": null,
              "status": "requires_payment_method",
              "transfer_data": { "destination": { "id": "obj_123", "object": "account" } },
              "charges": { "object": "list", "data": [{{ExpectedCharge.At2019_10_17}}], "has_more": false, "url": "{{ChargesUrl}}" }
            }
            """);

    // Everything undone: the old status name, next_source_action in next_action's place, and a charge that is paid,
    // has its card and its refunds as an array.
    [Fact]
    public void At_the_oldest_version_the_charge_in_the_list_shows_its_oldest_shape()
        => AssertRendersAs(StripeCorpus.PaymentIntent(), "2014-05-19", $$"""
            {
              "amount": 1099,
              "amount_capturable": 0,
              "amount_received": 0,
              "automatic_payment_methods": { "enabled": true },
              "canceled_at": 1234567890,
              "cancellation_reason": null,
              "capture_method": "automatic",
              "client_secret": "pi_1PgafyB7WZ01zgkWSjxsAJo3_secret_Dm43xiq1k0ywrRRjDoi8y1gkM",
              "confirmation_method": "automatic",
              "created": 1234567890,
              "currency": "usd",
              "customer": null,
              "description": null,
              "id": "pi_1PgafyB7WZ01zgkWSjxsAJo3",
              "last_payment_error": { "type": "idempotency_error" },
              "livemode": false,
              "metadata": {},
              "next_source_action": { "type": "type" },
              "object": "payment_intent",
              "payment_method": null,
              "payment_method_types": ["card"],
              "receipt_email": null,
              "setup_future_usage": null,
              "statement_descriptor": null,
              "status": "requires_source",
              "transfer_data": { "destination": { "id": "obj_123", "object": "account" } },
              "charges": { "object": "list", "data": [{{ExpectedCharge.Oldest}}], "has_more": false, "url": "{{ChargesUrl}}" }
            }
            """);

    // The example waits for a payment method; an intent that waits for 3D Secure and has no charge yet.
    [Fact]
    public void At_the_oldest_version_requires_action_is_requires_source_action_and_no_charge_is_an_empty_list()
    {
        var json = StripeCorpus.Json("payment_intent");
        json["status"] = "requires_action";
        json["next_action"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "type": "use_stripe_sdk" }""");
        json["latest_charge"] = null;
        var paymentIntent = StripeCorpus.Deserialize(json, StripeJsonContext.Default.PaymentIntent);

        AssertRendersAs(paymentIntent, "2014-05-19", $$"""
            {
              "amount": 1099,
              "amount_capturable": 0,
              "amount_received": 0,
              "automatic_payment_methods": { "enabled": true },
              "canceled_at": 1234567890,
              "cancellation_reason": null,
              "capture_method": "automatic",
              "client_secret": "pi_1PgafyB7WZ01zgkWSjxsAJo3_secret_Dm43xiq1k0ywrRRjDoi8y1gkM",
              "confirmation_method": "automatic",
              "created": 1234567890,
              "currency": "usd",
              "customer": null,
              "description": null,
              "id": "pi_1PgafyB7WZ01zgkWSjxsAJo3",
              "last_payment_error": { "type": "idempotency_error" },
              "livemode": false,
              "metadata": {},
              "next_source_action": { "type": "use_stripe_sdk" },
              "object": "payment_intent",
              "payment_method": null,
              "payment_method_types": ["card"],
              "receipt_email": null,
              "setup_future_usage": null,
              "statement_descriptor": null,
              "status": "requires_source_action",
              "transfer_data": { "destination": { "id": "obj_123", "object": "account" } },
              "charges": { "object": "list", "data": [], "has_more": false, "url": "{{ChargesUrl}}" }
            }
            """);
    }
}
