using System.Text.Json.Serialization;

namespace VersionKit.Stripe.Tests;

/// <summary>What this corpus found in VersionKit, held so that it stays fixed.</summary>
public sealed class FoundIssueTests
{
    // The reference chain marks each resource with its owner's number while it serializes it; a source-generated context
    // whose types have no int field knows no Int32, and every render through the chain threw NotSupportedException.
    [Fact]
    public void The_reference_chain_renders_with_a_context_that_knows_no_int()
    {
        var renderer = new ApiRenderer(StripeHistory.Default, ContextWithoutInt.Default.Options, RenderPath.Reference);

        var rendered = renderer.RenderToNode(StripeCorpus.Customer(), ApiVersion.Parse("2019-10-17"));

        Assert.Equal(0, (long)rendered!["balance"]!);
    }
}

/// <summary>StripeJsonContext's types, without <c>typeof(int)</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PaymentIntent))]
[JsonSerializable(typeof(Charge))]
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(ApiList<Charge>))]
[JsonSerializable(typeof(IReadOnlyList<Refund>))]
[JsonSerializable(typeof(UnexpandedList<Source>))]
[JsonSerializable(typeof(UnexpandedList<Subscription>))]
[JsonSerializable(typeof(UnexpandedList<TaxId>))]
[JsonSerializable(typeof(List<TaxAmount>))]
[JsonSerializable(typeof(Changes.PaymentMethodDetailsBefore2020))]
internal sealed partial class ContextWithoutInt : JsonSerializerContext;
