using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using VersionKit.Generated;

namespace VersionKit.Rendering;

/// <summary>
/// What one renderer holds: the app's options, the generated writers (resources and carriers) bound to them, the reference
/// chain, and the fallback serializer options per target for values whose type only System.Text.Json knows.
/// </summary>
internal sealed class RenderEngine
{
    private readonly ConcurrentDictionary<Type, object> _slots = new();
    private readonly FrozenDictionary<Type, ResourceWriter> _writers;
    private readonly JsonSerializerOptions?[] _targetOptions;

    public RenderEngine(ApiHistory history, JsonSerializerOptions options, JsonWriterOptions writerOptions)
    {
        History = history;
        Options = options;
        WriterOptions = writerOptions;
        Chain = new ReferenceChain(history, this);
        _targetOptions = new JsonSerializerOptions?[history.Versions.Count];
        var context = new WriterContext(this);
        var writers = new Dictionary<Type, ResourceWriter>();
        Writers = writers;
        foreach (var writer in history.CreateWriters(context))
        {
            writers[writer.Type] = writer;
        }

        _writers = writers.ToFrozenDictionary();
        Writers = _writers;
        AnyChangeAfter = new bool[history.Versions.Count];
        var changesAt = new bool[history.Versions.Count];
        foreach (var resource in history.Resources)
        {
            foreach (var step in resource.Plan?.Steps ?? [])
            {
                changesAt[step.VersionIndex] = true;
                for (int target = 0; target < step.VersionIndex; target++)
                {
                    AnyChangeAfter[target] = true;
                }
            }
        }

        ChangeCountAfter = new int[history.Versions.Count];
        for (int index = history.Versions.Count - 2; index >= 0; index--)
        {
            ChangeCountAfter[index] = ChangeCountAfter[index + 1] + (changesAt[index + 1] ? 1 : 0);
        }

        MarkUnaffected();
    }

    public ApiHistory History { get; }

    public JsonSerializerOptions Options { get; }

    public JsonWriterOptions WriterOptions { get; }

    public ReferenceChain Chain { get; }

    /// <summary>Per target version index: whether any resource changes after it.</summary>
    public bool[] AnyChangeAfter { get; }

    public IReadOnlyDictionary<Type, ResourceWriter> Writers { get; private set; }

    public bool HasWriters => _writers.Count > 0;

    public ResourceWriter<T> Writer<T>()
        => _writers.TryGetValue(typeof(T), out var writer) ? (ResourceWriter<T>)writer
            : throw new InvalidOperationException($"The history has no writer for {typeof(T).Name}; rebuild it with the current VersionKit generator.");

    public bool TryGetWriter(Type type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceWriter? writer) => _writers.TryGetValue(type, out writer);

    public ValueSlot<T> Slot<T>()
        => (ValueSlot<T>)_slots.GetOrAdd(typeof(T), static (_, engine) => engine.CreateSlot<T>(), this);

    private ValueSlot<T> CreateSlot<T>()
    {
        var typeInfo = (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
        bool numbersAsIs = Options.NumberHandling == JsonNumberHandling.Strict;
        Dictionary<object, string>? enumText = null;
        var underlying = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (underlying.IsEnum)
        {
            enumText = EnumText(typeInfo, underlying);
        }

        return new ValueSlot<T>(typeInfo, numbersAsIs, enumText);
    }

    // What the app writes for each value of an enum, so that value maps compare JSON strings as the reference chain does.
    private static Dictionary<object, string> EnumText<T>(JsonTypeInfo<T> typeInfo, Type enumType)
    {
        var texts = new Dictionary<object, string>();
        foreach (var value in Enum.GetValuesAsUnderlyingType(enumType))
        {
            object member = Enum.ToObject(enumType, value);
            if (JsonSerializer.SerializeToNode((T)member, typeInfo) is JsonValue json && json.TryGetValue(out string? text))
            {
                texts[member] = text;
            }
        }

        return texts;
    }

    // A writer is unaffected at a target when nothing it can hold changes after it: then the app's own contract writes it.
    private void MarkUnaffected()
    {
        int count = History.Versions.Count;
        var affected = _writers.Values.ToDictionary(w => w, w => new bool[count]);
        foreach (var (writer, flags) in affected)
        {
            var (_, dynamic) = writer.Dependencies;
            for (int target = 0; target < count; target++)
            {
                flags[target] = (writer.Resource?.Plan is { } plan && plan.Steps.Any(s => s.VersionIndex > target)) || (dynamic && AnyChangeAfter[target]);
            }
        }

        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (writer, flags) in affected)
            {
                foreach (var held in writer.Dependencies.Holds)
                {
                    if (!_writers.TryGetValue(held, out var other))
                    {
                        continue;
                    }

                    var heldFlags = affected[other];
                    for (int target = 0; target < count; target++)
                    {
                        if (heldFlags[target] && !flags[target])
                        {
                            flags[target] = true;
                            changed = true;
                        }
                    }
                }
            }
        }

        foreach (var (writer, flags) in affected)
        {
            writer.Unaffected = [.. flags.Select(f => !f)];
        }
    }

    /// <summary>A value known only at run time, at the scope's target.</summary>
    public void WriteDynamic(Utf8JsonWriter writer, object? value, in RenderScope scope, JsonTypeInfo? declared)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        var type = value.GetType();
        if (_writers.TryGetValue(type, out var resourceWriter))
        {
            if (declared?.PolymorphismOptions is { } polymorphism && Discriminator(polymorphism, type) is { } discriminator)
            {
                resourceWriter.WriteObject(writer, value, new RenderScope(this, scope.Target, new RenderState(scope.State, polymorphism.TypeDiscriminatorPropertyName, discriminator)));
            }
            else
            {
                resourceWriter.WriteObject(writer, value, scope);
            }

            return;
        }

        // The reference chain will read what is written (a resource under code on the whole object): raw JSON and values
        // whose type only System.Text.Json knows are written so that it can tell C# values, their resources and raw JSON apart.
        if (scope.State?.Owners is { } owners)
        {
            var type_ = value is JsonElement or JsonNode ? null : (declared is { PolymorphismOptions: not null } ? declared.Type : type);
            var node = type_ is null
                ? (value is JsonElement element ? FromElement(element) : ((JsonNode)value).DeepClone())
                : Chain.Render(value, type_, scope.Target, owners);
            if (type_ is null)
            {
                Chain.Apply(node, History.Versions.Count - 1, scope.Target, null);
                Owners.WriteRaw(writer, node, Options);
            }
            else
            {
                owners.WriteMarked(writer, node, Options);
            }

            return;
        }

        switch (value)
        {
            case JsonNode node:
                var copy = node.DeepClone();
                Chain.Apply(copy, History.Versions.Count - 1, scope.Target, null);
                WriteNode(writer, copy, Options);
                return;
            case JsonElement element:
                var elementCopy = FromElement(element);
                Chain.Apply(elementCopy, History.Versions.Count - 1, scope.Target, null);
                WriteNode(writer, elementCopy, Options);
                return;
        }

        if (!AnyChangeAfter[scope.Target])
        {
            JsonSerializer.Serialize(writer, value, declared is { PolymorphismOptions: not null } ? declared : Options.GetTypeInfo(type));
            return;
        }

        var options = TargetOptions(scope.Target);
        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(declared is { PolymorphismOptions: not null } ? declared.Type : type));
    }

    private static object? Discriminator(JsonPolymorphismOptions polymorphism, Type type)
        => polymorphism.DerivedTypes.FirstOrDefault(d => d.DerivedType == type).TypeDiscriminator;

    public static JsonNode? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => JsonValue.Create(element),
    };

    public static void WriteNode(Utf8JsonWriter writer, JsonNode? node, JsonSerializerOptions options)
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
    /// The fallback serializer options of one target: the app's, with the generated writers as converters and raw JSON through
    /// the reference chain, for values whose type only System.Text.Json knows (a dictionary of objects, an anonymous type).
    /// </summary>
    public JsonSerializerOptions TargetOptions(int target)
    {
        var options = Volatile.Read(ref _targetOptions[target]);
        if (options is not null)
        {
            return options;
        }

        var raw = new RawJsonResolver(this, target);
        options = new JsonSerializerOptions(Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(Options.TypeInfoResolver!, raw),
        };
        foreach (var converter in _writers.Values.Select(w => w.CreateConverter(target)).Concat(raw.Converters))
        {
            options.Converters.Insert(0, converter);
        }

        options.MakeReadOnly();
        return Interlocked.CompareExchange(ref _targetOptions[target], options, null) ?? options;
    }

    /// <summary>A resource whose newer history runs code on the whole object: written at <paramref name="domFrom"/>, then taken to the target by the reference chain.</summary>
    public void WriteThroughReferenceChain<T>(Utf8JsonWriter writer, T value, ResourceWriter<T> resourceWriter, int domFrom, in RenderScope scope)
    {
        // Inside a render the chain will read too, one table of owners for both, so that the resources inside keep their C# objects.
        var owners = scope.State?.Owners ?? new Owners();
        var state = new RenderState(null, null, null) { Owners = owners };
        var node = owners.Unmark(Capture(new RenderScope(this, domFrom, state), value, resourceWriter.Write));
        Chain.Apply(node, domFrom, scope.Target, owners);
        if (scope.State is null)
        {
            WriteNode(writer, node, Options);
            return;
        }

        // What the outer render asked of this object (a discriminator, the owner's mark) goes on it as written.
        if (node is JsonObject json)
        {
            scope.Start(writer, value!);
            foreach (var (name, property) in json)
            {
                writer.WritePropertyName(name);
                owners.WriteMarked(writer, property, Options);
            }

            writer.WriteEndObject();
        }
        else
        {
            owners.WriteMarked(writer, node, Options);
        }
    }

    public JsonNode? Capture<TValue>(int at, TValue value, ValueWriter<TValue> write)
        => Capture(new RenderScope(this, at, null), value, write);

    private JsonNode? Capture<TValue>(in RenderScope scope, TValue value, ValueWriter<TValue> write)
    {
        var buffer = CaptureBuffer.Rent(this);
        try
        {
            write(buffer.Writer, value, scope);
            return buffer.Parse();
        }
        finally
        {
            buffer.Return();
        }
    }

    public JsonObject CaptureField<TOwner>(int at, TOwner owner, JsonEncodedText name, FieldWriter<TOwner> field)
    {
        var buffer = CaptureBuffer.Rent(this);
        try
        {
            buffer.Writer.WriteStartObject();
            field(buffer.Writer, name, owner, new RenderScope(this, at, null));
            buffer.Writer.WriteEndObject();
            return buffer.Parse()!.AsObject();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>Whether any resource changes at a version in (<paramref name="target"/>, <paramref name="from"/>]: else a created value has nothing to undo.</summary>
    public bool AnyChangeBetween(int target, int from) => from > target && ChangeCountAfter[target] != ChangeCountAfter[Math.Min(from, ChangeCountAfter.Length - 1)];

    /// <summary>Per target version index: how many versions after it change a resource.</summary>
    private int[] ChangeCountAfter { get; set; } = [];

    // What a value a change computes from JSON is written into before it is read back as JSON: one per thread, reused,
    // a second one while the first is in use (a capture inside a capture).
    private sealed class CaptureBuffer
    {
        [ThreadStatic]
        private static CaptureBuffer? t_free;

        private readonly ArrayBufferWriter<byte> _bytes = new(256);
        private RenderEngine? _engine;

        public Utf8JsonWriter Writer { get; private set; } = null!;

        public static CaptureBuffer Rent(RenderEngine engine)
        {
            var buffer = t_free ?? new CaptureBuffer();
            t_free = null;
            if (buffer._engine != engine)
            {
                buffer.Writer = new Utf8JsonWriter(buffer._bytes, engine.WriterOptions with { Indented = false });
                buffer._engine = engine;
            }
            else
            {
                buffer.Writer.Reset(buffer._bytes);
            }

            buffer._bytes.ResetWrittenCount();
            return buffer;
        }

        public JsonNode? Parse()
        {
            Writer.Flush();
            return JsonNode.Parse(_bytes.WrittenSpan);
        }

        public void Return() => t_free = this;
    }

    public static JsonNode? Compute(Func<JsonObject, JsonNode?> compute, JsonObject holder, Type change, ApiVersion version, string? resource)
    {
        try
        {
            var value = compute(holder);
            return value?.Parent is null ? value : value.DeepClone();
        }
        catch (Exception exception) when (exception is not RenderException)
        {
            throw new RenderException(change, resource, version, exception);
        }
    }

    public static JsonNode? FieldCode(Action<JsonObject> code, JsonNode? value, string field, Type change, ApiVersion version, string? resource)
    {
        var holder = new JsonObject { [field] = value };
        try
        {
            code(holder);
        }
        catch (Exception exception) when (exception is not RenderException)
        {
            throw new RenderException(change, resource, version, exception);
        }

        holder.TryGetPropertyValue(field, out var result);
        holder.Remove(field);
        return result;
    }

    private sealed class RawJsonResolver(RenderEngine engine, int target) : IJsonTypeInfoResolver
    {
        private readonly Dictionary<Type, JsonConverter> _converters = new()
        {
            [typeof(JsonElement)] = new RawConverter<JsonElement>(engine, target, FromElement),
            [typeof(JsonNode)] = new RawConverter<JsonNode>(engine, target, n => n.DeepClone()),
            [typeof(JsonObject)] = new RawConverter<JsonObject>(engine, target, n => n.DeepClone()),
            [typeof(JsonArray)] = new RawConverter<JsonArray>(engine, target, n => n.DeepClone()),
        };

        public IEnumerable<JsonConverter> Converters => _converters.Values;

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) => type switch
        {
            _ when type == typeof(JsonElement) => JsonMetadataServices.CreateValueInfo<JsonElement>(options, _converters[type]),
            _ when type == typeof(JsonNode) => JsonMetadataServices.CreateValueInfo<JsonNode>(options, _converters[type]),
            _ when type == typeof(JsonObject) => JsonMetadataServices.CreateValueInfo<JsonObject>(options, _converters[type]),
            _ when type == typeof(JsonArray) => JsonMetadataServices.CreateValueInfo<JsonArray>(options, _converters[type]),
            _ => null,
        };
    }

    private sealed class RawConverter<T>(RenderEngine engine, int target, Func<T, JsonNode?> copy) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var node = copy(value);
            engine.Chain.Apply(node, engine.History.Versions.Count - 1, target, null);
            WriteNode(writer, node, engine.Options);
        }
    }
}

/// <summary>What a render carries along: a type discriminator to write on the next object, and the owners of the resources written (when the reference chain reads the result).</summary>
internal sealed class RenderState(RenderState? outer, string? discriminatorName, object? discriminator)
{
    private string? _discriminatorName = discriminatorName;

    public Owners? Owners { get; init; } = outer?.Owners;

    public void OnStart(Utf8JsonWriter writer, object resource)
    {
        if (_discriminatorName is { } name)
        {
            _discriminatorName = null;
            writer.WritePropertyName(name);
            switch (discriminator)
            {
                case int number:
                    writer.WriteNumberValue(number);
                    break;
                default:
                    writer.WriteStringValue(discriminator?.ToString());
                    break;
            }
        }

        Owners?.Mark(writer, resource);
    }
}
