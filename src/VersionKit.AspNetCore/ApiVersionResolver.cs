using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using VersionKit.Pins;

namespace VersionKit.AspNetCore;

/// <summary>
/// The target-version rule, in the one place everything that needs a caller's version reads it: the version header; else
/// the version of an application acting for the account; else the account's pin; else, for an anonymous call, the latest.
/// Routing resolves every request to a versioned endpoint with it; <see cref="FindAsync"/> gives the same answer to code that
/// only reads (the docs pages), without pinning anyone.
/// </summary>
public sealed class ApiVersionResolver
{
    private readonly ApiHistory _history;
    private readonly ApiVersionPins _pins;
    private readonly IApiCallerResolver _callers;
    private readonly IApplicationVersionProvider _applications;
    private readonly VersionKitTelemetry _telemetry;
    private readonly VersionKitOptions _options;

    internal ApiVersionResolver(
        ApiHistory history,
        ApiVersionPins pins,
        IApiCallerResolver callers,
        IApplicationVersionProvider applications,
        VersionKitTelemetry telemetry,
        IOptions<VersionKitOptions> options)
    {
        _history = history;
        _pins = pins;
        _callers = callers;
        _applications = applications;
        _telemetry = telemetry;
        _options = options.Value;
    }

    /// <summary>
    /// The version <paramref name="context"/>'s request is served at: the one routing resolved for it, or else what the rule
    /// gives, changing nothing. An account or application without a pin gets the latest, as its first call will, and stays
    /// without one. A bad version header gives <see cref="ApiVersionResolution.Error"/> (<c>400</c>), as does a pin that
    /// cannot be read (<c>503</c>).
    /// </summary>
    public async ValueTask<ApiVersionResolution> FindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ApiVersionFeature>() is { } resolved
            ? new ApiVersionResolution(resolved, null)
            : await ResolveAsync(context, served: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves the version of a request that will be served at it: an account's first call pins it (and an application's,
    /// through <see cref="IApplicationVersionProvider.GetVersionAsync"/>), and the outcome is counted and logged.
    /// </summary>
    internal async ValueTask<ApiVersionResolution> ResolveAsync(HttpContext context, bool served)
    {
        var caller = await _callers.ResolveAsync(context).ConfigureAwait(false);
        var values = context.Request.Headers[_options.HeaderName];
        if (values.Count > 0)
        {
            if (!TryReadHeader(values, out var version, out string? error))
            {
                if (served)
                {
                    _telemetry.Refused(values.ToString(), error);
                }

                return new ApiVersionResolution(null, new VersionKitError(StatusCodes.Status400BadRequest, VersionKitErrorCodes.ApiVersionInvalid, error)
                {
                    Details = new Dictionary<string, object?>
                    {
                        ["header"] = _options.HeaderName,
                        ["valid_versions"] = _history.Versions.Select(v => v.ToString()).ToArray(),
                    },
                });
            }

            // The header decides, but an account's first request still pins it; a store that is down must not fail a call that names its version.
            if (served && caller.AccountId is { } account && _options.PinStore != PinStoreChoice.Without)
            {
                try
                {
                    await _pins.GetOrPinAsync(account, context.RequestAborted).ConfigureAwait(false);
                }
                catch (PinStoreUnavailableException exception)
                {
                    _telemetry.StoreUnavailable(account, servedCached: false, exception);
                }
            }

            return new ApiVersionResolution(new ApiVersionFeature(version, ApiVersionSource.Header, caller), null);
        }

        string? lookedUp = caller.ApplicationId ?? caller.AccountId;
        try
        {
            if (caller.ApplicationId is { } application
                && await (served
                    ? _applications.GetVersionAsync(application, context.RequestAborted)
                    : _applications.FindVersionAsync(application, context.RequestAborted)).ConfigureAwait(false) is { } applicationVersion)
            {
                return new ApiVersionResolution(new ApiVersionFeature(applicationVersion, ApiVersionSource.Application, caller), null);
            }

            if (caller.AccountId is { } account && _options.PinStore != PinStoreChoice.Without)
            {
                lookedUp = account;
                var pinned = served
                    ? (await _pins.GetOrPinAsync(account, context.RequestAborted).ConfigureAwait(false)).Version
                    : (await _pins.FindAsync(account, context.RequestAborted).ConfigureAwait(false))?.Version ?? _history.Latest;
                return new ApiVersionResolution(new ApiVersionFeature(pinned, ApiVersionSource.Pin, caller), null);
            }
        }
        catch (PinStoreUnavailableException exception)
        {
            // No pin in memory either (the pins service serves a cached one itself): refuse rather than guess a version.
            if (served)
            {
                _telemetry.StoreUnavailable(lookedUp ?? string.Empty, servedCached: false, exception);
            }

            return new ApiVersionResolution(null, new VersionKitError(
                StatusCodes.Status503ServiceUnavailable,
                VersionKitErrorCodes.PinStoreUnavailable,
                "The account's API version cannot be read right now; retry after the time in Retry-After."));
        }

        return new ApiVersionResolution(new ApiVersionFeature(_history.Latest, ApiVersionSource.Default, caller), null);
    }

    private bool TryReadHeader(StringValues values, out ApiVersion version, out string error)
    {
        // A header sent twice may arrive as two values or, per RFC 9110, as one value joined by commas.
        int sent = values.Count == 1 ? values[0]!.Count(c => c == ',') + 1 : values.Count;
        if (sent > 1)
        {
            version = default;
            error = $"The {_options.HeaderName} header was sent {sent} times; send it once. Valid versions: {string.Join(", ", _history.Versions)}.";
            return false;
        }

        bool ok = _history.TryResolve(values[0], _options.UnknownDate, out version, out string? resolveError);
        error = resolveError ?? string.Empty;
        return ok;
    }
}

/// <summary>What the target-version rule gave for a request: the version, where it came from and who is calling; or why there is none.</summary>
public sealed class ApiVersionResolution
{
    internal ApiVersionResolution(ApiVersionFeature? feature, VersionKitError? error)
    {
        Feature = feature;
        Error = error;
    }

    /// <summary>The version and where it came from; <see langword="null"/> when <see cref="Error"/> says why there is none.</summary>
    public ApiVersionFeature? Feature { get; }

    /// <summary>
    /// Why no version could be resolved: <see cref="VersionKitErrorCodes.ApiVersionInvalid"/> (a bad version header) or
    /// <see cref="VersionKitErrorCodes.PinStoreUnavailable"/> (a pin that cannot be read and is not in memory).
    /// </summary>
    public VersionKitError? Error { get; }
}
