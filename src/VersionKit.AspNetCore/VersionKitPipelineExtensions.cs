using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VersionKit.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds VersionKit to the request pipeline.</summary>
public static class VersionKitApplicationBuilderExtensions
{
    /// <summary>
    /// Upgrades old requests to versioned endpoints (see <c>WithVersionKit()</c>) to the current shape, at the version routing
    /// resolved, before model binding and the handlers. Call it after routing and authentication, before the endpoints run;
    /// without it a versioned endpoint fails rather than read an old body as a current one.
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
    /// Versions these endpoints (a route group, a single endpoint, or <c>MapControllers()</c>): routing gives each request a
    /// version (the version header, the acting application's version, the account's pin, else the latest) before the
    /// endpoint is chosen; a malformed or unknown version gets <c>400</c> problem+json naming it and listing the valid
    /// versions; every response echoes the version in the header; old requests are upgraded before the handler runs, and
    /// what the handler returns is rendered at the version.
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
    /// Says which version introduced these endpoints (a route group or single versioned endpoints): callers at older versions
    /// get <c>404</c> with the code <c>endpoint_not_in_version</c> and <c>introduced_in</c>, and another endpoint on the same
    /// route can serve them. Controllers and actions say <c>[IntroducedIn("...")]</c>.
    /// </summary>
    /// <param name="builder">The endpoints.</param>
    /// <param name="version">A version of the history (a bare date finds its named release); the app refuses to start on any other.</param>
    public static TBuilder IntroducedIn<TBuilder>(this TBuilder builder, string version)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return builder.WithMetadata(new IntroducedInAttribute(version));
    }

    /// <summary>
    /// Says which version removed these endpoints (a route group or single versioned endpoints): callers at it or newer
    /// versions get <c>410</c> with the code <c>endpoint_not_in_version</c> and <c>removed_in</c>, and another endpoint on the
    /// same route can serve them. Controllers and actions say <c>[RemovedIn("...")]</c>.
    /// </summary>
    /// <param name="builder">The endpoints.</param>
    /// <param name="version">A version of the history (a bare date finds its named release); the app refuses to start on any other.</param>
    public static TBuilder RemovedIn<TBuilder>(this TBuilder builder, string version)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return builder.WithMetadata(new RemovedInAttribute(version));
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
