using System.Text.Json;
using System.Text.Json.Nodes;
using static VersionKit.Stripe.Tests.StripeRendering;

namespace VersionKit.Stripe.Tests;

/// <summary>
/// Stripe's example customer through 2020-08-27 (lists no longer included), 2019-10-17 (<c>account_balance</c>) and
/// 2015-02-18 (<c>cards</c>, <c>default_card</c>). Expected shapes written by hand; the parts no change touches are
/// written once.
/// </summary>
public sealed class CustomerTests
{
    private const string Address = """
        { "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null }
        """;

    private const string Rest = """
          "created": 1234567890,
          "currency": "usd",
          "default_source": null,
          "delinquent": false,
          "description": null,
          "discount": {
            "customer": null,
            "end": null,
            "id": "obj_123",
            "object": "discount",
            "promotion_code": null,
            "start": 109757538,
            "subscription": null,
            "source": { "coupon": null, "type": "coupon" }
          },
          "email": null,
          "id": "cus_QXg1o8vcGmoR32",
          "invoice_prefix": "7FE1103",
          "invoice_settings": {
            "custom_fields": null,
            "default_payment_method": null,
            "footer": null,
            "rendering_options": { "amount_tax_display": null, "template": null }
          },
          "livemode": false,
          "metadata": {},
          "name": null,
          "next_invoice_sequence": 1,
          "object": "customer",
          "phone": null,
          "preferred_locales": [],
          "tax_exempt": "none",
          "test_clock": null
        """;

    private const string Lists = """
          "sources": { "object": "list", "data": [], "has_more": false, "total_count": 0, "url": "/v1/customers/cus_QXg1o8vcGmoR32/sources" },
          "subscriptions": { "object": "list", "data": [], "has_more": false, "total_count": 0, "url": "/v1/customers/cus_QXg1o8vcGmoR32/subscriptions" },
          "tax_ids": { "object": "list", "data": [], "has_more": false, "total_count": 0, "url": "/v1/customers/cus_QXg1o8vcGmoR32/tax_ids" }
        """;

    [Fact]
    public void At_the_latest_version_it_is_plain_serialization()
        => AssertLatestIsPlainSerialization(StripeCorpus.Customer());

    // 2020-08-27 undone: the three lists after the last field, in the order the change declares them.
    [Fact]
    public void At_2019_10_17_the_customer_includes_its_lists()
        => AssertRendersAs(StripeCorpus.Customer(), "2019-10-17", $$"""
            {
              "address": {{Address}},
              "balance": 0,
              {{Rest}},
              {{Lists}}
            }
            """);

    // 2019-10-17 undone too: account_balance in balance's place.
    [Fact]
    public void At_2015_02_18_the_balance_is_account_balance()
        => AssertRendersAs(StripeCorpus.Customer(), "2015-02-18", $$"""
            {
              "address": {{Address}},
              "account_balance": 0,
              {{Rest}},
              {{Lists}}
            }
            """);

    // 2015-02-18 undone too: default_card (no default source, so none) and cards, the card part of the sources list
    // restored by 2020-08-27, as that change left it: values restored by a newer change are what an older one reads.
    [Fact]
    public void At_the_oldest_version_cards_are_read_from_the_restored_sources()
        => AssertRendersAs(StripeCorpus.Customer(), "2014-05-19", $$"""
            {
              "address": {{Address}},
              "account_balance": 0,
              {{Rest}},
              {{Lists}},
              "default_card": null,
              "cards": { "object": "list", "data": [], "has_more": false, "total_count": 0, "url": "/v1/customers/cus_QXg1o8vcGmoR32/cards" }
            }
            """);

    // The example has no default source; here a default card.
    [Fact]
    public void At_the_oldest_version_a_default_card_source_is_the_default_card()
    {
        var json = StripeCorpus.Json("customer");
        json["default_source"] = "card_1";
        var customer = StripeCorpus.Deserialize(json, StripeJsonContext.Default.Customer);

        AssertRendersAs(customer, "2014-05-19", $$"""
            {
              "address": {{Address}},
              "account_balance": 0,
              {{Rest.Replace("\"default_source\": null", "\"default_source\": \"card_1\"", StringComparison.Ordinal)}},
              {{Lists}},
              "default_card": "card_1",
              "cards": { "object": "list", "data": [], "has_more": false, "total_count": 0, "url": "/v1/customers/cus_QXg1o8vcGmoR32/cards" }
            }
            """);
    }

    // The customer's lists come back from typed code on the C# customer (2020-08-27): raw JSON cannot go back past it.
    [Fact]
    public void Raw_json_of_the_customer_cannot_go_back_past_typed_code()
    {
        var payload = JsonNode.Parse(JsonSerializer.Serialize(StripeCorpus.Customer(), StripeJsonContext.Default.Customer));

        var error = Assert.Throws<RenderException>(() => Writers.Transform(payload, ApiVersion.Parse("2014-05-19")));

        Assert.Contains("CustomerLists", error.Message, StringComparison.Ordinal);
    }
}
