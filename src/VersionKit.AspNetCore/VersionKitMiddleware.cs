using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using VersionKit.Pins;

namespace VersionKit.AspNetCore;

/// <summary>
/// For versioned endpoints: resolves the request's version by the article's rule (the version header; the version of an
/// application acting for the account; the account's pin, set on its first request; the latest for anonymous calls),
/// refuses bad versions with <c>400</c>, answers <c>503</c> rather than guess when a pin cannot be read, echoes the
/// version, adds lifecycle headers, counts the account's call at its version, refuses a retired version with <c>410</c>,
/// and upgrades an old request's body and query string before the handler runs.
/// </summary>
internal sealed class VersionKitMiddleware(
    RequestDelegate next,
    ApiHistory history,
    ApiVersionPins pins,
    IApiCallerResolver callers,
    IApplicationVersionProvider applications,
    VersionKitTelemetry telemetry,
    VersionKitErrors errors,
    VersionLifecycle lifecycle,
    VersionUsageRecorder usage,
    IOptions<VersionKitOptions> options)
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
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
        bool deprecated = lifecycle.AddHeaders(headers, feature.Version);
        telemetry.Resolved(feature, deprecated);

        // Counted before a retired version is refused: who still calls it is what a team needs to know.
        if (caller.AccountId is { } account)
        {
            usage.Record(account, feature.Version);
        }

        if (lifecycle.Refusal(feature) is { } retired)
        {
            await errors.WriteAsync(context, retired).ConfigureAwait(false);
            return;
        }

        if (RequestTypeOf(endpoint) is { } requestType && history.NeedsUpgrade(requestType, feature.Version)
            && await UpgradeRequestAsync(context, requestType, feature.Version).ConfigureAwait(false) is { } problem)
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

        bool ok = history.TryResolve(values[0], _options.UnknownDate, out version, out string? resolveError);
        error = resolveError ?? string.Empty;
        return ok;
    }

    private static Type? RequestTypeOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<ApiRequestMetadata>() is { } explicitType)
        {
            return explicitType.RequestType;
        }

        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { } accepted)
        {
            return accepted;
        }

        return endpoint.Metadata.GetMetadata<ActionDescriptor>()?.Parameters
            .FirstOrDefault(p => p.BindingInfo?.BindingSource == BindingSource.Body || p.BindingInfo?.BindingSource == BindingSource.Form)?.ParameterType;
    }

    private async Task<VersionKitError?> UpgradeRequestAsync(HttpContext context, Type requestType, ApiVersion version)
    {
        var request = context.Request;
        try
        {
            if (request.QueryString.HasValue)
            {
                var query = StripeForm.ToJson(request.Query);
                if (history.UpgradeRequest(requestType, query, version))
                {
                    request.QueryString = new QueryString("?" + StripeForm.Encode(query));
                }
            }

            if (request.HasJsonContentType())
            {
                request.EnableBuffering();
                var body = await JsonNode.ParseAsync(request.Body, NodeOptions, DocumentOptions, context.RequestAborted).ConfigureAwait(false);
                if (body is not JsonObject json)
                {
                    return Malformed("The request body must be a JSON object.");
                }

                if (history.UpgradeRequest(requestType, json, version))
                {
                    Replace(request, Encoding.UTF8.GetBytes(json.ToJsonString()));
                }
                else
                {
                    request.Body.Position = 0;
                }
            }
            else if (request.HasFormContentType && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
                var json = StripeForm.ToJson(form);
                if (history.UpgradeRequest(requestType, json, version))
                {
                    Replace(request, Encoding.UTF8.GetBytes(StripeForm.Encode(json)));
                    context.Features.Set<IFormFeature>(new FormFeature(request));
                }
            }
        }
        catch (RequestShapeException exception)
        {
            return new VersionKitError(StatusCodes.Status400BadRequest, VersionKitErrorCodes.ParameterInvalid, exception.Message) { Param = exception.Field };
        }
        catch (JsonException exception)
        {
            // The reader's own text is not shown; the depth limit is the one refusal worth naming.
            return Malformed(exception.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"The request body is nested more than {DocumentOptions.MaxDepth} levels deep."
                : exception.LineNumber is { } line
                    ? $"The request body is not valid JSON (line {line + 1}, byte {exception.BytePositionInLine + 1})."
                    : "The request body is not valid JSON.");
        }
        catch (BadHttpRequestException exception)
        {
            // The server's own limits (a body over MaxRequestBodySize, a client too slow to send it): its status, not a 500.
            return new VersionKitError(exception.StatusCode, VersionKitErrorCodes.RequestMalformed, exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than this server accepts."
                : "The request body could not be read.");
        }
        catch (InvalidDataException)
        {
            // The form reader's limits (FormOptions: how many fields, how long a key or a value).
            return Malformed("The form has more fields, or a longer key or value, than this server accepts.");
        }

        return null;
    }

    private static VersionKitError Malformed(string message) => new(StatusCodes.Status400BadRequest, VersionKitErrorCodes.RequestMalformed, message);

    private static void Replace(HttpRequest request, byte[] body)
    {
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
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

/// <summary>Names the request type of an endpoint, whose request changes upgrade old requests; added by <c>WithApiRequest&lt;T&gt;()</c>.</summary>
/// <param name="RequestType">The request type.</param>
internal sealed record ApiRequestMetadata(Type RequestType);
