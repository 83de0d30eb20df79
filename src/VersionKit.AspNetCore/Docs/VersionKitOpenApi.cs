using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace VersionKit.AspNetCore;

/// <summary>One OpenAPI document per API version, through Microsoft.AspNetCore.OpenApi's document pipeline.</summary>
public static class VersionKitOpenApiExtensions
{
    /// <summary>
    /// Registers one OpenAPI document per version of the history given to <c>AddVersionKit</c>, named by the version
    /// (<c>2014-08-04</c>, <c>2024-09-30.acacia</c>): every resource's schema as it was at that version (fields renamed,
    /// removed, added, retyped and enum values as they were), and the version header documented with its valid values.
    /// <c>app.MapVersionKitDocs()</c> serves them at <c>/openapi/{version}.json</c>.
    /// </summary>
    /// <param name="services">The app's services, with <c>AddVersionKit(history)</c> already called.</param>
    /// <param name="configure">Further configuration applied to every version's document (titles, security schemes...).</param>
    /// <exception cref="InvalidOperationException"><c>AddVersionKit(history)</c> has not been called.</exception>
    public static IServiceCollection AddVersionKitOpenApi(this IServiceCollection services, Action<OpenApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var history = services.LastOrDefault(d => d.ServiceType == typeof(ApiHistory))?.ImplementationInstance as ApiHistory
            ?? throw new InvalidOperationException("AddVersionKitOpenApi() needs the history: call services.AddVersionKit(history) first.");
        if (services.Any(d => d.ServiceType == typeof(VersionKitOpenApiDocuments)))
        {
            return services;
        }

        services.TryAddSingleton(new VersionKitOpenApiDocuments(history.Versions));
        foreach (var version in history.Versions)
        {
            var transformer = new VersionedOpenApi(history, version);
            services.AddOpenApi(version.ToString(), options =>
            {
                options.AddDocumentTransformer(transformer.TransformDocumentAsync);
                options.AddSchemaTransformer(transformer.TransformSchemaAsync);
                options.AddOperationTransformer(transformer.TransformOperationAsync);
                configure?.Invoke(options);
            });
        }

        return services;
    }
}

/// <summary>Marks that the per-version documents are registered, and by which names.</summary>
internal sealed record VersionKitOpenApiDocuments(IReadOnlyList<ApiVersion> Versions);

/// <summary>The transformers of one version's document: the current shapes from the pipeline, walked back to <see cref="_version"/>.</summary>
internal sealed class VersionedOpenApi(ApiHistory history, ApiVersion version)
{
    private readonly ApiVersion _version = version;
    private readonly Dictionary<Type, ResourceDefinition> _resources = history.Resources.ToDictionary(r => r.ResourceType);

    // Newest first, so that each change meets the shape as it was at its own version, as the renderer's chain does.
    private readonly List<ApiChange> _newerChanges = [.. history.Changes.Where(c => c.Version > version).Reverse()];

    public async Task TransformDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        string header = HeaderName(context.ApplicationServices);
        document.Info ??= new OpenApiInfo();
        document.Info.Version = _version.ToString();
        document.Info.Description = (string.IsNullOrEmpty(document.Info.Description) ? string.Empty : document.Info.Description + "\n\n")
            + $"API version {_version}: the resources as they were at this version. Send `{header}: {_version}` to get them, "
            + $"or read the document of another version: {string.Join(", ", history.Versions)}.";

        // Every resource, whether or not an endpoint declares it: handlers return them through results the pipeline cannot see into.
        foreach (var resource in history.Resources)
        {
            string name = resource.ResourceType.Name;
            if (document.Components?.Schemas?.ContainsKey(name) == true)
            {
                continue;
            }

            var schema = await context.GetOrCreateSchemaAsync(resource.ResourceType, null, cancellationToken).ConfigureAwait(false);
            document.AddComponent(name, schema);
        }
    }

    public Task TransformSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (_resources.TryGetValue(context.JsonTypeInfo.Type, out var resource))
        {
            WalkBack(schema, resource.ObjectName, _newerChanges);
        }

        return Task.CompletedTask;
    }

    public Task TransformOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<VersionKitEndpointMetadata>().Any())
        {
            // Not versioned (no WithVersionKit()): the header means nothing there.
            return Task.CompletedTask;
        }

        string header = HeaderName(context.ApplicationServices);
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, header, StringComparison.OrdinalIgnoreCase)))
        {
            return Task.CompletedTask;
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = header,
            In = ParameterLocation.Header,
            Required = false,
            Description = $"The API version to read the request and write the response at. This document describes {_version}; "
                + "without the header a caller gets its account's pinned version, or the latest.",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. history.Versions.Select(v => (JsonNode)JsonValue.Create(v.ToString())!)],
                Default = JsonValue.Create(_version.ToString()),
            },
        });
        return Task.CompletedTask;
    }

    /// <summary>
    /// Turns the current shape of a resource's schema into its shape before <paramref name="newerChanges"/> (newest first),
    /// change by change.
    /// </summary>
    internal static void WalkBack(OpenApiSchema schema, string objectName, IEnumerable<ApiChange> newerChanges)
    {
        if (schema.Properties is null)
        {
            return;
        }

        foreach (var change in newerChanges)
        {
            foreach (var field in change.FieldChanges.Where(f => f.Resource == objectName).Reverse())
            {
                switch (field.Kind)
                {
                    case FieldChangeKind.Renamed when field.Before is not null && field.After is not null:
                        Rename(schema, field.After, field.Before);
                        break;
                    case FieldChangeKind.Added:
                        schema.Properties.Remove(field.Field);
                        schema.Required?.Remove(field.Field);
                        break;
                    case FieldChangeKind.Removed:
                        // The generator knows the field was there, not its type: any JSON value, with what happened to it.
                        schema.Properties[field.Field] = new OpenApiSchema { Description = $"Returned until API version {change.Version} removed it." };
                        break;
                    case FieldChangeKind.TypeChanged when schema.Properties.ContainsKey(field.Field):
                        schema.Properties[field.Field] = new OpenApiSchema
                        {
                            Type = JsonType(field.Before),
                            Description = $"A {field.Before} until API version {change.Version} made it {Article(field.After)} {field.After}.",
                        };
                        break;
                    case FieldChangeKind.EnumValueAdded when schema.Properties.TryGetValue(field.Field, out var property):
                        schema.Properties[field.Field] = WithoutEnumValue(property, field.After, field.Before, change.Version);
                        break;
                }
            }
        }
    }

    private static void Rename(OpenApiSchema schema, string from, string to)
    {
        if (schema.Properties is null || !schema.Properties.ContainsKey(from))
        {
            return;
        }

        // Rebuilt so that the old name stands where the new one does, as the renderer writes it.
        var properties = schema.Properties.ToList();
        schema.Properties.Clear();
        foreach (var (name, value) in properties)
        {
            schema.Properties[name == from ? to : name] = value;
        }

        if (schema.Required?.Remove(from) == true)
        {
            schema.Required.Add(to);
        }
    }

    private static IOpenApiSchema WithoutEnumValue(IOpenApiSchema property, string? added, string? legacy, ApiVersion since)
    {
        string note = $"API version {since} added the value '{added}'; this version gets '{legacy}' in its place.";
        if (property.Enum is not { Count: > 0 } values)
        {
            // A plain string: the values were never listed, so say what differs.
            var copy = property is OpenApiSchema inline ? (OpenApiSchema)inline.CreateShallowCopy() : new OpenApiSchema { Type = property.Type };
            copy.Description = string.IsNullOrEmpty(copy.Description) ? note : copy.Description + " " + note;
            return copy;
        }

        var kept = values.Where(v => v?.GetValueKind() != System.Text.Json.JsonValueKind.String || (string?)v != added).Select(v => v?.DeepClone()).ToList();
        if (legacy is not null && !kept.Any(v => (string?)v == legacy))
        {
            kept.Add(JsonValue.Create(legacy));
        }

        return new OpenApiSchema
        {
            Type = property.Type ?? JsonSchemaType.String,
            Enum = [.. kept.Where(v => v is not null).Select(v => v!)],
            Description = string.IsNullOrEmpty(property.Description) ? note : property.Description + " " + note,
        };
    }

    private static JsonSchemaType? JsonType(string? name) => name switch
    {
        "string" => JsonSchemaType.String,
        "object" => JsonSchemaType.Object,
        "array" => JsonSchemaType.Array,
        "integer" => JsonSchemaType.Integer,
        "number" => JsonSchemaType.Number,
        "boolean" => JsonSchemaType.Boolean,
        _ => null,
    };

    private static string Article(string? word) => word is { Length: > 0 } && "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static string HeaderName(IServiceProvider services)
        => services.GetService<IOptions<VersionKitOptions>>()?.Value.HeaderName ?? "Stripe-Version";
}
