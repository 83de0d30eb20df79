using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using VersionKit.AspNetCore;
using VersionKit.Generated;

namespace VersionKit.OpenApi;

/// <summary>Marks that the per-version documents are registered, and by which names.</summary>
internal sealed record VersionKitOpenApiDocuments(IReadOnlyList<ApiVersion> Versions);

/// <summary>
/// The transformers of one version's document: each resource's schema as the plan's stretch of <see cref="_version"/> says it
/// was, and each request type's (bodies and query parameters) as a caller at that version sends it.
/// </summary>
internal sealed class VersionedOpenApi(ApiHistory history, ApiVersion version)
{
    private readonly ApiVersion _version = version;
    private readonly int _target = history.Versions.ToList().IndexOf(version);
    private readonly Dictionary<Type, ResourceHistory> _resources = history.Resources.Where(r => r.ResourceType is not null && r.Plan is not null).ToDictionary(r => r.ResourceType!);
    private readonly Dictionary<Type, RequestPlan> _requests = history.Requests.Where(r => r.Plan is not null).ToDictionary(r => r.RequestType, r => r.Plan!);

    public async Task TransformDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        string header = HeaderName(context.ApplicationServices);
        document.Info ??= new OpenApiInfo();
        document.Info.Version = _version.ToString();
        document.Info.Description = (string.IsNullOrEmpty(document.Info.Description) ? string.Empty : document.Info.Description + "\n\n")
            + $"API version {_version}: the resources as they were at this version. Send `{header}: {_version}` to get them, "
            + $"or read the document of another version: {string.Join(", ", history.Versions)}.";

        // Every resource, whether or not an endpoint declares it: handlers return them through results the pipeline cannot see into.
        foreach (var type in _resources.Keys)
        {
            string name = type.Name;
            if (document.Components?.Schemas?.ContainsKey(name) == true)
            {
                continue;
            }

            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken).ConfigureAwait(false);
            document.AddComponent(name, schema);
        }
    }

    public async Task TransformSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (_resources.TryGetValue(context.JsonTypeInfo.Type, out var resource) && schema.Properties is not null)
        {
            await OldShape(schema, resource, context, cancellationToken).ConfigureAwait(false);
        }
        else if (_requests.TryGetValue(context.JsonTypeInfo.Type, out var request) && schema.Properties is not null)
        {
            OldRequest(schema, request);
        }
    }

    public async Task TransformOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<VersionKitEndpointMetadata>().Any())
        {
            // Not versioned (no WithVersionKit()): the header means nothing there.
            return;
        }

        operation.Parameters ??= [];
        if (metadata.OfType<ApiRequestMetadata>().LastOrDefault()?.RequestType is { } requestType && _requests.TryGetValue(requestType, out var request))
        {
            await NamedRequest(operation, context, requestType, request, cancellationToken).ConfigureAwait(false);
        }

        string header = HeaderName(context.ApplicationServices);
        if (operation.Parameters.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, header, StringComparison.OrdinalIgnoreCase)))
        {
            return;
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
    }

    /// <summary>
    /// A request type's schema as a caller at the document's version sends it, from the request plan's stretch of that
    /// version: each field under its name there, a field a newer version added left out, a field a newer version removed
    /// described as taken and ignored.
    /// </summary>
    private void OldRequest(OpenApiSchema schema, RequestPlan plan)
    {
        var current = schema.Properties!.ToDictionary(p => p.Key, p => p.Value);
        var required = schema.Required?.ToHashSet(StringComparer.Ordinal) ?? [];
        schema.Properties!.Clear();
        schema.Required?.Clear();
        foreach (var field in StretchAt(plan, _target).Fields)
        {
            var entry = plan.Entries[field.Entry];
            schema.Properties[field.Name] = entry.Property is { } property && current.TryGetValue(property, out var existing)
                ? existing
                : new OpenApiSchema { Description = IgnoredNote(plan, field.Entry) };
            if (entry.Property is { } name && required.Contains(name))
            {
                (schema.Required ??= new HashSet<string>()).Add(field.Name);
            }
        }
    }

    /// <summary>
    /// An endpoint that names its request type (<c>WithApiRequest&lt;T&gt;()</c>): without a body (GET, DELETE, HEAD) its
    /// query parameters as the document's version names them; otherwise a request body of the type, JSON or a form, when
    /// the handler declares none.
    /// </summary>
    private async Task NamedRequest(OpenApiOperation operation, OpenApiOperationTransformerContext context, Type requestType, RequestPlan plan, CancellationToken cancellationToken)
    {
        string method = context.Description.HttpMethod ?? "GET";
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsDelete(method) && !HttpMethods.IsHead(method))
        {
            if (operation.RequestBody is null)
            {
                var schema = await context.GetOrCreateSchemaAsync(requestType, null, cancellationToken).ConfigureAwait(false);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = schema },
                        ["application/x-www-form-urlencoded"] = new() { Schema = schema },
                    },
                };
            }

            return;
        }

        var current = StretchAt(plan, plan.Stretches[^1].From);
        var target = StretchAt(plan, _target);
        var named = new HashSet<int>();
        foreach (var parameter in operation.Parameters!.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query).ToList())
        {
            if (current.Fields.FirstOrDefault(f => f.Name == parameter.Name) is { Name: not null } field)
            {
                // The handler's parameter, under the current name: the document's version calls it otherwise, or has no such field.
                named.Add(field.Entry);
                if (target.Fields.FirstOrDefault(f => f.Entry == field.Entry) is { Name: { } name })
                {
                    parameter.Name = name;
                }
                else
                {
                    operation.Parameters!.Remove(parameter);
                }
            }
        }

        foreach (var field in target.Fields.Where(f => !named.Contains(f.Entry)))
        {
            var entry = plan.Entries[field.Entry];
            operation.Parameters!.Add(new OpenApiParameter
            {
                Name = field.Name,
                In = ParameterLocation.Query,
                Required = false,
                Description = entry.Property is null ? IgnoredNote(plan, field.Entry) : null,
                Schema = new OpenApiSchema { Type = JsonType(entry.Value.Kind) },
            });
        }
    }

    private static RequestPlanStretch StretchAt(RequestPlan plan, int index) => plan.Stretches.Last(s => s.From <= index || s == plan.Stretches[0]);

    private string IgnoredNote(RequestPlan plan, int entry)
    {
        var removedAt = plan.Stretches.FirstOrDefault(s => s.From > _target && s.Fields.All(f => f.Entry != entry));
        return removedAt is null
            ? "Taken and ignored."
            : $"Taken and ignored: API version {history.Versions[removedAt.From]} removed it.";
    }

    private static JsonSchemaType? JsonType(RequestValueKind kind) => kind switch
    {
        RequestValueKind.String => JsonSchemaType.String,
        RequestValueKind.Integer => JsonSchemaType.Integer,
        RequestValueKind.Number => JsonSchemaType.Number,
        RequestValueKind.Boolean => JsonSchemaType.Boolean,
        RequestValueKind.List => JsonSchemaType.Array,
        RequestValueKind.Object or RequestValueKind.Dictionary => JsonSchemaType.Object,
        _ => null,
    };

    /// <summary>
    /// Rebuilds a resource's schema as it was at the document's version, from the plan's stretch of that version: each field
    /// in its place, a property under its name there, a restored constant typed by its value, a typed computation's result by
    /// its C# type, a value map's enum without the new value, code that changed a type with the type it had.
    /// </summary>
    private async Task OldShape(OpenApiSchema schema, ResourceHistory resource, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var plan = resource.Plan!;
        var stretch = plan.Stretches.Last(s => s.From <= _target);
        var current = schema.Properties!.ToDictionary(p => p.Key, p => p.Value);
        var required = schema.Required?.ToHashSet(StringComparer.Ordinal) ?? [];
        schema.Properties!.Clear();
        schema.Required?.Clear();
        foreach (var field in stretch.Fields)
        {
            var entry = plan.Entries[field.Entry];
            IOpenApiSchema? property = entry.Source switch
            {
                PlanSource.Property when entry.Property is { } name && current.TryGetValue(name, out var existing) => existing,
                PlanSource.Constant => ConstantSchema(entry.ConstantJson, Removed(entry.Change)),
                PlanSource.TypedComputed when entry.TypedResult is { } type => Described(await context.GetOrCreateSchemaAsync(type, null, cancellationToken).ConfigureAwait(false), Removed(entry.Change)),
                _ => new OpenApiSchema { Description = Removed(entry.Change) },
            };

            foreach (var op in entry.Ops)
            {
                var change = PublicChange(op.Change);
                if (op.Value is not null)
                {
                    property = WithoutEnumValue(property ?? new OpenApiSchema { Type = JsonSchemaType.String }, op.Value, op.To, change?.Version);
                }
                else if (op.TypedResult is { } type)
                {
                    property = Described(await context.GetOrCreateSchemaAsync(type, null, cancellationToken).ConfigureAwait(false), TypeChangedNote(change, resource, op));
                }
                else
                {
                    property = new OpenApiSchema { Type = JsonType(TypeChange(change, resource, op)?.Before), Description = Join(null, TypeChangedNote(change, resource, op)) };
                }
            }

            schema.Properties[field.Name] = property ?? new OpenApiSchema();
            if (entry is { Source: PlanSource.Property, Ops.Count: 0, Property: { } propertyName } && required.Contains(propertyName))
            {
                (schema.Required ??= new HashSet<string>()).Add(field.Name);
            }
        }
    }

    private string Removed(Type? change)
        => PublicChange(change) is { } removedBy
            ? $"Returned until API version {removedBy.Version} removed it."
            : "Returned by this version.";

    // An internal change applies to the schemas, but the documents' descriptions never name it.
    private ApiChange? PublicChange(Type? type) => history.Changes.FirstOrDefault(c => c.ChangeType == type && !c.IsInternal);

    private static FieldChange? TypeChange(ApiChange? change, ResourceHistory resource, PlanValueOp op)
        => change?.FieldChanges.FirstOrDefault(f => f.Kind == FieldChangeKind.TypeChanged && f.Resource == resource.ObjectName && f.Field == op.Field);

    private static string TypeChangedNote(ApiChange? change, ResourceHistory resource, PlanValueOp op)
        => TypeChange(change, resource, op) is { } typeChange
            ? $"A {typeChange.Before} until API version {change!.Version} made it {Article(typeChange.After)} {typeChange.After}."
            : change is null
                ? string.Empty
                : $"Its value is as it was before API version {change.Version} changed it.";

    private static IOpenApiSchema Described(IOpenApiSchema schema, string note)
    {
        if (note.Length == 0)
        {
            return schema;
        }

        var copy = schema is OpenApiSchema inline ? (OpenApiSchema)inline.CreateShallowCopy() : new OpenApiSchema { Type = schema.Type };
        copy.Description = Join(copy.Description, note);
        return copy;
    }

    private static OpenApiSchema ConstantSchema(string? json, string note)
    {
        var value = json is null ? null : JsonNode.Parse(json);
        return new OpenApiSchema
        {
            Type = value?.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.String => JsonSchemaType.String,
                System.Text.Json.JsonValueKind.Number => JsonSchemaType.Number,
                System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => JsonSchemaType.Boolean,
                System.Text.Json.JsonValueKind.Object => JsonSchemaType.Object,
                System.Text.Json.JsonValueKind.Array => JsonSchemaType.Array,
                _ => null,
            },
            Description = note + (value is null ? string.Empty : $" Always {value.ToJsonString()}."),
        };
    }

    private static IOpenApiSchema WithoutEnumValue(IOpenApiSchema property, string? added, string? legacy, ApiVersion? since)
    {
        string note = since is null ? string.Empty : $"API version {since} added the value '{added}'; this version gets '{legacy}' in its place.";
        if (property.Enum is not { Count: > 0 } values)
        {
            // A plain string: the values were never listed, so say what differs.
            var copy = property is OpenApiSchema inline ? (OpenApiSchema)inline.CreateShallowCopy() : new OpenApiSchema { Type = property.Type };
            copy.Description = Join(copy.Description, note);
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
            Description = Join(property.Description, note),
        };
    }

    private static string? Join(string? description, string note)
        => note.Length == 0 ? description : string.IsNullOrEmpty(description) ? note : description + " " + note;

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
