using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using VersionKit.Pins;

namespace VersionKit.AspNetCore;

/// <summary>
/// For versioned endpoints: resolves the request's version by the article's rule (the version header; the version of an
/// application acting for the account; the account's pin, set on its first request; the latest for anonymous calls),
/// refuses bad versions with <c>400</c>, answers <c>503</c> rather than guess when a pin cannot be read, echoes the
/// version, adds lifecycle headers, and reads the request (<see cref="VersionKitRequests"/>: the fields its version has,
/// upgraded to the current shape) before the handler runs.
/// </summary>
internal sealed class VersionKitMiddleware(
    RequestDelegate next,
    ApiHistory history,
    ApiVersionPins pins,
    IApiCallerResolver callers,
    IApplicationVersionProvider applications,
    VersionKitTelemetry telemetry,
    VersionKitErrors errors,
    VersionKitRequests requests,
    IOptions<VersionKitOptions> options)
{
    private readonly VersionKitOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<VersionKitEndpointMetadata>() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var caller = await callers.ResolveAsync(context).ConfigureAwait(false);
        var (feature, refusal) = await ResolveAsync(context, caller).ConfigureAwait(false);
        if (refusal is not null)
        {
            await errors.WriteAsync(context, refusal).ConfigureAwait(false);
            return;
        }

        context.Features.Set(feature!);
        var headers = context.Response.Headers;
        headers[_options.HeaderName] = feature!.Version.ToString();
        bool deprecated = AddLifecycleHeaders(headers, feature.Version);
        telemetry.Resolved(feature, deprecated);

        if (await requests.ReadAsync(context, endpoint, feature.Version).ConfigureAwait(false) is { } problem)
        {
            await errors.WriteAsync(context, problem with { Version = feature.Version }).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task<(ApiVersionFeature? Feature, VersionKitError? Refusal)> ResolveAsync(HttpContext context, ApiCaller caller)
    {
        var values = context.Request.Headers[_options.HeaderName];
        if (values.Count > 0)
        {
            if (!TryReadHeader(values, out var version, out string? error))
            {
                telemetry.Refused(values.ToString(), error);
                return (null, new VersionKitError(StatusCodes.Status400BadRequest, VersionKitErrorCodes.ApiVersionInvalid, error)
                {
                    Details = new Dictionary<string, object?>
                    {
                        ["header"] = _options.HeaderName,
                        ["valid_versions"] = history.Versions.Select(v => v.ToString()).ToArray(),
                    },
                });
            }

            // The header decides, but an account's first request still pins it; a store that is down must not fail a call that names its version.
            if (caller.AccountId is { } account && _options.PinStore != PinStoreChoice.Without)
            {
                try
                {
                    await pins.GetOrPinAsync(account, context.RequestAborted).ConfigureAwait(false);
                }
                catch (PinStoreUnavailableException exception)
                {
                    telemetry.StoreUnavailable(account, servedCached: false, exception);
                }
            }

            return (new ApiVersionFeature(version, ApiVersionSource.Header, caller), null);
        }

        string? lookedUp = caller.ApplicationId ?? caller.AccountId;
        try
        {
            if (caller.ApplicationId is { } application
                && await applications.GetVersionAsync(application, context.RequestAborted).ConfigureAwait(false) is { } applicationVersion)
            {
                return (new ApiVersionFeature(applicationVersion, ApiVersionSource.Application, caller), null);
            }

            if (caller.AccountId is { } account && _options.PinStore != PinStoreChoice.Without)
            {
                lookedUp = account;
                var pin = await pins.GetOrPinAsync(account, context.RequestAborted).ConfigureAwait(false);
                return (new ApiVersionFeature(pin.Version, ApiVersionSource.Pin, caller), null);
            }
        }
        catch (PinStoreUnavailableException exception)
        {
            // No pin in memory either (the pins service serves a cached one itself): refuse rather than guess a version.
            telemetry.StoreUnavailable(lookedUp ?? string.Empty, servedCached: false, exception);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(_options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return (null, new VersionKitError(
                StatusCodes.Status503ServiceUnavailable,
                VersionKitErrorCodes.PinStoreUnavailable,
                "The account's API version cannot be read right now; retry after the time in Retry-After."));
        }

        return (new ApiVersionFeature(history.Latest, ApiVersionSource.Default, caller), null);
    }

    private bool TryReadHeader(StringValues values, out ApiVersion version, out string error)
    {
        // A header sent twice may arrive as two values or, per RFC 9110, as one value joined by commas.
        int sent = values.Count == 1 ? values[0]!.Count(c => c == ',') + 1 : values.Count;
        if (sent > 1)
        {
            version = default;
            error = $"The {_options.HeaderName} header was sent {sent} times; send it once. Valid versions: {string.Join(", ", history.Versions)}.";
            return false;
        }

        bool ok = history.TryResolve(values[0], out version, out string? resolveError);
        error = resolveError ?? string.Empty;
        return ok;
    }

    private bool AddLifecycleHeaders(IHeaderDictionary headers, ApiVersion version)
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
}

/// <summary>Marks an endpoint as versioned; <c>WithVersionKit()</c> adds it, and what documents endpoints (OpenAPI) reads it.</summary>
public sealed class VersionKitEndpointMetadata
{
    private VersionKitEndpointMetadata()
    {
    }

    /// <summary>The one instance.</summary>
    public static VersionKitEndpointMetadata Instance { get; } = new();
}

/// <summary>
/// Names the request type of an endpoint that reads its body itself or takes its parameters from the query string; added by
/// <c>WithApiRequest&lt;T&gt;()</c>, and read by what documents endpoints (OpenAPI).
/// </summary>
public sealed class ApiRequestMetadata
{
    /// <summary>Names <paramref name="requestType"/> as the endpoint's request type.</summary>
    public ApiRequestMetadata(Type requestType)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        RequestType = requestType;
    }

    /// <summary>The request type.</summary>
    public Type RequestType { get; }
}
