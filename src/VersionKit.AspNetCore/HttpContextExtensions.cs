using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace VersionKit.AspNetCore;

/// <summary>The version of the current request, for the few places that must know it (changes with side effects, logs).</summary>
public static class HttpContextExtensions
{
    /// <summary>The version VersionKit resolved for this request.</summary>
    /// <exception cref="InvalidOperationException">The endpoint is not versioned (no <c>WithVersionKit()</c> on it or its group).</exception>
    public static ApiVersion GetApiVersion(this HttpContext context) => context.GetApiVersionFeature().Version;

    /// <summary>The version VersionKit resolved for this request, where it came from, and who is calling.</summary>
    /// <exception cref="InvalidOperationException">The endpoint is not versioned (no <c>WithVersionKit()</c> on it or its group).</exception>
    public static ApiVersionFeature GetApiVersionFeature(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ApiVersionFeature>()
            ?? throw new InvalidOperationException("VersionKit has not resolved a version for this request: routing resolves it for endpoints marked WithVersionKit() (on the endpoint or its group).");
    }

    /// <summary>
    /// The name the caller's version gives the request field the current shape calls <paramref name="field"/> (<c>limit</c>,
    /// or a path: <c>to[postal_code]</c>), for a handler's own error about a field: a caller whose version calls <c>limit</c>
    /// <c>count</c> reads <c>count</c>. The request type is the endpoint's (the body it binds, or <c>WithApiRequest&lt;T&gt;()</c>);
    /// a field the history does not know is returned as it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">The endpoint is not versioned, or <c>UseVersionKit()</c> is missing.</exception>
    public static string GetRequestFieldName(this HttpContext context, string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var version = context.GetApiVersion();
        return context.GetEndpoint() is { } endpoint && VersionKitRequests.RequestTypeOf(endpoint) is var (type, _)
            ? context.RequestServices.GetRequiredService<ApiHistory>().GetRequestFieldName(type, field, version)
            : field;
    }

    /// <summary>
    /// Whether the caller predates the change <typeparamref name="TChange"/> (usually one with side effects): its version is
    /// older than the change, so it keeps what the change replaced. <see cref="ApiHistory.Predates{TChange}(ApiVersion)"/>
    /// for this request's version.
    /// </summary>
    public static bool CallerPredates<TChange>(this HttpContext context)
        where TChange : class
        => context.RequestServices.GetRequiredService<ApiHistory>().Predates<TChange>(context.GetApiVersion());
}
