using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using VersionKit.Rendering;

namespace VersionKit.Generated;

/// <summary>What a renderer gives every generated writer: the app's contracts, pre-encoded names, the other writers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WriterContext
{
    internal WriterContext(RenderEngine engine) => Engine = engine;

    internal RenderEngine Engine { get; }

    /// <summary>The names a writer writes, encoded once with the app's encoder.</summary>
    public JsonEncodedText[] Names(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return [.. names.Select(n => JsonEncodedText.Encode(n, Engine.Options.Encoder))];
    }

    /// <summary>How the app's contract writes the property of <typeparamref name="TOwner"/> serialized as <paramref name="jsonName"/>.</summary>
    public PropertySlot<TOwner, TValue> Property<TOwner, TValue>(string jsonName)
    {
        var owner = Engine.Options.GetTypeInfo(typeof(TOwner));
        var property = owner.Properties.FirstOrDefault(p => p.Name == jsonName)
            ?? throw new InvalidOperationException($"{typeof(TOwner).Name} has no property serialized as '{jsonName}' in the app's JSON options.");
        return new PropertySlot<TOwner, TValue>(property, Value<TValue>(), Engine.Options);
    }

    /// <summary>How the app's contract writes a value of <typeparamref name="TValue"/>.</summary>
    public ValueSlot<TValue> Value<TValue>() => Engine.Slot<TValue>();

    /// <summary>The writer of <typeparamref name="T"/> (a resource or a carrier).</summary>
    public ResourceWriter<T> Writer<T>() => Engine.Writer<T>();

    /// <summary>A constant as this renderer writes it: JSON text parsed once and written with the app's encoder.</summary>
    public ConstantValue Constant(string json) => new(json, Engine);
}

/// <summary>A restored constant, written as the reference chain writes the same JSON.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ConstantValue
{
    private readonly byte[]? _scalar;
    private readonly JsonNode? _node;
    private readonly JsonSerializerOptions _options;

    internal ConstantValue(string json, RenderEngine engine)
    {
        _options = engine.Options;
        _node = JsonNode.Parse(json);
        if (_node is not (JsonObject or JsonArray))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, engine.WriterOptions with { Indented = false }))
            {
                RenderEngine.WriteNode(writer, _node, _options);
            }

            _scalar = buffer.WrittenSpan.ToArray();
        }
    }

    /// <summary>The constant as a new node.</summary>
    public JsonNode? ToNode() => _node?.DeepClone();

    /// <summary>Writes the constant.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        if (_scalar is not null)
        {
            writer.WriteRawValue(_scalar, skipInputValidation: true);
        }
        else
        {
            _node!.WriteTo(writer, _options);
        }
    }
}

/// <summary>
/// How the app's contract writes a value of <typeparamref name="T"/>: System.Text.Json's generated fast path where the options
/// let System.Text.Json use it, the type's own converter for simple values, the serializer otherwise.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ValueSlot<T>
{
    private readonly Action<Utf8JsonWriter, T>? _handler;
    private readonly JsonConverter<T>? _converter;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly Dictionary<object, string>? _enumText;

    internal ValueSlot(JsonTypeInfo<T> typeInfo, bool numbersAsIs)
    {
        _typeInfo = typeInfo;
        TypeInfo = typeInfo;
        if (typeInfo.SerializeHandler is { } handler && FastPath.CanUse(typeInfo))
        {
            _handler = handler;
        }
        else if (typeInfo.Kind == JsonTypeInfoKind.None && numbersAsIs && typeInfo.Converter is JsonConverter<T> converter)
        {
            _converter = converter;
        }

        IsBuiltIn = typeInfo.Converter.GetType().Assembly == typeof(JsonSerializer).Assembly;
    }

    internal ValueSlot(JsonTypeInfo<T> typeInfo, bool numbersAsIs, Dictionary<object, string>? enumText)
        : this(typeInfo, numbersAsIs)
        => _enumText = enumText;

    /// <summary>The app's contract for the type, for polymorphic dispatch.</summary>
    public JsonTypeInfo<T> TypeInfo { get; }

    /// <summary>Whether the contract's converter is System.Text.Json's own.</summary>
    internal bool IsBuiltIn { get; }

    /// <summary>Writes <paramref name="value"/> as the app's contract does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(Utf8JsonWriter writer, T value)
    {
        if (_handler is { } handler)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                handler(writer, value);
            }
        }
        else if (_converter is { } converter)
        {
            if (value is null && !converter.HandleNull)
            {
                writer.WriteNullValue();
            }
            else
            {
                converter.Write(writer, value, _typeInfo.Options);
            }
        }
        else
        {
            JsonSerializer.Serialize(writer, value, _typeInfo);
        }
    }

    /// <summary>The JSON string the app writes for <paramref name="value"/>, or <see langword="null"/> when it writes no string: what a value map compares.</summary>
    public string? TextOf(T value)
    {
        if (value is null)
        {
            return null;
        }

        if (_enumText is not null)
        {
            return _enumText.TryGetValue(value, out string? text) ? text : null;
        }

        if (value is string plain && IsBuiltIn && _handler is null)
        {
            return plain;
        }

        var node = JsonSerializer.SerializeToNode(value, _typeInfo);
        return node is JsonValue json && json.TryGetValue(out string? written) ? written : null;
    }
}

/// <summary>How the app's contract writes one property: its name, its ignore condition, its converter.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PropertySlot<TOwner, TValue>
{
    private readonly Func<object, object?, bool>? _shouldSerialize;
    private readonly JsonConverter<TValue>? _custom;
    private readonly JsonSerializerOptions _options;

    internal PropertySlot(JsonPropertyInfo property, ValueSlot<TValue> value, JsonSerializerOptions options)
    {
        Value = value;
        _options = options;
        _shouldSerialize = property.ShouldSerialize;
        if (property.NumberHandling is not null)
        {
            throw new InvalidOperationException(
                $"Property '{property.Name}' of {typeof(TOwner).Name} sets its own number handling ([JsonNumberHandling]); VersionKit writes resources' properties with the options' number handling only. Set JsonSerializerOptions.NumberHandling instead.");
        }

        if (property.CustomConverter is { } custom)
        {
            _custom = custom as JsonConverter<TValue>
                ?? throw new InvalidOperationException($"Property '{property.Name}' of {typeof(TOwner).Name} has a converter factory ({custom.GetType().Name}); VersionKit needs a JsonConverter<{typeof(TValue).Name}> there.");
        }

        Direct = _shouldSerialize is null && _custom is null && value.IsBuiltIn
            && options.NumberHandling == JsonNumberHandling.Strict && value.TypeInfo.Kind == JsonTypeInfoKind.None;
        Declared = value.TypeInfo;
    }

    /// <summary>
    /// Whether generated code may write the value itself (<c>Utf8JsonWriter.WriteString</c>, <c>WriteNumber</c>...): the app's
    /// contract for it is System.Text.Json's own, with no ignore condition, converter or number handling of its own.
    /// </summary>
    public bool Direct { get; }

    /// <summary>How the app writes the property's type.</summary>
    public ValueSlot<TValue> Value { get; }

    /// <summary>The app's contract for the property's declared type, for polymorphic dispatch.</summary>
    public JsonTypeInfo Declared { get; }

    /// <summary>Whether the app's contract leaves this value out (an ignore condition).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Skips(TOwner owner, TValue value) => _shouldSerialize is { } should && !should(owner!, value);

    /// <summary>Writes the property, name and value, as the app's contract does (nothing when it is left out).</summary>
    public void Write(Utf8JsonWriter writer, JsonEncodedText name, TOwner owner, TValue value)
    {
        if (Skips(owner, value))
        {
            return;
        }

        writer.WritePropertyName(name);
        WriteValue(writer, value);
    }

    /// <summary>Writes the property's value as the app's contract does.</summary>
    public void WriteValue(Utf8JsonWriter writer, TValue value)
    {
        if (_custom is { } custom)
        {
            if (value is null && !custom.HandleNull)
            {
                writer.WriteNullValue();
            }
            else
            {
                custom.Write(writer, value, _options);
            }
        }
        else
        {
            Value.Write(writer, value);
        }
    }

    /// <summary>The JSON string the app writes for <paramref name="value"/>, or <see langword="null"/>: what a value map compares.</summary>
    public string? TextOf(TValue value)
    {
        if (_custom is null)
        {
            return Value.TextOf(value);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, value);
        }

        return JsonNode.Parse(buffer.WrittenSpan) is JsonValue json && json.TryGetValue(out string? text) ? text : null;
    }
}

/// <summary>
/// Whether System.Text.Json would run a contract's generated serialization code (<see cref="JsonTypeInfo{T}.SerializeHandler"/>):
/// it does only when the options are compatible with those the context was generated for, and says so in an internal flag.
/// Generated writers call the handler of values nothing changes directly, as System.Text.Json's own generated code does for
/// nested values; without the flag they fall back to <see cref="JsonSerializer"/>, which is correct and slower.
/// </summary>
internal static class FastPath
{
    public static bool CanUse(JsonTypeInfo typeInfo)
    {
        try
        {
            return CanUseSerializeHandler(typeInfo);
        }
        catch (MissingMethodException)
        {
            return false;
        }
    }

    /// <summary>Whether this runtime's System.Text.Json still has the flag (a test holds it, so that a runtime that drops it is noticed).</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                _ = CanUseSerializeHandler(JsonMetadataServices.CreateValueInfo<string>(new JsonSerializerOptions(), JsonMetadataServices.StringConverter));
                return true;
            }
            catch (MissingMethodException)
            {
                return false;
            }
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_CanUseSerializeHandler")]
    private static extern bool CanUseSerializeHandler(JsonTypeInfo typeInfo);
}
