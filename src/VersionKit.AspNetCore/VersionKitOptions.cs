namespace VersionKit.AspNetCore;

/// <summary>How VersionKit reads and answers versions over HTTP.</summary>
public sealed class VersionKitOptions
{
    /// <summary>The request header a caller names its version in, echoed in the response. Default <c>Stripe-Version</c>.</summary>
    public string HeaderName { get; set; } = "Stripe-Version";
}
