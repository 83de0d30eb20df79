using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VersionKit.Pins;
using VersionKit.Sqlite;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VersionKit.AspNetCore;

/// <summary>Registers VersionKit in an ASP.NET Core app.</summary>
public static class VersionKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="history"/> (the generated <c>[ApiHistory]</c> class's <c>Default</c>), a renderer that uses the
    /// app's own JSON options (<see cref="JsonOptions"/>, including a source-generated context, checked against the history
    /// when the app starts), account pins kept in a SQLite file (<c>versionkit.db</c> in the content root, unless
    /// <see cref="VersionKitBuilder.UseSqliteStore"/> or another store says otherwise), and the default caller resolver
    /// (the authenticated user's claims).
    /// </summary>
    public static VersionKitBuilder AddVersionKit(this IServiceCollection services, ApiHistory history, Action<VersionKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(history);
        services.AddProblemDetails();
        services.AddMetrics();
        services.AddOptions<VersionKitOptions>().Validate(o => !string.IsNullOrWhiteSpace(o.HeaderName), "VersionKitOptions.HeaderName must name a header.");
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(history);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ApiRenderer(sp.GetRequiredService<ApiHistory>(), sp.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions));
        services.TryAddSingleton<IApiVersionPinStore>(sp => new SqlitePinStore(
            "Data Source=" + Path.Combine(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, "versionkit.db")));
        services.TryAddSingleton(sp => new ApiVersionPins(
            sp.GetRequiredService<ApiHistory>(),
            sp.GetRequiredService<IApiVersionPinStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<VersionKitOptions>>().Value.Pins));
        services.TryAddSingleton<IApiCallerResolver, ClaimsApiCallerResolver>();
        services.TryAddSingleton<IApplicationVersionProvider, PinnedApplicationVersionProvider>();
        services.TryAddSingleton<VersionKitTelemetry>();
        services.TryAddSingleton<VersionKitEndpointFilter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, VersionKitStartupCheck>());
        return new VersionKitBuilder(services);
    }
}

/// <summary>Further configuration of VersionKit: where pins are stored, who the caller is.</summary>
public sealed class VersionKitBuilder
{
    internal VersionKitBuilder(IServiceCollection services) => Services = services;

    /// <summary>The app's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Keeps pins in the SQLite database of <paramref name="connectionString"/> (<c>Data Source=app.db</c>), created and migrated on first use.</summary>
    public VersionKitBuilder UseSqliteStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        Services.Replace(ServiceDescriptor.Singleton<IApiVersionPinStore>(new SqlitePinStore(connectionString)));
        return this;
    }

    /// <summary>Keeps pins in memory (tests, demos): they are lost when the process ends.</summary>
    public VersionKitBuilder UseInMemoryStore()
    {
        Services.Replace(ServiceDescriptor.Singleton<IApiVersionPinStore, InMemoryPinStore>());
        return this;
    }

    /// <summary>Keeps pins in <typeparamref name="TStore"/> (a PostgreSQL store, the app's own).</summary>
    public VersionKitBuilder UseStore<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>()
        where TStore : class, IApiVersionPinStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IApiVersionPinStore, TStore>());
        return this;
    }

    /// <summary>Says who is calling with <typeparamref name="TResolver"/> instead of the user's claims.</summary>
    public VersionKitBuilder UseCallerResolver<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TResolver>()
        where TResolver : class, IApiCallerResolver
    {
        Services.Replace(ServiceDescriptor.Singleton<IApiCallerResolver, TResolver>());
        return this;
    }
}

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

// Builds the renderer as the app starts, so that options that do not match the history fail the start, not a request.
internal sealed class VersionKitStartupCheck(IServiceProvider services) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        _ = services.GetRequiredService<ApiRenderer>();
        _ = services.GetRequiredService<VersionKitTelemetry>();
        return next;
    }
}
