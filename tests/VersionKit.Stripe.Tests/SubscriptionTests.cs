using static VersionKit.Stripe.Tests.StripeRendering;

namespace VersionKit.Stripe.Tests;

/// <summary>
/// Stripe's example subscription and its item through 2025-03-31.basil (billing periods move to the items), 2020-08-27
/// (<c>tax_percent</c>) and 2019-10-17 (<c>billing</c>). Expected shapes written by hand; the parts no change touches are
/// written once.
/// </summary>
public sealed class SubscriptionTests
{
    private const string Head = """
          "automatic_tax": { "enabled": false, "liability": { "type": "account" }, "disabled_reason": null },
          "billing_cycle_anchor": 1234567890,
          "cancel_at": 1234567890,
          "canceled_at": 1234567890,
          "cancellation_details": { "comment": null, "feedback": null, "reason": null },
        """;

    private const string Middle = """
          "created": 1234567890,
          "currency": "usd",
          "customer": "cus_QXg1o8vcGmoR32",
          "days_until_due": null,
          "default_payment_method": null,
          "description": null,
          "discounts": [],
          "ended_at": 1234567890,
          "id": "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw",
        """;

    private const string ItemHead = """
              "created": 1721954054,
              "discounts": [],
              "id": "si_QXhVnC2h0Jczwc",
              "metadata": {},
              "object": "subscription_item",
              "price": {
                "active": true,
                "billing_scheme": "per_unit",
                "created": 1721948530,
                "currency": "usd",
                "id": "price_1PgafmB7WZ01zgkW6dKueIc5",
                "livemode": false,
                "lookup_key": null,
                "metadata": {},
                "nickname": null,
                "object": "price",
                "product": "prod_QXg1hqf4jFNsqG",
                "recurring": { "interval": "month", "interval_count": 1, "meter": null, "usage_type": "licensed", "trial_period_days": null },
                "tax_behavior": "unspecified",
                "type": "recurring",
                "unit_amount": 2000,
                "unit_amount_decimal": "2000"
              },
              "quantity": 1,
              "subscription": "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw"
        """;

    private const string ItemsUrl = "/v1/subscription_items?subscription=sub_1Pgc6rB7WZ01zgkWNy0Cn5nw";

    private const string Tail = """
          "latest_invoice": null,
          "livemode": false,
          "metadata": {},
          "object": "subscription",
          "pause_collection": { "behavior": "mark_uncollectible", "resumes_at": null },
          "pending_setup_intent": null,
          "schedule": null,
          "start_date": 1234567890,
          "status": "active",
          "trial_end": 1234567890,
          "trial_settings": { "end_behavior": { "missing_payment_method": "create_invoice" } },
          "trial_start": 1234567890,
          "cancel_at_period_end": true
        """;

    [Fact]
    public void At_the_latest_version_it_is_plain_serialization()
        => AssertLatestIsPlainSerialization(StripeCorpus.Subscription());

    // basil undone: the item loses its period, and the subscription has the item's, after its last field.
    [Fact]
    public void At_2022_11_15_the_billing_period_is_the_subscriptions()
        => AssertRendersAs(StripeCorpus.Subscription(), "2022-11-15", $$"""
            {
              {{Head}}
              "collection_method": "charge_automatically",
              {{Middle}}
              "items": {
                "object": "list",
                "data": [
                  {
                    {{ItemHead}}
                  }
                ],
                "has_more": false,
                "url": "{{ItemsUrl}}"
              },
              {{Tail}},
              "current_period_end": 976287773,
              "current_period_start": 1896570518
            }
            """);

    // 2020-08-27 undone too: a null tax_percent after the period.
    [Fact]
    public void At_2019_10_17_the_subscription_has_a_null_tax_percent()
        => AssertRendersAs(StripeCorpus.Subscription(), "2019-10-17", $$"""
            {
              {{Head}}
              "collection_method": "charge_automatically",
              {{Middle}}
              "items": {
                "object": "list",
                "data": [
                  {
                    {{ItemHead}}
                  }
                ],
                "has_more": false,
                "url": "{{ItemsUrl}}"
              },
              {{Tail}},
              "current_period_end": 976287773,
              "current_period_start": 1896570518,
              "tax_percent": null
            }
            """);

    [Fact]
    public void At_the_oldest_version_collection_method_is_billing()
        => AssertRendersAs(StripeCorpus.Subscription(), "2014-05-19", $$"""
            {
              {{Head}}
              "billing": "charge_automatically",
              {{Middle}}
              "items": {
                "object": "list",
                "data": [
                  {
                    {{ItemHead}}
                  }
                ],
                "has_more": false,
                "url": "{{ItemsUrl}}"
              },
              {{Tail}},
              "current_period_end": 976287773,
              "current_period_start": 1896570518,
              "tax_percent": null
            }
            """);

    // A subscription with no item has no period to show: null on versions that had one on the subscription.
    [Fact]
    public void At_2022_11_15_a_subscription_without_items_has_null_periods()
    {
        var json = StripeCorpus.Json("subscription");
        json["items"]!["data"]!.AsArray().Clear();
        var subscription = StripeCorpus.Deserialize(json, StripeJsonContext.Default.Subscription);

        AssertRendersAs(subscription, "2022-11-15", $$"""
            {
              {{Head}}
              "collection_method": "charge_automatically",
              {{Middle}}
              "items": { "object": "list", "data": [], "has_more": false, "url": "{{ItemsUrl}}" },
              {{Tail}},
              "current_period_end": null,
              "current_period_start": null
            }
            """);
    }
}
