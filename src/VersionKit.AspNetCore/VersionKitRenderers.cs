using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore;

/// <summary>
/// The renderers of an app: one with the options the app handed VersionKit, else one per framework, each with that
/// framework's own JSON options, so that a controller's response is written as MVC would write it and a minimal API's as
/// minimal APIs would.
/// </summary>
internal sealed class VersionKitRenderers
{
    private readonly Lazy<ApiRenderer> _minimal;
    private readonly Lazy<ApiRenderer> _mvc;
    private readonly IServiceProvider _services;

    public VersionKitRenderers(ApiHistory history, IServiceProvider services, IOptions<VersionKitOptions> options)
    {
        _services = services;
        var chosen = options.Value.JsonSerializerOptions;
        _minimal = new(() => new ApiRenderer(history, chosen ?? services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
        _mvc = chosen is not null
            ? _minimal
            : new(() => new ApiRenderer(history, services.GetRequiredService<IOptions<Microsoft.AspNetCore.Mvc.JsonOptions>>().Value.JsonSerializerOptions));
    }

    /// <summary>The renderer outside HTTP and for minimal APIs.</summary>
    public ApiRenderer Default => _minimal.Value;

    /// <summary>The renderer of the endpoint <paramref name="context"/> is running.</summary>
    public ApiRenderer For(HttpContext context)
        => context.GetEndpoint()?.Metadata.GetMetadata<ActionDescriptor>() is not null ? _mvc.Value : _minimal.Value;

    /// <summary>Builds every renderer the app's versioned endpoints use, so that options that do not match the history fail the start.</summary>
    public void CheckAll()
    {
        _ = _minimal.Value;
        var endpoints = _services.GetService<EndpointDataSource>()?.Endpoints ?? [];
        if (endpoints.Any(e => e.Metadata.GetMetadata<VersionKitEndpointMetadata>() is not null && e.Metadata.GetMetadata<ActionDescriptor>() is not null))
        {
            _ = _mvc.Value;
        }
    }
}
