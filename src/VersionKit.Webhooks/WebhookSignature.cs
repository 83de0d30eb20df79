using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VersionKit.Webhooks;

/// <summary>
/// Stripe's webhook signature: <c>Stripe-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;"&gt;</c>,
/// keyed with the endpoint's secret, so that receivers check deliveries with Stripe's own libraries
/// (<c>EventUtility.ConstructEvent</c>), and refuse a changed body or an old timestamp.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header deliveries carry their signature in.</summary>
    public const string HeaderName = "Stripe-Signature";

    private const string SecretAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A new endpoint secret: <c>whsec_</c> and 32 random letters and digits (190 bits).</summary>
    public static string NewSecret() => "whsec_" + RandomNumberGenerator.GetString(SecretAlphabet, 32);

    /// <summary>The <see cref="HeaderName"/> value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    /// <param name="secret">The endpoint's secret, whole (<c>whsec_...</c>), as Stripe keys it.</param>
    /// <param name="timestamp">When it is sent; receivers refuse old ones (Stripe's libraries: after 5 minutes).</param>
    /// <param name="body">The exact bytes sent.</param>
    public static string Sign(string secret, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        string t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] signed = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, signed);
        signed[t.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(t.Length + 1));
        byte[] mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return "t=" + t + ",v1=" + Convert.ToHexStringLower(mac);
    }
}
