using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VersionKit.AspNetCore.Docs;

namespace VersionKit.AspNetCore;

/// <summary>Serves the API's changelog, upgrade guides and per-version OpenAPI documents.</summary>
public static class VersionKitDocsExtensions
{
    /// <summary>
    /// Maps the docs pages:
    /// <list type="bullet">
    /// <item><c>GET /docs/changelog</c>: the changelog as a page, with a warning when the caller's version is behind;</item>
    /// <item><c>GET /docs/changelog.json</c>: the changelog as data (<see cref="ApiChangelog.ToJson"/>);</item>
    /// <item><c>GET /docs/upgrade?from=...&amp;to=...</c>: the upgrade guide as a page; <c>from</c> defaults to the caller's
    /// version (the one VersionKit resolved for the request, else the version header, else the account's pin, else the
    /// latest), <c>to</c> to the
    /// latest; bad versions get a <c>400</c> page that says why;</item>
    /// <item><c>GET /openapi/{version}.json</c>: each version's OpenAPI document, when <c>AddVersionKitOpenApi()</c> registered them.</item>
    /// </list>
    /// The endpoints are left out of the OpenAPI documents. Returns their group, for conventions such as authorization.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddVersionKit(history)</c> has not been called.</exception>
    public static RouteGroupBuilder MapVersionKitDocs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var history = endpoints.ServiceProvider.GetService<ApiHistory>()
            ?? throw new InvalidOperationException("MapVersionKitDocs() needs the history: call services.AddVersionKit(history) first.");
        var pages = new DocsPages(history);
        var group = endpoints.MapGroup(string.Empty);
        string header = endpoints.ServiceProvider.GetRequiredService<IOptions<VersionKitOptions>>().Value.HeaderName;

        // RequestDelegate handlers: nothing for the trimmer or Native AOT to lose.
        group.MapGet("/docs/changelog", async context => await pages.Changelog(context, header, await pages.CallerAsync(context, header)).ExecuteAsync(context));
        group.MapGet("/docs/changelog.json", context => Results.Text(ApiChangelog.From(history).ToJson(), "application/json; charset=utf-8").ExecuteAsync(context));
        group.MapGet("/docs/upgrade", async context => await pages.Upgrade(context, header, await pages.CallerAsync(context, header)).ExecuteAsync(context));
        if (endpoints.ServiceProvider.GetService<VersionKitOpenApiDocuments>() is not null)
        {
            group.MapOpenApi("/openapi/{documentName}.json");
        }

        group.ExcludeFromDescription();
        return group;
    }
}
