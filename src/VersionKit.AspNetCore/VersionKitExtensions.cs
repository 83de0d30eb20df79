using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VersionKit;
using VersionKit.AspNetCore;
using VersionKit.Pins;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers VersionKit in an ASP.NET Core app.</summary>
public static class VersionKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="history"/> (the generated <c>[ApiHistory]</c> class's <c>Default</c>), the renderers (with the
    /// app's own JSON options: minimal APIs' for minimal APIs, MVC's for controllers; checked against the history when the
    /// app starts), <see cref="ApiRenderer"/> for rendering outside HTTP, the account pins' rules, the default caller resolver
    /// (the authenticated user's claims) and VersionKit's meter and logs. Choose where pins live on the builder it returns:
    /// <c>.UseSqlitePins(...)</c>, <c>.UsePostgreSqlPins(...)</c> or <c>.UseInMemoryPins()</c>; without one, the app refuses
    /// to start rather than create a store behind your back.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="history">The history: <c>MyApiHistory.Default</c>.</param>
    /// <param name="configure">The header's name, lifecycle headers, pin options; validated when the app starts.</param>
    public static VersionKitBuilder AddVersionKit(this IServiceCollection services, ApiHistory history, Action<VersionKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(history);
        if (services.LastOrDefault(d => d.ServiceType == typeof(ApiHistory))?.ImplementationInstance is ApiHistory registered && registered != history)
        {
            throw new InvalidOperationException($"AddVersionKit was already called with {registered.GetType().Name}; an app serves one history.");
        }

        services.AddMetrics();
        services.AddRouting();
        var options = services.AddOptions<VersionKitOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.HeaderName), "VersionKitOptions.HeaderName must name a header.")
            .Validate(o => o.RetryAfter > TimeSpan.Zero, "VersionKitOptions.RetryAfter must be positive.")
            .Validate(o => o.Pins.CacheDuration >= TimeSpan.Zero && o.Pins.RollbackWindow >= TimeSpan.Zero && o.Pins.StoreTimeout > TimeSpan.Zero && o.Pins.UsageFlushInterval > TimeSpan.Zero,
                "VersionKitOptions.Pins: the cache duration and rollback window must not be negative, the store timeout and the usage flush interval must be positive.")
            .Validate(o => o.Pins.CacheCapacity >= 3, "VersionKitOptions.Pins.CacheCapacity must be at least 3 accounts.")
            .Validate<IServiceProvider>((o, sp) => o.PinStore is not PinStoreChoice.None || sp.GetService<IApiVersionPinStore>() is not null, NoStoreMessage)
            .ValidateOnStart();

        services.TryAddSingleton(history);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VersionKitRenderers>();
        services.TryAddSingleton(sp => sp.GetRequiredService<VersionKitRenderers>().Default);
        services.TryAddSingleton(sp => new ApiVersionPins(
            sp.GetRequiredService<ApiHistory>(),
            sp.GetService<IApiVersionPinStore>() ?? new NoPinStore(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<VersionKitOptions>>().Value.Pins));
        services.TryAddSingleton(sp => new ApiVersionResolver(
            sp.GetRequiredService<ApiHistory>(),
            sp.GetRequiredService<ApiVersionPins>(),
            sp.GetRequiredService<IApiCallerResolver>(),
            sp.GetRequiredService<IApplicationVersionProvider>(),
            sp.GetRequiredService<VersionKitTelemetry>(),
            sp.GetRequiredService<IOptions<VersionKitOptions>>()));
        services.TryAddSingleton(sp => new ApiEndpointChanges(sp.GetRequiredService<ApiHistory>(), sp.GetRequiredService<EndpointDataSource>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, VersionKitMatcherPolicy>());
        services.TryAddSingleton<IApiCallerResolver, ClaimsApiCallerResolver>();
        services.TryAddSingleton<IApplicationVersionProvider, PinnedApplicationVersionProvider>();
        services.TryAddSingleton<VersionKitTelemetry>();
        services.TryAddSingleton<VersionKitErrors>();
        services.TryAddSingleton<VersionKitRequests>();
        services.TryAddSingleton<VersionKitEndpointFilter>();
        services.TryAddSingleton<VersionLifecycle>();
        services.TryAddSingleton<VersionUsageRecorder>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, VersionUsageFlusher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VersionKitOptions>, VersionLifecycleValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, VersionKitStartupCheck>());
        return new VersionKitBuilder(services, history);
    }

    internal const string NoStoreMessage =
        "VersionKit needs to know where account pins live. On services.AddVersionKit(history), call .UseSqlitePins(\"Data Source=pins.db\") "
        + "(package VersionKit.Sqlite), .UsePostgreSqlPins(connectionString) (package VersionKit.PostgreSql) or .UseInMemoryPins() (tests); "
        + "or .WithoutPins() if no caller is ever an account, so that every call without a version header gets the latest.";
}

/// <summary>
/// The VersionKit registration of an app, from <c>services.AddVersionKit(history)</c>: where pins live, who the caller is,
/// which JSON options render; packages add their parts to it (<c>.AddOpenApi()</c>, <c>.AddDocs()</c>).
/// </summary>
public sealed class VersionKitBuilder : IVersionKitBuilder
{
    internal VersionKitBuilder(IServiceCollection services, ApiHistory history)
    {
        Services = services;
        History = history;
    }

    /// <summary>The app's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The history this app serves.</summary>
    public ApiHistory History { get; }

    /// <summary>Configures VersionKit's options (the header's name, lifecycle headers, pin options).</summary>
    public VersionKitBuilder Configure(Action<VersionKitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Renders with <paramref name="options"/> (a source-generated context's options, say) everywhere: minimal APIs,
    /// controllers, and <see cref="ApiRenderer"/> outside HTTP. Without it, each kind of endpoint renders with its own
    /// framework's JSON options.
    /// </summary>
    public VersionKitBuilder UseJsonOptions(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Services.Configure<VersionKitOptions>(o => o.JsonSerializerOptions = options);
        return this;
    }

    /// <summary>Says who is calling with <typeparamref name="TResolver"/> instead of the user's claims.</summary>
    public VersionKitBuilder UseCallerResolver<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TResolver>()
        where TResolver : class, IApiCallerResolver
    {
        Services.Replace(ServiceDescriptor.Singleton<IApiCallerResolver, TResolver>());
        return this;
    }

    /// <summary>
    /// Answers VersionKit's errors (a bad version, a request the caller's version cannot send, pins that cannot be read...)
    /// with the app's own error, made by <typeparamref name="TFactory"/> and rendered at the caller's version.
    /// </summary>
    public VersionKitBuilder UseErrors<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TFactory>()
        where TFactory : class, IVersionKitErrorFactory
    {
        Services.Replace(ServiceDescriptor.Singleton<IVersionKitErrorFactory, TFactory>());
        return this;
    }

    /// <summary>Answers VersionKit's errors with what <paramref name="create"/> makes (null: problem+json), rendered at the caller's version.</summary>
    public VersionKitBuilder UseErrors(Func<VersionKitError, HttpContext, object?> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        Services.Replace(ServiceDescriptor.Singleton<IVersionKitErrorFactory>(new DelegateErrorFactory(create)));
        return this;
    }

    private sealed class DelegateErrorFactory(Func<VersionKitError, HttpContext, object?> create) : IVersionKitErrorFactory
    {
        public object? Create(VersionKitError error, HttpContext context) => create(error, context);
    }

    /// <summary>
    /// Keeps no pins: a call without a version header gets the acting application's version or the latest, whoever makes
    /// it. For APIs whose callers are not accounts; Stripe's rule (an account keeps the version of its first call) needs a store.
    /// </summary>
    public VersionKitBuilder WithoutPins()
    {
        Services.Configure<VersionKitOptions>(o => o.PinStore = PinStoreChoice.Without);
        return this;
    }

    /// <summary>Keeps account pins in a store of the app's own.</summary>
    public VersionKitBuilder UsePinStore<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>()
        where TStore : class, IApiVersionPinStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IApiVersionPinStore, TStore>());
        Services.Configure<VersionKitOptions>(o => o.PinStore = PinStoreChoice.Store);
        return this;
    }

    /// <inheritdoc/>
    void IVersionKitBuilder.UsePinStore(Func<IServiceProvider, IApiVersionPinStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);

        // A factory, not an instance, so that the container disposes the store (and its connection pool) with the app.
        Services.Replace(ServiceDescriptor.Singleton(factory));
        Services.Configure<VersionKitOptions>(o => o.PinStore = PinStoreChoice.Store);
    }

    /// <inheritdoc/>
    void IVersionKitBuilder.UseWebhookStore(Func<IServiceProvider, VersionKit.Webhooks.IWebhookStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
    }
}

// Builds the renderers and reads the endpoints' versions as the app starts, so that options that do not match the history and
// versions it does not have fail the start, not a request.
internal sealed class VersionKitStartupCheck(IServiceProvider services) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        services.GetRequiredService<VersionKitRenderers>().CheckAll();
        _ = services.GetRequiredService<VersionKitTelemetry>();
        return app =>
        {
            next(app);

            // Once the app's pipeline is built: endpoints reach routing's data source as their middleware is added.
            services.GetRequiredService<ApiEndpointChanges>().Check();
        };
    }
}
