using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Stripe.Tests;

/// <summary>What the corpus is made of: Stripe's versions, and resources that keep the example objects' values.</summary>
public sealed class CorpusTests
{
    [Fact]
    public void The_history_has_the_stripe_versions_of_its_changes_oldest_first()
        => Assert.Equal(
            ["2014-05-19", "2014-06-17", "2015-02-18", "2018-11-08", "2019-02-11", "2019-10-17", "2020-08-27", "2022-11-15", "2025-03-31.basil"],
            StripeHistory.Default.Versions.Select(v => v.ToString()));

    public static TheoryData<string> ObjectNames => new() { "charge", "customer", "invoice", "payment_intent", "subscription" };

    // The resources are trimmed, never altered: every field they write, at any depth, is in the example with its value.
    [Theory]
    [MemberData(nameof(ObjectNames))]
    public void Every_field_a_resource_writes_is_the_examples_own(string objectName)
    {
        var example = StripeCorpus.Json(objectName);
        var written = JsonNode.Parse(objectName switch
        {
            "charge" => JsonSerializer.Serialize(StripeCorpus.Charge(), StripeJsonContext.Default.Charge),
            "customer" => JsonSerializer.Serialize(StripeCorpus.Customer(), StripeJsonContext.Default.Customer),
            "invoice" => JsonSerializer.Serialize(StripeCorpus.Invoice(), StripeJsonContext.Default.Invoice),
            "payment_intent" => JsonSerializer.Serialize(StripeCorpus.PaymentIntent(), StripeJsonContext.Default.PaymentIntent),
            _ => JsonSerializer.Serialize(StripeCorpus.Subscription(), StripeJsonContext.Default.Subscription),
        });

        AssertWithin(written, example, objectName);
    }

    public static TheoryData<string, string> ObjectsAndVersions
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string objectName in new[] { "charge", "customer", "invoice", "payment_intent", "subscription" })
            {
                foreach (var version in StripeHistory.Default.Versions)
                {
                    data.Add(objectName, version.ToString());
                }
            }

            return data;
        }
    }

    // Between the hand-written shapes, the two render paths hold each other to the same bytes at every version.
    [Theory]
    [MemberData(nameof(ObjectsAndVersions))]
    public void The_writers_and_the_reference_chain_agree(string objectName, string version)
    {
        object resource = objectName switch
        {
            "charge" => StripeCorpus.Charge(),
            "customer" => StripeCorpus.Customer(),
            "invoice" => StripeCorpus.Invoice(),
            "payment_intent" => StripeCorpus.PaymentIntent(),
            _ => StripeCorpus.Subscription(),
        };

        var at = ApiVersion.Parse(version);
        Assert.Equal(StripeRendering.Reference.Render(resource, at), StripeRendering.Writers.Render(resource, at));
    }

    private static void AssertWithin(JsonNode? written, JsonNode? example, string path)
    {
        switch (written)
        {
            case JsonObject writtenObject:
                var exampleObject = Assert.IsType<JsonObject>(example);
                foreach (var (name, value) in writtenObject)
                {
                    Assert.True(exampleObject.ContainsKey(name), $"{path}.{name} is not in the example");
                    AssertWithin(value, exampleObject[name], $"{path}.{name}");
                }

                break;
            case JsonArray writtenArray:
                var exampleArray = Assert.IsType<JsonArray>(example);
                Assert.Equal(exampleArray.Count, writtenArray.Count);
                for (int i = 0; i < writtenArray.Count; i++)
                {
                    AssertWithin(writtenArray[i], exampleArray[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(JsonNode.DeepEquals(written, example), $"{path} is {written?.ToJsonString() ?? "null"}, the example has {example?.ToJsonString() ?? "null"}");
                break;
        }
    }
}
