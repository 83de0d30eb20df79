using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VersionKit;
using VersionKit.AspNetCore;
using VersionKit.Docs;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>The changelog and upgrade-guide pages.</summary>
    public static class VersionKitDocsBuilderExtensions
    {
        /// <summary>Registers the changelog and upgrade-guide pages; <c>app.MapVersionKitDocs()</c> serves them.</summary>
        public static VersionKitBuilder AddDocs(this VersionKitBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            var history = builder.History;
            builder.Services.TryAddSingleton(sp => new DocsPages(history, sp.GetRequiredService<ApiVersionResolver>(), sp.GetRequiredService<ApiEndpointChanges>()));
            builder.Services.TryAddSingleton(sp => new VersionsPage(
                history, sp.GetRequiredService<IOptions<VersionKitOptions>>(), sp.GetService<VersionKit.Pins.IApiVersionPinStore>()));
            return builder;
        }
    }
}

namespace Microsoft.AspNetCore.Builder
{
    using Microsoft.Extensions.DependencyInjection;

    /// <summary>Serves the API's changelog and upgrade guides.</summary>
    public static class VersionKitDocsEndpointRouteBuilderExtensions
    {
        /// <summary>
        /// Maps the docs pages:
        /// <list type="bullet">
        /// <item><c>GET /docs/changelog</c>: the changelog as a page, with a warning when the caller's version is behind;</item>
        /// <item><c>GET /docs/changelog.json</c>: the changelog as data (<see cref="ApiChangelog.ToJson"/>);</item>
        /// <item><c>GET /docs/upgrade?from=...&amp;to=...</c>: the upgrade guide as a page; <c>from</c> defaults to the caller's
        /// version, <c>to</c> to the latest; bad versions get a <c>400</c> page that says why.</item>
        /// </list>
        /// The endpoints are left out of the OpenAPI documents. Returns their group, for conventions such as authorization.
        /// </summary>
        /// <exception cref="InvalidOperationException"><c>AddVersionKit(history).AddDocs()</c> has not been called.</exception>
        public static RouteGroupBuilder MapVersionKitDocs(this IEndpointRouteBuilder endpoints)
        {
            ArgumentNullException.ThrowIfNull(endpoints);
            var pages = endpoints.ServiceProvider.GetService<DocsPages>()
                ?? throw new InvalidOperationException("MapVersionKitDocs() needs the pages: call services.AddVersionKit(history).AddDocs() first.");
            var group = endpoints.MapGroup(string.Empty);
            string header = endpoints.ServiceProvider.GetRequiredService<IOptions<VersionKitOptions>>().Value.HeaderName;

            // RequestDelegate handlers: nothing for the trimmer or Native AOT to lose.
            group.MapGet("/docs/changelog", async context => await pages.Changelog(context, header, await pages.CallerAsync(context, header)).ExecuteAsync(context));
            group.MapGet("/docs/changelog.json", context => Results.Text(pages.ChangelogJson(), "application/json; charset=utf-8").ExecuteAsync(context));
            group.MapGet("/docs/upgrade", async context => await pages.Upgrade(context, header, await pages.CallerAsync(context, header)).ExecuteAsync(context));
            group.ExcludeFromDescription();
            return group;
        }

        /// <summary>
        /// Maps the versions page: <c>GET /docs/versions</c>, every release with its kind, status, the accounts pinned to it
        /// and who still calls it (each account's last call and request count, from the pin store), and
        /// <c>GET /docs/versions.json</c>, the same as data. Account ids are on it: the group it returns is the place to
        /// require an operator (<c>.RequireAuthorization(...)</c>). Left out of the OpenAPI documents.
        /// </summary>
        /// <exception cref="InvalidOperationException"><c>AddVersionKit(history).AddDocs()</c> has not been called.</exception>
        public static RouteGroupBuilder MapVersionKitVersions(this IEndpointRouteBuilder endpoints)
        {
            ArgumentNullException.ThrowIfNull(endpoints);
            var page = endpoints.ServiceProvider.GetService<VersionsPage>()
                ?? throw new InvalidOperationException("MapVersionKitVersions() needs the pages: call services.AddVersionKit(history).AddDocs() first.");
            var group = endpoints.MapGroup(string.Empty);
            group.MapGet("/docs/versions", async context => await (await page.PageAsync(context)).ExecuteAsync(context));
            group.MapGet("/docs/versions.json", async context => await (await page.JsonAsync(context)).ExecuteAsync(context));
            group.ExcludeFromDescription();
            return group;
        }
    }
}
