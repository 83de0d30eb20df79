using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Stripe.Tests;

/// <summary>
/// Renders a resource of <see cref="StripeHistory"/> both ways an app can (the generated writers, the default, and the
/// reference chain) and holds each to the expected JSON, after both are brought to one normal form (no whitespace).
/// </summary>
internal static class StripeRendering
{
    public static ApiRenderer Writers { get; } = new(StripeHistory.Default, StripeJsonContext.Default.Options);

    public static ApiRenderer Reference { get; } = new(StripeHistory.Default, StripeJsonContext.Default.Options, RenderPath.Reference);

    public static void AssertRendersAs<T>(T resource, string version, string expectedJson)
    {
        var at = ApiVersion.Parse(version);
        string expected = Normal(expectedJson);
        Assert.Equal(expected, Normal(Writers.Render(resource, at)));
        Assert.Equal(expected, Normal(Reference.Render(resource, at)));
    }

    /// <summary>At the latest version both paths write exactly what System.Text.Json writes with the app's context.</summary>
    public static void AssertLatestIsPlainSerialization<T>(T resource)
    {
        string plain = JsonSerializer.Serialize(resource, typeof(T), StripeJsonContext.Default);
        Assert.Equal(plain, Writers.Render(resource, StripeHistory.Default.Latest));
        Assert.Equal(plain, Reference.Render(resource, StripeHistory.Default.Latest));
    }

    public static string Normal(string json) => JsonNode.Parse(json)!.ToJsonString();
}
