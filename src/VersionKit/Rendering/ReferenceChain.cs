using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using VersionKit.Generated;

namespace VersionKit.Rendering;

/// <summary>
/// The reference chain: a payload's JSON, then every version newer than the target undone, newest first, on every resource in
/// it, step by step as the plan's steps say. Plain and obviously correct: the oracle the generated writers are held to, and
/// the way raw JSON (<see cref="JsonNode"/>, <see cref="JsonElement"/>) and code on whole resources are rendered.
/// </summary>
internal sealed class ReferenceChain
{
    private readonly ApiHistory _history;
    private readonly RenderEngine _engine;
    private readonly FrozenDictionary<string, Resource> _byName;
    private readonly FrozenDictionary<Type, Resource> _byType;
    private JsonSerializerOptions? _marking;

    public ReferenceChain(ApiHistory history, RenderEngine engine)
    {
        _history = history;
        _engine = engine;
        var resources = history.Resources.Select(r => new Resource(r, history.Versions.Count)).ToList();
        _byName = resources.ToFrozenDictionary(r => r.Definition.ObjectName, StringComparer.Ordinal);
        _byType = resources.Where(r => r.Definition.ResourceType is not null).ToFrozenDictionary(r => r.Definition.ResourceType!);
    }

    /// <summary>The payload <paramref name="value"/> (of the static type <paramref name="type"/>) at <paramref name="target"/>, resources' owners kept in <paramref name="owners"/>.</summary>
    public JsonNode? Render(object? value, Type type, int target, Owners owners)
    {
        var node = owners.Unmark(owners.Serialize(value, MarkingOptions().GetTypeInfo(type)));
        Apply(node, _history.Versions.Count - 1, target, owners);
        return node;
    }

    /// <summary>
    /// Undoes versions <paramref name="from"/> down to <paramref name="target"/> (exclusive) on every resource in
    /// <paramref name="payload"/>, in place. Resources are the objects <paramref name="owners"/> knows (written from C# objects),
    /// and objects whose <c>object</c> field names a resource; inside a resource only the fields that can hold one are searched.
    /// </summary>
    public void Apply(JsonNode? payload, int from, int target, Owners? owners)
    {
        if (payload is null || from <= target)
        {
            return;
        }

        var found = Collect(payload, owners, from);
        for (int version = from; version > target; version--)
        {
            var active = found.Where(f => f.Resource.Steps[version] is not null).ToList();
            if (active.Count == 0)
            {
                continue;
            }

            // Computed values read the payload as it is at the version, before any of its operations.
            var computed = active.Select(f => Read(f, f.Resource.Steps[version]!, version, owners)).ToList();
            bool created = false;
            foreach (var item in active)
            {
                foreach (var op in item.Resource.Steps[version]!.Code)
                {
                    created |= RunCode(item, op, version, owners);
                }
            }

            for (int i = 0; i < active.Count; i++)
            {
                var json = active[i].Json;
                int next = 0;
                foreach (var op in active[i].Resource.Steps[version]!.Declarations)
                {
                    switch (op.Kind)
                    {
                        case PlanOpKind.Map:
                            if (json[op.Field] is JsonValue value && value.TryGetValue(out string? text) && text == op.Value)
                            {
                                json[op.Field] = op.To;
                            }

                            break;
                        case PlanOpKind.Rename:
                            int index = json.IndexOf(op.Field);
                            if (index >= 0)
                            {
                                var renamed = json[index];
                                json.RemoveAt(index);
                                json.Insert(index, op.To!, renamed);
                            }

                            break;
                        case PlanOpKind.Hide:
                            json.Remove(op.Field);
                            break;
                        case PlanOpKind.Restore:
                            var restored = op.ConstantJson is { } constant ? JsonNode.Parse(constant) : computed[i]![next++];
                            json[op.Field] = restored;
                            created |= restored is JsonObject or JsonArray;
                            break;
                    }
                }
            }

            // Values a version created receive the older versions too, wherever resources sit inside them.
            if (created)
            {
                found = Collect(payload, owners, version - 1);
            }
        }
    }

    private List<JsonNode?>? Read(Found found, PlanStep step, int version, Owners? owners)
    {
        List<JsonNode?>? values = null;
        foreach (var op in step.Declarations)
        {
            if (op.Kind != PlanOpKind.Restore || op.ConstantJson is not null)
            {
                continue;
            }

            JsonNode? value;
            if (op.Typed is { } typed)
            {
                value = Typed(found, op, typed, version, owners);
            }
            else
            {
                // A copy: what the computation returns may be a part of what it was given, and the payload keeps its own.
                var holder = op.ReadsField is { } read
                    ? found.Json.TryGetPropertyValue(read, out var field) ? new JsonObject { [read] = field?.DeepClone() } : []
                    : found.Json.DeepClone().AsObject();
                value = RenderEngine.Compute(op.Compute!, holder, op.Change, _history.Versions[version], found.Resource.Definition.ObjectName);
            }

            (values ??= []).Add(value);
        }

        return values;
    }

    private bool RunCode(Found found, PlanOp op, int version, Owners? owners)
    {
        var json = found.Json;
        switch (op.Kind)
        {
            case PlanOpKind.Code:
                try
                {
                    op.Code!(json);
                }
                catch (Exception exception) when (exception is not RenderException)
                {
                    throw new RenderException(op.Change, found.Resource.Definition.ObjectName, _history.Versions[version], exception);
                }

                return true;
            case PlanOpKind.FieldCode when json.TryGetPropertyValue(op.Field, out var value):
                json[op.Field] = RenderEngine.FieldCode(op.Code!, value?.DeepClone(), op.Field, op.Change, _history.Versions[version], found.Resource.Definition.ObjectName);
                return true;
            case PlanOpKind.TypedFieldCode when json.ContainsKey(op.Field):
                json[op.Field] = Typed(found, op, op.Typed!, version, owners);
                return true;
            default:
                return false;
        }
    }

    // A typed value is a C# value in the current shape: every version newer than the target is undone on it, so it is
    // rendered from the latest down to the version below this one, then the older versions reach it with the payload.
    private JsonNode? Typed(Found found, PlanOp op, Func<object, object?> typed, int version, Owners? owners)
    {
        if (found.Owner is null || owners is null)
        {
            throw new RenderException(op.Change, found.Resource.Definition.ObjectName, _history.Versions[version], new InvalidOperationException(
                $"{op.Change.Name} computes '{op.Field}' from the C# object, and this '{found.Resource.Definition.ObjectName}' is raw JSON. Render the C# object instead."));
        }

        object? result;
        try
        {
            result = typed(found.Owner);
        }
        catch (Exception exception) when (exception is not RenderException)
        {
            throw new RenderException(op.Change, found.Resource.Definition.ObjectName, _history.Versions[version], exception);
        }

        return Render(result, op.TypedResult!, version - 1, owners);
    }

    /// <summary>The resources in <paramref name="payload"/>, which is in the shape of version index <paramref name="version"/>.</summary>
    private List<Found> Collect(JsonNode payload, Owners? owners, int version)
    {
        var found = new List<Found>();
        Collect(payload, owners, version, found);
        return found;
    }

    private void Collect(JsonNode? node, Owners? owners, int version, List<Found> found)
    {
        switch (node)
        {
            case JsonObject json:
                // By type where a C# value wrote the JSON; by the object field only in raw JSON.
                Resource? resource = null;
                object? owner = null;
                if (owners is not null && owners.TryGet(json, out owner))
                {
                    _byType.TryGetValue(owner.GetType(), out resource);
                }
                else if ((owners is null || !owners.IsTyped(json))
                    && json.TryGetPropertyValue("object", out var name) && name is JsonValue text && text.TryGetValue(out string? objectName))
                {
                    _byName.TryGetValue(objectName, out resource);
                }

                if (resource is not null)
                {
                    found.Add(new Found(json, resource, owner));
                    foreach (var field in resource.SearchableAt[version])
                    {
                        if (json.TryGetPropertyValue(field, out var value))
                        {
                            Collect(value, owners, version, found);
                        }
                    }
                }
                else
                {
                    foreach (var property in json)
                    {
                        Collect(property.Value, owners, version, found);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, owners, version, found);
                }

                break;
        }
    }

    /// <summary>The app's options with every resource's contract writing its owner's mark first.</summary>
    private JsonSerializerOptions MarkingOptions()
    {
        var options = Volatile.Read(ref _marking);
        if (options is null)
        {
            // The marks are numbers, and raw JSON is wrapped, which a source-generated context need not know: the last resolver gives their contracts.
            var marks = new MarkResolver(_engine.Options);
            options = new JsonSerializerOptions(_engine.Options)
            {
                TypeInfoResolver = JsonTypeInfoResolver.Combine(_engine.Options.TypeInfoResolver!.WithAddedModifier(Mark), marks),
            };
            foreach (var converter in marks.Converters)
            {
                options.Converters.Insert(0, converter);
            }
            options.MakeReadOnly();
            options = Interlocked.CompareExchange(ref _marking, options, null) ?? options;
        }

        return options;
    }

    private void Mark(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !_byType.ContainsKey(typeInfo.Type))
        {
            return;
        }

        var mark = JsonMetadataServices.CreatePropertyInfo(typeInfo.Options, new JsonPropertyInfoValues<int>
        {
            IsProperty = true,
            IsPublic = true,
            DeclaringType = typeInfo.Type,
            PropertyName = Owners.MarkName,
            JsonPropertyName = Owners.MarkName,
            Getter = Owners.Register,
        });
        mark.Order = int.MinValue;
        typeInfo.Properties.Insert(0, mark);
    }

    private sealed class MarkResolver(JsonSerializerOptions app) : IJsonTypeInfoResolver
    {
        private readonly Dictionary<Type, JsonConverter> _raw = new()
        {
            [typeof(JsonElement)] = new RawConverter<JsonElement>(app, RenderEngine.FromElement),
            [typeof(JsonNode)] = new RawConverter<JsonNode>(app, n => n),
            [typeof(JsonObject)] = new RawConverter<JsonObject>(app, n => n),
            [typeof(JsonArray)] = new RawConverter<JsonArray>(app, n => n),
        };

        public IEnumerable<JsonConverter> Converters => _raw.Values;

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) => type switch
        {
            _ when type == typeof(int) => JsonMetadataServices.CreateValueInfo<int>(options, JsonMetadataServices.Int32Converter),
            _ when type == typeof(JsonElement) => JsonMetadataServices.CreateValueInfo<JsonElement>(options, _raw[type]),
            _ when type == typeof(JsonNode) => JsonMetadataServices.CreateValueInfo<JsonNode>(options, _raw[type]),
            _ when type == typeof(JsonObject) => JsonMetadataServices.CreateValueInfo<JsonObject>(options, _raw[type]),
            _ when type == typeof(JsonArray) => JsonMetadataServices.CreateValueInfo<JsonArray>(options, _raw[type]),
            _ => null,
        };
    }

    private sealed class RawConverter<T>(JsonSerializerOptions app, Func<T, JsonNode?> node) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => Owners.WriteRaw(writer, node(value), app);
    }

    private sealed class Resource
    {
        public Resource(ResourceHistory definition, int versions)
        {
            Definition = definition;
            Steps = new PlanStep?[versions];
            foreach (var step in definition.Plan?.Steps ?? [])
            {
                Steps[step.VersionIndex] = step;
            }

            var stretches = definition.Plan?.Stretches ?? [];
            SearchableAt = new string[versions][];
            for (int version = 0; version < versions; version++)
            {
                var stretch = stretches.LastOrDefault(s => s.From <= version);
                SearchableAt[version] = stretch is null ? [] : [.. stretch.Fields.Where(f => f.HoldsResources).Select(f => f.Name)];
            }
        }

        public ResourceHistory Definition { get; }

        public PlanStep?[] Steps { get; }

        /// <summary>By version index: the fields that can hold resources in the resource's shape there.</summary>
        public string[][] SearchableAt { get; }
    }

    private sealed record Found(JsonObject Json, Resource Resource, object? Owner);
}

/// <summary>
/// What the JSON of a payload written from C# objects knows of them: the C# object behind each resource object (so that
/// typed changes can run on it), which objects and arrays a C# value wrote (never taken for a resource by their
/// <c>object</c> field: a dictionary that holds one is a dictionary), and which are raw JSON (a <c>JsonNode</c> in the
/// payload, what JSON code creates), where the <c>object</c> field is all there is to go by. While JSON is written, a
/// resource object carries its owner's number as its first property, and raw JSON is wrapped in an object of one
/// property; reading the JSON back takes marks and wrappers off, so that no code ever sees them.
/// </summary>
internal sealed class Owners
{
    public const string MarkName = "\u0000versionkit";
    public const string RawName = "\u0000versionkit-raw";

    [ThreadStatic]
    private static List<object>? t_registering;

    private readonly List<object> _objects = [];
    private readonly Dictionary<JsonObject, object> _owners = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<JsonNode> _typed = new(ReferenceEqualityComparer.Instance);

    public bool TryGet(JsonObject json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? owner) => _owners.TryGetValue(json, out owner);

    /// <summary>Whether a C# value wrote <paramref name="json"/> (and it is not raw JSON inside it).</summary>
    public bool IsTyped(JsonNode json) => _typed.Contains(json);

    /// <summary>Writes the mark of <paramref name="resource"/> (a generated writer's object).</summary>
    public void Mark(Utf8JsonWriter writer, object resource)
    {
        writer.WritePropertyName(MarkName);
        writer.WriteNumberValue(_objects.Count);
        _objects.Add(resource);
    }

    /// <summary>Serializes with the marking options, the marks numbering this table's owners.</summary>
    public JsonNode? Serialize(object? value, JsonTypeInfo typeInfo)
    {
        var outer = t_registering;
        t_registering = _objects;
        try
        {
            return JsonSerializer.SerializeToNode(value, typeInfo);
        }
        finally
        {
            t_registering = outer;
        }
    }

    /// <summary>The mark the marking options write: the owner's number in the table being filled.</summary>
    public static int Register(object owner)
    {
        var objects = t_registering ?? throw new InvalidOperationException("Resources are marked only while VersionKit serializes a payload.");
        objects.Add(owner);
        return objects.Count - 1;
    }

    /// <summary>Writes raw JSON as the marking options and writers in marking mode do: wrapped, so that reading it back knows it.</summary>
    public static void WriteRaw(Utf8JsonWriter writer, JsonNode? node, JsonSerializerOptions options)
    {
        if (node is JsonObject or JsonArray)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(RawName);
            node.WriteTo(writer, options);
            writer.WriteEndObject();
        }
        else
        {
            RenderEngine.WriteNode(writer, node, options);
        }
    }

    /// <summary>Takes every mark and wrapper off <paramref name="node"/>, keeping what they said; the node that stands in its place.</summary>
    public JsonNode? Unmark(JsonNode? node) => Unmark(node, raw: false);

    private JsonNode? Unmark(JsonNode? node, bool raw)
    {
        switch (node)
        {
            case JsonObject json:
                if (!raw && json.Count == 1 && json.TryGetPropertyValue(RawName, out var inner))
                {
                    json.Remove(RawName);
                    return Unmark(inner, raw: true);
                }

                if (!raw)
                {
                    _typed.Add(json);
                    if (json.TryGetPropertyValue(MarkName, out var mark) && mark is JsonValue number && number.TryGetValue(out int index))
                    {
                        json.Remove(MarkName);
                        _owners[json] = _objects[index];
                    }
                }

                foreach (string name in json.Select(p => p.Key).ToList())
                {
                    var child = json[name];
                    var replaced = Unmark(child, raw);
                    if (!ReferenceEquals(child, replaced))
                    {
                        json[name] = replaced;
                    }
                }

                return json;
            case JsonArray array:
                if (!raw)
                {
                    _typed.Add(array);
                }

                for (int i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    var replaced = Unmark(child, raw);
                    if (!ReferenceEquals(child, replaced))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            default:
                return node;
        }
    }

    /// <summary>
    /// Writes <paramref name="node"/> (JSON this table knows) so that reading it back into a table gives the same knowledge:
    /// the marks of resource objects, and what is not a C# value's wrapped as raw JSON.
    /// </summary>
    public void WriteMarked(Utf8JsonWriter writer, JsonNode? node, JsonSerializerOptions options)
    {
        switch (node)
        {
            case JsonObject json when IsTyped(json):
                writer.WriteStartObject();
                if (TryGet(json, out var owner))
                {
                    Mark(writer, owner);
                }

                foreach (var (name, value) in json)
                {
                    writer.WritePropertyName(name);
                    WriteMarked(writer, value, options);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array when IsTyped(array):
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteMarked(writer, item, options);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteRaw(writer, node, options);
                break;
        }
    }
}
