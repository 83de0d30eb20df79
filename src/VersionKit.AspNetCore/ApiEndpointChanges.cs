using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace VersionKit.AspNetCore;

/// <summary>
/// The versions of the app's endpoints, from <see cref="IntroducedInAttribute"/> and <see cref="RemovedInAttribute"/> (or
/// <c>.IntroducedIn(...)</c> and <c>.RemovedIn(...)</c>) on its versioned endpoints, read from its routes: routing answers a
/// caller outside an endpoint's versions with <c>404</c> or <c>410</c>, and the changelog, the upgrade guides and the OpenAPI
/// documents read them here. Registered by <c>AddVersionKit</c>; the app's start fails on a version the history does not have.
/// </summary>
public sealed class ApiEndpointChanges
{
    private readonly ApiHistory _history;
    private readonly EndpointDataSource _routes;
    private readonly ConditionalWeakTable<Endpoint, EndpointVersions> _versions = new();
    private volatile Snapshot? _snapshot;

    internal ApiEndpointChanges(ApiHistory history, EndpointDataSource routes)
    {
        _history = history;
        _routes = routes;
    }

    /// <summary>Every endpoint a version introduced, removed or gave a new handler, oldest version first.</summary>
    public IReadOnlyList<ApiEndpointChange> Changes => Read().Changes;

    /// <summary>The history's changelog with <see cref="Changes"/> in it: what the docs pages show.</summary>
    public ApiChangelog Changelog => Read().Changelog;

    /// <summary>
    /// Whether the endpoint whose metadata is <paramref name="endpointMetadata"/> (an endpoint's, or an API description's
    /// <c>EndpointMetadata</c>) is in <paramref name="version"/>. The last <see cref="IntroducedInAttribute"/> and the last
    /// <see cref="RemovedInAttribute"/> decide, as for any endpoint metadata: an action's over its controller's, an endpoint's
    /// over its group's.
    /// </summary>
    /// <exception cref="InvalidOperationException">They name a version the history does not have (the app's start refuses such endpoints).</exception>
    public bool IsInVersion(IEnumerable<object> endpointMetadata, ApiVersion version)
    {
        ArgumentNullException.ThrowIfNull(endpointMetadata);
        return TryRead(endpointMetadata.OfType<IntroducedInAttribute>().LastOrDefault(), endpointMetadata.OfType<RemovedInAttribute>().LastOrDefault(), out var versions, out string? problem)
            ? versions.Contains(version)
            : throw new InvalidOperationException(problem);
    }

    /// <summary>The versions <paramref name="endpoint"/> is in, read once per endpoint.</summary>
    internal EndpointVersions VersionsOf(Endpoint endpoint)
        => _versions.TryGetValue(endpoint, out var known) ? known : _versions.GetValue(endpoint, ReadVersions);

    private EndpointVersions ReadVersions(Endpoint endpoint)
        => TryRead(endpoint.Metadata.GetMetadata<IntroducedInAttribute>(), endpoint.Metadata.GetMetadata<RemovedInAttribute>(), out var versions, out string? problem)
            ? versions
            : throw new InvalidOperationException($"{NameOf(endpoint)}: {problem}");

    /// <summary>Refuses, as the app starts, endpoint versions that cannot be served: all of them in one message.</summary>
    internal void Check()
    {
        var problems = new List<string>();
        foreach (var endpoint in _routes.Endpoints)
        {
            var introduced = endpoint.Metadata.GetMetadata<IntroducedInAttribute>();
            var removed = endpoint.Metadata.GetMetadata<RemovedInAttribute>();
            if (introduced is null && removed is null)
            {
                continue;
            }

            if (endpoint.Metadata.GetMetadata<VersionKitEndpointMetadata>() is null)
            {
                problems.Add($"{NameOf(endpoint)} says which version introduced or removed it but is not versioned: add WithVersionKit() to it, its group or MapControllers().");
            }
            else if (!TryRead(introduced, removed, out _, out string? problem))
            {
                problems.Add($"{NameOf(endpoint)}: {problem}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("VersionKit cannot serve these endpoints at their versions:\n- " + string.Join("\n- ", problems));
        }
    }

    /// <summary>An endpoint as the changelog names it: its methods and route, <c>GET /v1/balance</c>.</summary>
    internal static string NameOf(Endpoint endpoint)
    {
        string route = endpoint is RouteEndpoint { RoutePattern.RawText: { } pattern } ? "/" + pattern.Trim('/') : endpoint.DisplayName ?? "(unnamed endpoint)";
        return endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? string.Join(", ", methods) + " " + route : route;
    }

    private bool TryRead(IntroducedInAttribute? introducedIn, RemovedInAttribute? removedIn, out EndpointVersions versions, out string? problem)
    {
        versions = EndpointVersions.All;
        ApiVersion? introduced = null;
        ApiVersion? removed = null;
        if (introducedIn is not null)
        {
            if (!_history.TryResolve(introducedIn.Version, out var version, out string? error))
            {
                problem = $"IntroducedIn(\"{introducedIn.Version}\") names no version of {_history.GetType().Name}. {error}";
                return false;
            }

            introduced = version;
        }

        if (removedIn is not null)
        {
            if (!_history.TryResolve(removedIn.Version, out var version, out string? error))
            {
                problem = $"RemovedIn(\"{removedIn.Version}\") names no version of {_history.GetType().Name}. {error}";
                return false;
            }

            removed = version;
        }

        if (introduced is { } from && removed is { } until && until <= from)
        {
            problem = $"introduced in {from} and removed in {until}, it would be in no version: RemovedIn must name a version after IntroducedIn.";
            return false;
        }

        versions = introduced is null && removed is null ? EndpointVersions.All : new EndpointVersions(introduced, removed);
        problem = null;
        return true;
    }

    private Snapshot Read()
    {
        if (_snapshot is { } snapshot)
        {
            return snapshot;
        }

        // Endpoints can change while the app runs (a data source of the app's own): what was read from them goes with them.
        var token = _routes.GetChangeToken();
        var introduced = new HashSet<(ApiVersion, string)>();
        var removed = new HashSet<(ApiVersion, string)>();
        foreach (var endpoint in _routes.Endpoints.Where(e => e.Metadata.GetMetadata<VersionKitEndpointMetadata>() is not null))
        {
            var versions = VersionsOf(endpoint);
            if (versions.IntroducedIn is { } from)
            {
                introduced.Add((from, NameOf(endpoint)));
            }

            if (versions.RemovedIn is { } until)
            {
                removed.Add((until, NameOf(endpoint)));
            }
        }

        // One handler removed where another is introduced, on the same route at the same version: the endpoint stays, served anew.
        var changes = new List<ApiEndpointChange>();
        changes.AddRange(introduced.Where(e => !removed.Contains(e)).Select(e => new ApiEndpointChange(e.Item1, ApiEndpointChangeKind.Introduced, e.Item2)));
        changes.AddRange(removed.Where(e => !introduced.Contains(e)).Select(e => new ApiEndpointChange(e.Item1, ApiEndpointChangeKind.Removed, e.Item2)));
        changes.AddRange(introduced.Where(removed.Contains).Select(e => new ApiEndpointChange(e.Item1, ApiEndpointChangeKind.Replaced, e.Item2)));
        var changelog = ApiChangelog.From(_history).WithEndpointChanges(changes);
        snapshot = new Snapshot(changelog.EndpointChanges, changelog);
        _snapshot = snapshot;
        token.RegisterChangeCallback(static state => ((ApiEndpointChanges)state!)._snapshot = null, this);
        return snapshot;
    }

    private sealed record Snapshot(IReadOnlyList<ApiEndpointChange> Changes, ApiChangelog Changelog);
}

/// <summary>The versions an endpoint is in: from <see cref="IntroducedIn"/> (or the first), up to but not including <see cref="RemovedIn"/>.</summary>
internal sealed record EndpointVersions(ApiVersion? IntroducedIn, ApiVersion? RemovedIn)
{
    public static EndpointVersions All { get; } = new(null, null);

    public bool Contains(ApiVersion version) => (IntroducedIn is not { } from || version >= from) && (RemovedIn is not { } until || version < until);
}
