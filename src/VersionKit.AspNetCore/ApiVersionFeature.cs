namespace VersionKit.AspNetCore;

/// <summary>Where the version of a request came from.</summary>
public enum ApiVersionSource
{
    /// <summary>The caller named it in the version header.</summary>
    Header,

    /// <summary>Nothing named one; the latest version applies.</summary>
    Default,
}

/// <summary>The version VersionKit resolved for the current request, in <see cref="Microsoft.AspNetCore.Http.HttpContext.Features"/>.</summary>
/// <param name="Version">The version the response is rendered at.</param>
/// <param name="Source">Where it came from.</param>
public sealed record ApiVersionFeature(ApiVersion Version, ApiVersionSource Source);
