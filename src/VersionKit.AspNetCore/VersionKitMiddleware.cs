using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace VersionKit.AspNetCore;

/// <summary>
/// For versioned endpoints, at the version routing resolved (<see cref="VersionKitMatcherPolicy"/>): upgrades an old
/// request's body and query string to the current shape before model binding and the handler, and marks the request as
/// having come through, so that a versioned endpoint in an app without <c>UseVersionKit()</c> fails rather than read an old
/// body as a current one.
/// </summary>
internal sealed class VersionKitMiddleware(RequestDelegate next, ApiHistory history, VersionKitErrors errors)
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<VersionKitEndpointMetadata>() is null || context.Features.Get<ApiVersionFeature>() is not { } feature)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Features.Set(UpgradedRequestFeature.Instance);
        if (RequestTypeOf(endpoint) is { } requestType && history.NeedsUpgrade(requestType, feature.Version)
            && await UpgradeRequestAsync(context, requestType, feature.Version).ConfigureAwait(false) is { } problem)
        {
            await errors.WriteAsync(context, problem with { Version = feature.Version }).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
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

/// <summary>Marks an endpoint as versioned; <c>WithVersionKit()</c> adds it, and routing, the request upgrade and what documents endpoints (OpenAPI) read it.</summary>
public sealed class VersionKitEndpointMetadata
{
    private VersionKitEndpointMetadata()
    {
    }

    /// <summary>The one instance.</summary>
    public static VersionKitEndpointMetadata Instance { get; } = new();
}

/// <summary>Says that the request came through <c>UseVersionKit()</c>: its body and query string are in the current shape.</summary>
internal sealed class UpgradedRequestFeature
{
    private UpgradedRequestFeature()
    {
    }

    public static UpgradedRequestFeature Instance { get; } = new();
}

/// <summary>Names the request type of an endpoint, whose request changes upgrade old requests; added by <c>WithApiRequest&lt;T&gt;()</c>.</summary>
/// <param name="RequestType">The request type.</param>
internal sealed record ApiRequestMetadata(Type RequestType);
