using System.Text.Json.Serialization;

namespace VersionKit.Stripe;

/// <summary>
/// The source-generated serializer of the Stripe resources, snake_case as Stripe writes them. <c>StripeJsonContext.Default</c>
/// reads the example objects and gives <see cref="ApiRenderer"/> its options, as an app with a source-generated context
/// gives them; the benchmarks can use it as their baseline.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PaymentIntent))]
[JsonSerializable(typeof(Charge))]
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(Customer))]
// Values the history's typed code creates: the charges list of 2022-11-15, the refunds array of 2014-06-17, the customer's
// lists of 2015-02-18 and 2020-08-27, the tax amounts of 2025-03-31.basil, the card details before 2020-08-27.
[JsonSerializable(typeof(ApiList<Charge>))]
[JsonSerializable(typeof(IReadOnlyList<Refund>))]
[JsonSerializable(typeof(UnexpandedList<Source>))]
[JsonSerializable(typeof(UnexpandedList<Subscription>))]
[JsonSerializable(typeof(UnexpandedList<TaxId>))]
[JsonSerializable(typeof(List<TaxAmount>))]
[JsonSerializable(typeof(Changes.PaymentMethodDetailsBefore2020))]
public sealed partial class StripeJsonContext : JsonSerializerContext;
