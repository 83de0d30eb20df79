namespace VersionKit;

/// <summary>
/// An endpoint that a version introduced, removed, or serves with a new handler. The app's routes know these, not the
/// generator, so they join the changelog as the app starts (<see cref="ApiChangelog.WithEndpointChanges"/>): the docs pages
/// list them, the files written at build time do not.
/// </summary>
/// <param name="Version">The version.</param>
/// <param name="Kind">What happened to the endpoint at <paramref name="Version"/>.</param>
/// <param name="Endpoint">The endpoint as its methods and route: <c>GET /v1/balance</c>.</param>
public sealed record ApiEndpointChange(ApiVersion Version, ApiEndpointChangeKind Kind, string Endpoint);

/// <summary>What a version did to an endpoint.</summary>
public enum ApiEndpointChangeKind
{
    /// <summary>The endpoint exists from this version on; older versions get <c>404</c>.</summary>
    Introduced,

    /// <summary>The endpoint is gone from this version on; this version and newer ones get <c>410</c>.</summary>
    Removed,

    /// <summary>One handler served the endpoint until this version, another serves it from this version on.</summary>
    Replaced,
}
