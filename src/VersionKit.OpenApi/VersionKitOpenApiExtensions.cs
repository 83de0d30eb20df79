using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using VersionKit.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VersionKit.OpenApi;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>One OpenAPI document per API version, through Microsoft.AspNetCore.OpenApi's document pipeline.</summary>
    public static class VersionKitOpenApiBuilderExtensions
    {
        /// <summary>
        /// Registers one OpenAPI document per version of the history, named by the version (<c>2014-08-04</c>,
        /// <c>2024-09-30.acacia</c>): every resource's schema as it was at that version (from the same plan the writers are
        /// made from), the version header documented with its valid values, and only the endpoints the version has (see
        /// <c>IntroducedIn</c> and <c>RemovedIn</c>). <c>app.MapVersionKitOpenApi()</c> serves them at <c>/openapi/{version}.json</c>.
        /// </summary>
        /// <param name="builder">The app's VersionKit registration.</param>
        /// <param name="configure">Further configuration applied to every version's document (titles, security schemes...).</param>
        public static VersionKitBuilder AddOpenApi(this VersionKitBuilder builder, Action<OpenApiOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            var services = builder.Services;
            if (services.Any(d => d.ServiceType == typeof(VersionKitOpenApiDocuments)))
            {
                return builder;
            }

            services.TryAddSingleton(new VersionKitOpenApiDocuments(builder.History.Versions));
            foreach (var version in builder.History.Versions)
            {
                var transformer = new VersionedOpenApi(builder.History, version);
                services.AddOpenApi(version.ToString(), options =>
                {
                    options.AddDocumentTransformer(transformer.TransformDocumentAsync);
                    options.AddSchemaTransformer(transformer.TransformSchemaAsync);
                    options.AddOperationTransformer(transformer.TransformOperationAsync);
                    configure?.Invoke(options);
                });

                // An endpoint a version does not have (IntroducedIn later, RemovedIn at or before it) is not in its document.
                services.AddOptions<OpenApiOptions>(version.ToString()).Configure<ApiEndpointChanges>((options, endpoints) =>
                {
                    var included = options.ShouldInclude;
                    options.ShouldInclude = description => included(description) && endpoints.IsInVersion(description.ActionDescriptor.EndpointMetadata, version);
                });
            }

            return builder;
        }
    }
}

namespace Microsoft.AspNetCore.Builder
{
    using Microsoft.Extensions.DependencyInjection;

    /// <summary>Serves the per-version OpenAPI documents.</summary>
    public static class VersionKitOpenApiEndpointRouteBuilderExtensions
    {
        /// <summary>
        /// Serves each version's OpenAPI document at <c>/openapi/{version}.json</c> (an unknown version is <c>404</c>); the
        /// endpoint is left out of the documents. Returns it, for conventions such as caching or authorization.
        /// </summary>
        /// <exception cref="InvalidOperationException"><c>AddVersionKit(history).AddOpenApi()</c> has not been called.</exception>
        public static IEndpointConventionBuilder MapVersionKitOpenApi(this IEndpointRouteBuilder endpoints)
        {
            ArgumentNullException.ThrowIfNull(endpoints);
            if (endpoints.ServiceProvider.GetService<VersionKitOpenApiDocuments>() is null)
            {
                throw new InvalidOperationException("MapVersionKitOpenApi() needs the documents: call services.AddVersionKit(history).AddOpenApi() first.");
            }

            return endpoints.MapOpenApi("/openapi/{documentName}.json").ExcludeFromDescription();
        }
    }
}
