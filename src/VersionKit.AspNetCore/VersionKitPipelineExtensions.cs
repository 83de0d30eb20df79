using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VersionKit.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds VersionKit to the request pipeline.</summary>
public static class VersionKitApplicationBuilderExtensions
{
    /// <summary>
    /// Resolves the version of every request to a versioned endpoint (see <c>WithVersionKit()</c>) and upgrades old requests.
    /// Call it after authentication, so that the caller is known, and before the endpoints run.
    /// </summary>
    public static IApplicationBuilder UseVersionKit(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<VersionKitMiddleware>();
    }
}

/// <summary>Makes endpoints versioned.</summary>
public static class VersionKitEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Versions these endpoints (a route group, a single endpoint, or <c>MapControllers()</c>): each request gets a version
    /// (the version header, the acting application's version, the account's pin, else the latest); a malformed or unknown
    /// version gets <c>400</c> problem+json naming it and listing the valid versions; the version is echoed in the response
    /// header; old requests are upgraded before the handler runs, and what the handler returns is rendered at the version.
    /// </summary>
    public static TBuilder WithVersionKit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(VersionKitEndpointMetadata.Instance);
        builder.AddEndpointFilterFactory(static (factoryContext, next) =>
        {
            var filter = factoryContext.ApplicationServices.GetService<VersionKitEndpointFilter>()
                ?? throw new InvalidOperationException("WithVersionKit() needs services.AddVersionKit(history) first.");
            return invocation => filter.InvokeAsync(invocation, next);
        });
        return builder;
    }

    /// <summary>
    /// Names the request type whose request changes upgrade this endpoint's old requests, for endpoints that read their body
    /// themselves or take parameters from the query string. Endpoints that bind a body parameter need not say it.
    /// </summary>
    public static RouteHandlerBuilder WithApiRequest<TRequest>(this RouteHandlerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new ApiRequestMetadata(typeof(TRequest)));
        return builder;
    }
}
