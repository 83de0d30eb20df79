using VersionKit.Pins;

namespace VersionKit.AspNetCore;

/// <summary>How VersionKit reads, resolves and answers versions over HTTP.</summary>
public sealed class VersionKitOptions
{
    /// <summary>The request header a caller names its version in, echoed in every versioned response. Default <c>Stripe-Version</c>.</summary>
    public string HeaderName { get; set; } = "Stripe-Version";

    /// <summary>Where the changelog is, for the <c>Link</c> header sent with deprecated and sunset versions. Default <c>/docs/changelog</c>.</summary>
    public string ChangelogUrl { get; set; } = "/docs/changelog";

    /// <summary>What a <c>503</c> asks callers to wait when the pin store cannot be read. Default 5 seconds.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Pins: the rollback window and how long pins are cached.</summary>
    public PinOptions Pins { get; } = new();

    /// <summary>
    /// The JSON options every response is rendered with, and <see cref="ApiRenderer"/> outside HTTP; <see langword="null"/>
    /// (the default) for each framework's own: minimal APIs' <c>JsonOptions</c> for minimal APIs, MVC's for controllers.
    /// </summary>
    public System.Text.Json.JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>Where pins live, as the builder was told (<c>UseSqlitePins</c>, <c>WithoutPins</c>...).</summary>
    internal PinStoreChoice PinStore { get; set; }

    /// <summary>Versions marked deprecated, with the moment they were (RFC 9745 <c>Deprecation</c> header).</summary>
    public IDictionary<ApiVersion, DateTimeOffset> Deprecations { get; } = new Dictionary<ApiVersion, DateTimeOffset>();

    /// <summary>Versions marked for sunset, with the moment they stop being served (RFC 8594 <c>Sunset</c> header).</summary>
    public IDictionary<ApiVersion, DateTimeOffset> Sunsets { get; } = new Dictionary<ApiVersion, DateTimeOffset>();

    /// <summary>Marks <paramref name="version"/> deprecated since <paramref name="since"/>.</summary>
    public VersionKitOptions Deprecate(string version, DateTimeOffset since)
    {
        Deprecations[ApiVersion.Parse(version)] = since;
        return this;
    }

    /// <summary>Marks <paramref name="version"/> to be sunset at <paramref name="at"/>.</summary>
    public VersionKitOptions Sunset(string version, DateTimeOffset at)
    {
        Sunsets[ApiVersion.Parse(version)] = at;
        return this;
    }
}
