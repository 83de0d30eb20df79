using System.Text;
using Stripe;

namespace VersionKit.Webhooks.Tests;

/// <summary>Signatures checked by Stripe's own .NET library (Stripe.net), which shares no code with VersionKit's.</summary>
public sealed class SignatureTests
{
    private const string Body = """{"id":"evt_1","object":"event","api_version":"2011-08-01","type":"charge.succeeded","data":{"object":{"id":"ch_1","object":"charge"}}}""";

    private static readonly string Secret = WebhookSignature.NewSecret();

    private static string Sign(string body, DateTimeOffset at, string? secret = null) => WebhookSignature.Sign(secret ?? Secret, at, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Stripes_library_accepts_a_signature_made_now()
    {
        var now = DateTimeOffset.UtcNow;
        EventUtility.ValidateSignature(Body, Sign(Body, now), Secret, 300, now.ToUnixTimeSeconds());
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", Sign(Body, now));
        Assert.StartsWith("whsec_", Secret, StringComparison.Ordinal);
        Assert.NotEqual(Secret, WebhookSignature.NewSecret());
    }

    [Fact]
    public void Stripes_library_refuses_a_changed_body_another_secret_and_an_old_timestamp()
    {
        var now = DateTimeOffset.UtcNow;
        string header = Sign(Body, now);
        Assert.Throws<StripeException>(() => EventUtility.ValidateSignature(Body.Replace("2011-08-01", "2024-09-30", StringComparison.Ordinal), header, Secret, 300, now.ToUnixTimeSeconds()));
        Assert.Throws<StripeException>(() => EventUtility.ValidateSignature(Body, Sign(Body, now, WebhookSignature.NewSecret()), Secret, 300, now.ToUnixTimeSeconds()));

        // Ten minutes old: beyond the library's five minutes of tolerance.
        Assert.Throws<StripeException>(() => EventUtility.ValidateSignature(Body, Sign(Body, now.AddMinutes(-10)), Secret, 300, now.ToUnixTimeSeconds()));
        EventUtility.ValidateSignature(Body, Sign(Body, now.AddMinutes(-4)), Secret, 300, now.ToUnixTimeSeconds());
    }

    [Fact]
    public void A_body_with_characters_beyond_ascii_is_signed_as_its_utf8_bytes()
    {
        const string body = """{"id":"evt_1","object":"event","data":{"object":{"description":"Crème brûlée – 🍮"}}}""";
        var now = DateTimeOffset.UtcNow;
        EventUtility.ValidateSignature(body, Sign(body, now), Secret, 300, now.ToUnixTimeSeconds());
    }
}
