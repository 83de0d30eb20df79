using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VersionKit.AspNetCore;

/// <summary>Registers VersionKit in an ASP.NET Core app.</summary>
public static class VersionKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="history"/> (the generated <c>[ApiHistory]</c> class's <c>Default</c>) and a renderer that uses the
    /// app's own JSON options (<see cref="JsonOptions"/>, including a source-generated context). The renderer checks those
    /// options against the history when the app starts.
    /// </summary>
    public static IServiceCollection AddVersionKit(this IServiceCollection services, ApiHistory history, Action<VersionKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(history);
        services.AddProblemDetails();
        services.AddOptions<VersionKitOptions>().Validate(o => !string.IsNullOrWhiteSpace(o.HeaderName), "VersionKitOptions.HeaderName must name a header.");
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(history);
        services.TryAddSingleton(sp => new ApiRenderer(sp.GetRequiredService<ApiHistory>(), sp.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions));
        services.TryAddSingleton<VersionKitEndpointFilter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, VersionKitStartupCheck>());
        return services;
    }
}

/// <summary>Makes endpoints versioned.</summary>
public static class VersionKitEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Versions these endpoints (a route group or a single endpoint): each request's version comes from the version header
    /// (else the latest); a malformed or unknown one gets <c>400</c> problem+json naming it and listing the valid versions;
    /// the version is echoed in the response header; what the handler returns is rendered at that version.
    /// </summary>
    public static TBuilder WithVersionKit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilterFactory(static (factoryContext, next) =>
        {
            var filter = factoryContext.ApplicationServices.GetService<VersionKitEndpointFilter>()
                ?? throw new InvalidOperationException("WithVersionKit() needs services.AddVersionKit(history) first.");
            return invocation => filter.InvokeAsync(invocation, next);
        });
        return builder;
    }
}

// Builds the renderer as the app starts, so that options that do not match the history fail the start, not a request.
internal sealed class VersionKitStartupCheck(IServiceProvider services) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        _ = services.GetRequiredService<ApiRenderer>();
        return next;
    }
}
