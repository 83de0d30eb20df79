using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore;

/// <summary>
/// Resolves the version of a request in routing, before an endpoint is chosen, when the best candidates include one marked
/// <c>WithVersionKit()</c>: by <see cref="ApiVersionResolver"/>, so before authentication, authorization and the endpoint run.
/// A bad header (<c>400</c>) or pins that cannot be read (<c>503</c>) answer instead of any candidate. Otherwise the version
/// goes into <see cref="ApiVersionFeature"/>, every response of the request echoes it, and candidates outside their versions
/// drop out, so that endpoints on one route with different versions route by version; when none is left, the caller gets
/// <c>404</c> (not yet introduced) or <c>410</c> (removed). An account's call is counted at its version here, where every
/// served request's version is resolved once, and a call at a retired version gets <c>410</c> <c>api_version_retired</c>.
/// </summary>
internal sealed class VersionKitMatcherPolicy(
    ApiVersionResolver resolver,
    ApiEndpointChanges endpointChanges,
    VersionKitErrors errors,
    VersionKitTelemetry telemetry,
    VersionLifecycle lifecycle,
    VersionUsageRecorder usage,
    IOptions<VersionKitOptions> options)
    : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly VersionKitOptions _options = options.Value;

    // After the framework's policies (methods, hosts, content types), so that the candidates they refuse do not count here.
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Any(IsVersioned);

    public async Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        // The valid candidates of the lowest score are the ones the selector chooses from: the version matters if one of them is versioned.
        int first = 0;
        while (first < candidates.Count && !candidates.IsValidCandidate(first))
        {
            first++;
        }

        int end = first;
        bool versioned = false;
        while (end < candidates.Count && candidates[end].Score == candidates[first].Score)
        {
            versioned |= candidates.IsValidCandidate(end) && IsVersioned(candidates[end].Endpoint);
            end++;
        }

        if (!versioned)
        {
            return;
        }

        // A request routed again (an exception handler's or status page's re-execution) keeps the version it had.
        if (httpContext.Features.Get<ApiVersionFeature>() is not { } feature)
        {
            ApiVersionResolution resolution;
            try
            {
                resolution = await resolver.ResolveAsync(httpContext, served: true).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Routing runs before the app's exception handler: thrown from the endpoint instead, the exception reaches it.
                var thrown = ExceptionDispatchInfo.Capture(exception);
                httpContext.SetEndpoint(new Endpoint(_ => { thrown.Throw(); return Task.CompletedTask; }, EndpointMetadataCollection.Empty, "VersionKit: the version could not be resolved"));
                return;
            }

            if (resolution.Error is { } error)
            {
                httpContext.SetEndpoint(ErrorEndpoint(error));
                return;
            }

            feature = resolution.Feature!;
            httpContext.Features.Set(feature);
            telemetry.Resolved(feature, _options.Deprecations.ContainsKey(feature.Version));

            // At the last moment, so that what clears the response before (an exception handler) or writes it without the endpoint (authorization) keeps it.
            httpContext.Response.OnStarting(static state =>
            {
                var (policy, response, version) = ((VersionKitMatcherPolicy, HttpResponse, ApiVersion))state;
                policy.WriteVersionHeaders(response.Headers, version);
                return Task.CompletedTask;
            }, (this, httpContext.Response, feature.Version));

            // Counted in memory (a hosted service writes the counts), so never on the request's path; and before a retired
            // version is refused, since who still calls it is what a team needs to know.
            if (feature.Caller.AccountId is { } account)
            {
                usage.Record(account, feature.Version);
            }

            // Before the candidates are checked: a retired version is refused whatever the endpoint, with the way to upgrade.
            if (lifecycle.Refusal(feature) is { } retired)
            {
                httpContext.SetEndpoint(ErrorEndpoint(retired));
                return;
            }
        }

        ApiVersion? introducedIn = null;
        ApiVersion? removedIn = null;
        bool left = false;
        for (int i = first; i < end; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var endpoint = candidates[i].Endpoint;
            var versions = IsVersioned(endpoint) ? endpointChanges.VersionsOf(endpoint) : EndpointVersions.All;
            if (versions.Contains(feature.Version))
            {
                left = true;
                continue;
            }

            candidates.SetValidity(i, false);
            if (versions.IntroducedIn is { } from && feature.Version < from)
            {
                introducedIn = introducedIn is { } known && known < from ? known : from;
            }
            else if (versions.RemovedIn is { } until)
            {
                removedIn = removedIn is { } known && known > until ? known : until;
            }
        }

        if (!left)
        {
            // Not yet beats no longer: a caller that can upgrade to the endpoint is told which version has it.
            httpContext.SetEndpoint(ErrorEndpoint(introducedIn is { } introduced
                ? NotYet(httpContext.Request, feature.Version, introduced)
                : NoLonger(httpContext.Request, feature.Version, removedIn!.Value)));
        }
    }

    private static bool IsVersioned(Endpoint endpoint) => endpoint.Metadata.GetMetadata<VersionKitEndpointMetadata>() is not null;

    private VersionKitError NotYet(HttpRequest request, ApiVersion version, ApiVersion introduced)
        => new(StatusCodes.Status404NotFound, VersionKitErrorCodes.EndpointNotInVersion,
            $"{request.Method} {request.Path} is not in API version {version}: API version {introduced} introduced it. Send {_options.HeaderName}: {introduced} or newer to call it.")
        {
            Version = version,
            Details = new Dictionary<string, object?> { ["introduced_in"] = introduced.ToString() },
        };

    private static VersionKitError NoLonger(HttpRequest request, ApiVersion version, ApiVersion removed)
        => new(StatusCodes.Status410Gone, VersionKitErrorCodes.EndpointNotInVersion,
            $"{request.Method} {request.Path} was removed in API version {removed}, and this request is at {version}. Versions before {removed} still have it.")
        {
            Version = version,
            Details = new Dictionary<string, object?> { ["removed_in"] = removed.ToString() },
        };

    private Endpoint ErrorEndpoint(VersionKitError error) => new(
        context => errors.WriteAsync(context, error),
        EndpointMetadataCollection.Empty,
        $"VersionKit {error.StatusCode} {error.Code}");

    private void WriteVersionHeaders(IHeaderDictionary headers, ApiVersion version)
    {
        headers[_options.HeaderName] = version.ToString();
        lifecycle.AddHeaders(headers, version);
    }
}
