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

    /// <summary>
    /// The oldest version served: a call at an older one (by its header, its application or its account's pin) is refused
    /// with <c>410</c> <see cref="VersionKitErrorCodes.ApiVersionRetired"/>, naming this minimum and the upgrade guide.
    /// <see langword="null"/> (the default) retires nothing. Checked as the app starts: a stable version of the history.
    /// </summary>
    public ApiVersion? MinimumSupportedVersion { get; set; }

    /// <summary>The upgrade guide, linked from the retired-version error with <c>?from=</c> the caller's version. Default <c>/docs/upgrade</c>.</summary>
    public string UpgradeGuideUrl { get; set; } = "/docs/upgrade";

    /// <summary>
    /// How a version header holding a date that is no release's is read: <see cref="UnknownVersionDate.Strict"/> (the
    /// default) refuses it; <see cref="UnknownVersionDate.NearestEarlier"/> serves the stable release before it, and the
    /// response's version header says which.
    /// </summary>
    public UnknownVersionDate UnknownDate { get; set; }

    /// <summary>
    /// Where <paramref name="version"/> stands: <see cref="ApiVersionStatus.Retired"/> below <see cref="MinimumSupportedVersion"/>,
    /// else <see cref="ApiVersionStatus.Sunset"/> or <see cref="ApiVersionStatus.Deprecated"/> as marked, else supported.
    /// </summary>
    public ApiVersionStatus StatusOf(ApiVersion version)
        => version < MinimumSupportedVersion ? ApiVersionStatus.Retired
            : Sunsets.ContainsKey(version) ? ApiVersionStatus.Sunset
            : Deprecations.ContainsKey(version) ? ApiVersionStatus.Deprecated
            : ApiVersionStatus.Supported;

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
