using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VersionKit.Stripe;

/// <summary>
/// The Stripe example objects of Data/ (embedded in this assembly), as JSON and as the C# resources they deserialize to
/// with <see cref="StripeJsonContext"/>; each call reads a fresh copy.
/// </summary>
public static class StripeCorpus
{
    /// <summary>The serializer options of <see cref="StripeJsonContext"/>: what an app would give <see cref="ApiRenderer"/>.</summary>
    public static JsonSerializerOptions JsonOptions => StripeJsonContext.Default.Options;

    /// <summary>The example payment intent, its <c>latest_charge</c> expanded.</summary>
    public static PaymentIntent PaymentIntent() => Read(StripeJsonContext.Default.PaymentIntent, "payment_intent");

    /// <summary>The example charge.</summary>
    public static Charge Charge() => Read(StripeJsonContext.Default.Charge, "charge");

    /// <summary>The example invoice, with one line item.</summary>
    public static Invoice Invoice() => Read(StripeJsonContext.Default.Invoice, "invoice");

    /// <summary>The example subscription, with one subscription item.</summary>
    public static Subscription Subscription() => Read(StripeJsonContext.Default.Subscription, "subscription");

    /// <summary>The example customer.</summary>
    public static Customer Customer() => Read(StripeJsonContext.Default.Customer, "customer");

    /// <summary>
    /// The example object named <paramref name="objectName"/> (<c>charge</c>, <c>customer</c>, <c>invoice</c>,
    /// <c>payment_intent</c>, <c>subscription</c>) as Data/ holds it, every field Stripe's example has.
    /// </summary>
    /// <exception cref="ArgumentException">There is no example object of that name.</exception>
    public static JsonObject Json(string objectName)
    {
        using var stream = typeof(StripeCorpus).Assembly.GetManifestResourceStream($"VersionKit.Stripe.Data.{objectName}.json")
            ?? throw new ArgumentException($"Data/ holds no '{objectName}.json'.", nameof(objectName));
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>Deserializes <paramref name="json"/> (an example object, perhaps edited) with <see cref="StripeJsonContext"/>.</summary>
    public static T Deserialize<T>(JsonObject json, JsonTypeInfo<T> typeInfo)
        => json.Deserialize(typeInfo) ?? throw new InvalidOperationException($"The JSON is null, not a {typeof(T).Name}.");

    private static T Read<T>(JsonTypeInfo<T> typeInfo, string objectName) => Deserialize(Json(objectName), typeInfo);
}
