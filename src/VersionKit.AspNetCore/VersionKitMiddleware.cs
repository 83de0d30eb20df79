using Microsoft.AspNetCore.Http;

namespace VersionKit.AspNetCore;

/// <summary>
/// For versioned endpoints, at the version routing resolved (<see cref="VersionKitMatcherPolicy"/>): reads the request
/// (<see cref="VersionKitRequests"/>: the fields its version has, upgraded to the current shape) before model binding and
/// the handler, and marks the request as having come through, so that a versioned endpoint in an app without
/// <c>UseVersionKit()</c> fails rather than read an old body as a current one.
/// </summary>
internal sealed class VersionKitMiddleware(RequestDelegate next, VersionKitErrors errors, VersionKitRequests requests)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<VersionKitEndpointMetadata>() is null || context.Features.Get<ApiVersionFeature>() is not { } feature)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Features.Set(UpgradedRequestFeature.Instance);
        if (await requests.ReadAsync(context, endpoint, feature.Version).ConfigureAwait(false) is { } problem)
        {
            await errors.WriteAsync(context, problem with { Version = feature.Version }).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
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
