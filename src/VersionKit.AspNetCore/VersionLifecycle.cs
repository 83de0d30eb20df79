using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore;

/// <summary>Where a version stands in its life, from <see cref="VersionKitOptions"/>: served, with a warning, or no longer.</summary>
public enum ApiVersionStatus
{
    /// <summary>Served as it is.</summary>
    Supported,

    /// <summary>Served, with a <c>Deprecation</c> header (RFC 9745): callers should move on.</summary>
    Deprecated,

    /// <summary>Served, with a <c>Sunset</c> header (RFC 8594) that says when it stops.</summary>
    Sunset,

    /// <summary>Older than <see cref="VersionKitOptions.MinimumSupportedVersion"/>: refused with <c>api_version_retired</c>.</summary>
    Retired,
}

/// <summary>
/// What a version's status means for a request: the lifecycle headers of a deprecated or sunset version, and the
/// <c>api_version_retired</c> error, naming the minimum and the upgrade guide, for a retired one.
/// </summary>
internal sealed class VersionLifecycle(ApiHistory history, IOptions<VersionKitOptions> options)
{
    private readonly VersionKitOptions _options = options.Value;

    /// <summary>Adds <c>Deprecation</c>, <c>Sunset</c> and <c>Link</c> for <paramref name="version"/>; whether it is deprecated.</summary>
    public bool AddHeaders(IHeaderDictionary headers, ApiVersion version)
    {
        var links = new List<string>(2);
        bool deprecated = _options.Deprecations.TryGetValue(version, out var since);
        if (deprecated)
        {
            headers["Deprecation"] = "@" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            links.Add($"<{_options.ChangelogUrl}>; rel=\"deprecation\"; type=\"text/html\"");
        }

        if (_options.Sunsets.TryGetValue(version, out var sunset))
        {
            headers["Sunset"] = sunset.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
            links.Add($"<{_options.ChangelogUrl}>; rel=\"sunset\"; type=\"text/html\"");
        }

        if (links.Count > 0)
        {
            headers.Append("Link", string.Join(", ", links));
        }

        return deprecated;
    }

    /// <summary>The error for a call at a retired version, or <see langword="null"/> when the version is served.</summary>
    public VersionKitError? Refusal(ApiVersionFeature feature)
    {
        if (_options.StatusOf(feature.Version) != ApiVersionStatus.Retired || _options.MinimumSupportedVersion is not { } minimum)
        {
            return null;
        }

        string guide = $"{_options.UpgradeGuideUrl}?from={feature.Version}";
        string remedy = feature.Source switch
        {
            ApiVersionSource.Header => $"Send {_options.HeaderName}: {history.Latest} (or any version from {minimum} on)",
            ApiVersionSource.Application => $"The application acting for the account is at {feature.Version}; it must upgrade, or send {_options.HeaderName}: {history.Latest}",
            _ => $"Upgrade the account's API version to {history.Latest} (or any version from {minimum} on), or send {_options.HeaderName} with one",
        };
        return new VersionKitError(
            StatusCodes.Status410Gone,
            VersionKitErrorCodes.ApiVersionRetired,
            $"API version {feature.Version} is retired: the oldest version this API serves is {minimum}. {remedy}. What changed since {feature.Version}: {guide}.")
        {
            Version = feature.Version,
            Details = new Dictionary<string, object?>
            {
                ["minimum_version"] = minimum.ToString(),
                ["latest_version"] = history.Latest.ToString(),
                ["upgrade_url"] = guide,
            },
        };
    }
}

/// <summary>Checks, as the app starts, that every version the options name is one the history serves.</summary>
internal sealed class VersionLifecycleValidation(ApiHistory history) : IValidateOptions<VersionKitOptions>
{
    public ValidateOptionsResult Validate(string? name, VersionKitOptions options)
    {
        var failures = new List<string>();
        void Check(ApiVersion version, string option)
        {
            if (!history.IsKnown(version))
            {
                failures.Add($"VersionKitOptions.{option} names {version}, which is not a version of {history.GetType().Name}. Valid versions: {string.Join(", ", history.Versions)}.");
            }
            else if (history.GetRelease(version).IsPreview)
            {
                failures.Add($"VersionKitOptions.{option} names the preview {version}; a preview is neither deprecated, sunset nor a minimum: name a stable release.");
            }
        }

        if (options.MinimumSupportedVersion is { } minimum)
        {
            Check(minimum, nameof(VersionKitOptions.MinimumSupportedVersion));
        }

        foreach (var version in options.Deprecations.Keys)
        {
            Check(version, nameof(VersionKitOptions.Deprecations));
        }

        foreach (var version in options.Sunsets.Keys)
        {
            Check(version, nameof(VersionKitOptions.Sunsets));
        }

        if (options.MinimumSupportedVersion > history.Latest)
        {
            failures.Add($"VersionKitOptions.MinimumSupportedVersion is {options.MinimumSupportedVersion}, newer than the latest stable release {history.Latest}: every call would be refused.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
