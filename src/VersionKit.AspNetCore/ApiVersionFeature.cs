namespace VersionKit.AspNetCore;

/// <summary>Which step of the target-version rule decided a request's version.</summary>
public enum ApiVersionSource
{
    /// <summary>The caller named it in the version header.</summary>
    Header,

    /// <summary>An authorized application acting on the account's behalf: the application's version.</summary>
    Application,

    /// <summary>The account's pinned version.</summary>
    Pin,

    /// <summary>An anonymous call: the latest version.</summary>
    Default,
}

/// <summary>Who is calling: the account whose data the request touches, and the application acting for it, if any.</summary>
/// <param name="AccountId">The account, or <see langword="null"/> for an anonymous call.</param>
/// <param name="ApplicationId">The application (an OAuth app, a Connect platform) acting on the account's behalf, or <see langword="null"/>.</param>
public sealed record ApiCaller(string? AccountId, string? ApplicationId)
{
    /// <summary>An anonymous caller.</summary>
    public static ApiCaller Anonymous { get; } = new(null, null);
}

/// <summary>The version VersionKit resolved for the current request, in <see cref="Microsoft.AspNetCore.Http.HttpContext.Features"/>.</summary>
/// <param name="Version">The version the request is read and the response rendered at.</param>
/// <param name="Source">Which step of the rule decided it.</param>
/// <param name="Caller">Who is calling.</param>
public sealed record ApiVersionFeature(ApiVersion Version, ApiVersionSource Source, ApiCaller Caller);
