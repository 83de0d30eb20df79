using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using VersionKit;
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
    /// endpoint is chosen; a malformed or unknown version gets <c>400</c> naming it and listing the valid versions; every
    /// response echoes the version in the header; the request is read at the version (fields it does not have refused, old
    /// requests upgraded, form bodies handed to endpoints that bind JSON as that JSON) before the handler runs, and what the
    /// handler returns is rendered at the version.
    /// </summary>
    public static TBuilder WithVersionKit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(VersionKitEndpointMetadata.Instance);
        builder.Finally(static endpoint =>
        {
            // A form body is handed to the endpoint as the JSON it stands for, so an endpoint that binds a JSON body of a
            // request type the history knows takes forms too: routing must not answer them 415 before VersionKit reads them.
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().LastOrDefault() is { RequestType: { } type } accepts
                && accepts.ContentTypes.Any(c => c.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                && !accepts.ContentTypes.Any(VersionKitRequests.IsUrlEncodedForm)
                && endpoint.ApplicationServices.GetService<ApiHistory>()?.TryGetRequest(type, out _) == true)
            {
                endpoint.Metadata.Add(new FormAcceptsMetadata([.. accepts.ContentTypes, "application/x-www-form-urlencoded"], type, accepts.IsOptional));
            }
        });
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
    /// Names the request type of this endpoint, for endpoints that read their body themselves or take their parameters from
    /// the query string: the body (or, without one, the query string) is read at the caller's version as that type, and a
    /// form body handed to the handler as the JSON it stands for. Endpoints that bind a body parameter need not say it.
    /// </summary>
    public static RouteHandlerBuilder WithApiRequest<TRequest>(this RouteHandlerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new ApiRequestMetadata(typeof(TRequest)));
        return builder;
    }
}

/// <summary>The content types an endpoint that binds a request type's JSON body takes once VersionKit reads its forms too.</summary>
internal sealed class FormAcceptsMetadata(IReadOnlyList<string> contentTypes, Type requestType, bool isOptional) : IAcceptsMetadata
{
    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;

    public Type? RequestType { get; } = requestType;

    public bool IsOptional { get; } = isOptional;
}
