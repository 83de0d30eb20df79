using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace VersionKit;

/// <summary>
/// The compiled render path: for one target version, serializer options whose contracts write every resource directly
/// in the shape it had at that version (fields renamed, hidden, given back, values mapped), in one pass, with
/// System.Text.Json's own serializer. A resource whose chain down to the target holds code (or computed values) is
/// written by the reference chain instead, through a converter; so is raw JSON (<see cref="JsonElement"/>,
/// <see cref="JsonNode"/>) inside a payload. Tests hold this path equal to the reference chain.
/// </summary>
internal sealed class VersionContracts
{
    private readonly Dictionary<Type, List<Entry>> _plans = [];
    private readonly HashSet<Type> _changed = [];
    private readonly JsonSerializerOptions _baseOptions;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> _affects = new();

    public VersionContracts(ApiHistory history, JsonSerializerOptions baseOptions, int target, Action<JsonNode?, int> transform)
    {
        var version = history.Versions[target];
        _baseOptions = baseOptions;
        var fallbacks = new List<JsonConverter>();
        foreach (var resource in history.Resources)
        {
            var steps = resource.Steps.Where(s => s.Version > version).ToList();
            if (steps.Count == 0)
            {
                continue;
            }

            _changed.Add(resource.ResourceType);
            var plan = steps.All(s => s.IsCompilable) ? Plan(baseOptions.GetTypeInfo(resource.ResourceType), steps, resource.ObjectName) : null;
            if (plan is not null)
            {
                _plans[resource.ResourceType] = plan;
            }
            else if (resource.CreateConverter is { } create)
            {
                fallbacks.Add(create((writer, value, options) =>
                {
                    var node = JsonSerializer.SerializeToNode(value, baseOptions.GetTypeInfo(value.GetType()));
                    transform(node, target);
                    WriteNode(writer, node, options);
                }));
            }
            else
            {
                throw new InvalidOperationException($"Resource '{resource.ObjectName}' cannot be rendered at {version}: its chain holds code and its history was compiled without a converter factory. Rebuild with the current VersionKit generator.");
            }
        }

        var raw = new Dictionary<Type, JsonConverter>
        {
            [typeof(JsonElement)] = new RawJsonConverter<JsonElement>((writer, element, options) =>
            {
                var node = JsonSerializer.SerializeToNode(element, baseOptions.GetTypeInfo(typeof(JsonElement)));
                transform(node, target);
                WriteNode(writer, node, options);
            }),
            [typeof(JsonNode)] = new RawJsonConverter<JsonNode>((writer, node, options) => WriteCopy(writer, node, options, target, transform)),
            [typeof(JsonObject)] = new RawJsonConverter<JsonObject>((writer, node, options) => WriteCopy(writer, node, options, target, transform)),
            [typeof(JsonArray)] = new RawJsonConverter<JsonArray>((writer, node, options) => WriteCopy(writer, node, options, target, transform)),
        };

        // Raw JSON needs contracts even where the app's source-generated context has none: the last resolver in the chain gives them.
        Options = new JsonSerializerOptions(baseOptions)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(baseOptions.TypeInfoResolver!.WithAddedModifier(Modify), new RawJsonResolver(raw)),
        };
        foreach (var converter in fallbacks.Concat(raw.Values))
        {
            Options.Converters.Insert(0, converter);
        }

        Options.MakeReadOnly();
    }

    public JsonSerializerOptions Options { get; }

    /// <summary>
    /// Whether a value of <paramref name="type"/> can hold a resource that changed after the target version: the type, or
    /// one reachable from its contract, is such a resource, or holds raw JSON or values of unknown type. When it cannot,
    /// the app's own contract (with a source-generated context, its fast path) writes it unchanged.
    /// </summary>
    public bool Affects(Type type) => _affects.GetOrAdd(type, static (type, self) => self.Reaches(type, []), this);

    private bool Reaches(Type type, HashSet<Type> visiting)
    {
        if (_changed.Contains(type) || type == typeof(object) || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type))
        {
            return true;
        }

        if (!visiting.Add(type))
        {
            return false;
        }

        var typeInfo = _baseOptions.GetTypeInfo(type);
        if (typeInfo.PolymorphismOptions is not null)
        {
            return true;
        }

        return typeInfo.Kind switch
        {
            JsonTypeInfoKind.Object => typeInfo.Properties.Any(p => Reaches(p.PropertyType, visiting)),
            JsonTypeInfoKind.Enumerable => typeInfo.ElementType is { } element && Reaches(element, visiting),
            JsonTypeInfoKind.Dictionary => (typeInfo.KeyType is { } key && Reaches(key, visiting)) || (typeInfo.ElementType is { } value && Reaches(value, visiting)),
            _ => Nullable.GetUnderlyingType(type) is { } underlying && Reaches(underlying, visiting),
        };
    }

    private static void WriteCopy(Utf8JsonWriter writer, JsonNode node, JsonSerializerOptions options, int target, Action<JsonNode?, int> transform)
    {
        var copy = node.DeepClone();
        transform(copy, target);
        WriteNode(writer, copy, options);
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node, JsonSerializerOptions options)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer, options);
        }
    }

    /// <summary>
    /// Walks the steps newest first over the current contract's properties, exactly as the reference chain walks the JSON:
    /// a rename keeps its place, a restored field goes last, value mappings and field-scoped code run on the field's value
    /// in order. Returns <see langword="null"/> where a contract cannot say it.
    /// </summary>
    private static List<Entry>? Plan(JsonTypeInfo current, List<ChangeStep> steps, string resource)
    {
        if (current.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        var entries = current.Properties.Select(p => new Entry(p.Name, p) { Resource = resource }).ToList();
        foreach (var step in steps)
        {
            if (step.Code is not null)
            {
                int field = entries.FindIndex(e => e.Name == step.CodeField);
                if (field < 0 || (entries[field].Property is not null && !CanRewrite(entries[field])))
                {
                    return null;
                }

                entries[field] = entries[field] with { Operations = [.. entries[field].Operations, new Operation(entries[field].Name, null, null, step)] };
                continue;
            }

            // Computed values see the object as it was before the step's other instructions.
            var before = entries.ToList();
            foreach (var instruction in step.Instructions)
            {
                int index = entries.FindIndex(e => e.Name == instruction.Field);
                if (instruction is { Kind: FieldInstructionKind.Restore, Compute: { } compute })
                {
                    var source = before.Find(e => e.Name == instruction.ComputeFrom);
                    if (source is null || (source.Property is not null && !CanRewrite(source)))
                    {
                        return null;
                    }

                    if (index >= 0)
                    {
                        entries.RemoveAt(index);
                    }

                    entries.Add(new Entry(instruction.Field, null) { Resource = resource, Source = source, Computed = (step, compute) });
                    continue;
                }

                switch (instruction.Kind)
                {
                    case FieldInstructionKind.Rename when index >= 0:
                        entries[index] = entries[index] with { Name = instruction.To! };
                        break;
                    case FieldInstructionKind.Hide when index >= 0:
                        entries.RemoveAt(index);
                        break;
                    case FieldInstructionKind.Restore:
                        if (index >= 0)
                        {
                            entries.RemoveAt(index);
                        }

                        entries.Add(new Entry(instruction.Field, null) { Constant = JsonNode.Parse(instruction.ValueJson!) });
                        break;
                    case FieldInstructionKind.MapValue when index >= 0:
                        var entry = entries[index];
                        if (entry.Property is null && entry.Operations.Count == 0)
                        {
                            if (entry.Constant is JsonValue constant && constant.TryGetValue(out string? text) && text == instruction.Value)
                            {
                                entries[index] = entry with { Constant = JsonValue.Create(instruction.To) };
                            }
                        }
                        else if (entry.Property is null)
                        {
                            entries[index] = entry with { Operations = [.. entry.Operations, new Operation(entry.Name, instruction.Value, instruction.To, null)] };
                        }
                        else if (CanRewrite(entry))
                        {
                            entries[index] = entry with { Operations = [.. entry.Operations, new Operation(entry.Name, instruction.Value, instruction.To, null)] };
                        }
                        else
                        {
                            return null;
                        }

                        break;
                }
            }
        }

        return entries;
    }

    // A property whose value is rewritten must be written whenever it is present, as the reference chain sees it.
    private static bool CanRewrite(Entry entry)
        => entry.Property is { CustomConverter: null, ShouldSerialize: null, Get: not null };

    private void Modify(JsonTypeInfo typeInfo)
    {
        if (!_plans.TryGetValue(typeInfo.Type, out var plan))
        {
            return;
        }

        var byName = typeInfo.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        typeInfo.Properties.Clear();
        foreach (var entry in plan)
        {
            JsonPropertyInfo property;
            if (entry.Source is not null || entry.Operations.Any(o => o.Step is not null) || (entry.Property is null && entry.Operations.Count > 0))
            {
                property = RewrittenValue(typeInfo, entry);
            }
            else if (entry.Property is { } kept)
            {
                property = byName[kept.Name];
                property.Name = entry.Name;
                if (entry.Operations.Count > 0)
                {
                    property.CustomConverter = new MappedStringConverter([.. entry.Operations.Select(o => (o.Value!, o.Legacy!))]);
                }
            }
            else
            {
                var constant = new RawConstant(Encoding.UTF8.GetBytes(entry.Constant?.ToJsonString() ?? "null"));
                property = JsonMetadataServices.CreatePropertyInfo(typeInfo.Options, new JsonPropertyInfoValues<RawConstant>
                {
                    IsProperty = true,
                    IsPublic = true,
                    DeclaringType = typeInfo.Type,
                    PropertyName = entry.Name,
                    JsonPropertyName = entry.Name,
                    Converter = RawConstantConverter.Instance,
                    Getter = _ => constant,
                });
            }

            property.Order = 0;
            typeInfo.Properties.Add(property);
        }
    }

    /// <summary>
    /// A property whose value goes through field-scoped code: the value is written at the target version into a small
    /// JSON object holding just that field, each operation runs on it in order, and what is left is written.
    /// </summary>
    private JsonPropertyInfo RewrittenValue(JsonTypeInfo typeInfo, Entry entry)
        => JsonMetadataServices.CreatePropertyInfo(typeInfo.Options, new JsonPropertyInfoValues<JsonNode?>
        {
            IsProperty = true,
            IsPublic = true,
            DeclaringType = typeInfo.Type,
            PropertyName = entry.Name,
            JsonPropertyName = entry.Name,
            Converter = JsonMetadataServices.JsonNodeConverter,
            Getter = owner => ValueOf(entry, owner),
        });

    /// <summary>An entry's value for one object: from its property, its constant, or the field it is computed from, then its operations in order.</summary>
    private JsonNode? ValueOf(Entry entry, object owner)
    {
        JsonNode? node;
        if (entry is { Source: { } source, Computed: var (computeStep, compute) })
        {
            var holder = new JsonObject { [source.Name] = ValueOf(source, owner) };
            node = Run(computeStep, entry.Resource, () => compute(holder));
        }
        else if (entry.Property is { Get: { } getter } property)
        {
            var value = getter(owner);
            node = value is null ? null : JsonSerializer.SerializeToNode(value, Options.GetTypeInfo(property.PropertyType));
        }
        else
        {
            node = entry.Constant?.DeepClone();
        }

        foreach (var operation in entry.Operations)
        {
            if (operation.Step is { Code: { } code } step)
            {
                var field = new JsonObject { [operation.Field] = node };
                Run(step, entry.Resource, () =>
                {
                    code(field);
                    return null;
                });
                node = field[operation.Field];
                field.Remove(operation.Field);
            }
            else if (node is JsonValue text && text.TryGetValue(out string? current) && current == operation.Value)
            {
                node = JsonValue.Create(operation.Legacy);
            }
        }

        return node;
    }

    private static JsonNode? Run(ChangeStep step, string? resource, Func<JsonNode?> user)
    {
        try
        {
            return user();
        }
        catch (Exception exception) when (exception is not RenderException)
        {
            throw new RenderException(step.ChangeType, resource, step.Version, exception);
        }
    }

    private sealed record Entry(string Name, JsonPropertyInfo? Property)
    {
        public string? Resource { get; init; }

        /// <summary>For a computed value: the field it is computed from, as that field was when the step began.</summary>
        public Entry? Source { get; init; }

        public (ChangeStep Step, Func<JsonObject, JsonNode?> Compute)? Computed { get; init; }

        public JsonNode? Constant { get; init; }

        /// <summary>What happens to the value, in order: a mapping (<see cref="Operation.Value"/> to <see cref="Operation.Legacy"/>) or field-scoped code.</summary>
        public IReadOnlyList<Operation> Operations { get; init; } = [];
    }

    private sealed record Operation(string Field, string? Value, string? Legacy, ChangeStep? Step);

    private sealed class RawConstant(byte[] json)
    {
        public byte[] Json => json;
    }

    private sealed class RawConstantConverter : JsonConverter<RawConstant>
    {
        public static readonly RawConstantConverter Instance = new();

        public override RawConstant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, RawConstant value, JsonSerializerOptions options) => writer.WriteRawValue(value.Json, skipInputValidation: true);
    }

    private sealed class MappedStringConverter(IReadOnlyList<(string Value, string Legacy)> mappings) : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
        {
            foreach (var (from, to) in mappings)
            {
                if (value == from)
                {
                    value = to;
                }
            }

            writer.WriteStringValue(value);
        }
    }

    private sealed class RawJsonResolver(Dictionary<Type, JsonConverter> converters) : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) => type switch
        {
            _ when type == typeof(JsonElement) => JsonMetadataServices.CreateValueInfo<JsonElement>(options, converters[type]),
            _ when type == typeof(JsonNode) => JsonMetadataServices.CreateValueInfo<JsonNode>(options, converters[type]),
            _ when type == typeof(JsonObject) => JsonMetadataServices.CreateValueInfo<JsonObject>(options, converters[type]),
            _ when type == typeof(JsonArray) => JsonMetadataServices.CreateValueInfo<JsonArray>(options, converters[type]),
            _ when type == typeof(RawConstant) => JsonMetadataServices.CreateValueInfo<RawConstant>(options, RawConstantConverter.Instance),
            _ => null,
        };
    }

    private sealed class RawJsonConverter<T>(Action<Utf8JsonWriter, T, JsonSerializerOptions> write) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => write(writer, value, options);
    }
}

/// <summary>
/// Writes one resource type through a callback: how the compiled renderer hands resources whose chains hold code to the
/// reference chain. Made by the generated history class, which knows the resource types.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ResourceConverter<T> : JsonConverter<T>
{
    private readonly Action<Utf8JsonWriter, object, JsonSerializerOptions> _write;

    /// <summary>Creates the converter.</summary>
    public ResourceConverter(Action<Utf8JsonWriter, object, JsonSerializerOptions> write) => _write = write;

    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => throw new NotSupportedException("VersionKit writes resources in old shapes; it does not read them.");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _write(writer, value!, options);
}
