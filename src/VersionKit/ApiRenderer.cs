using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using VersionKit.Generated;
using VersionKit.Rendering;

namespace VersionKit;

/// <summary>
/// Renders resources, or any JSON payload made of them, at any version of an <see cref="ApiHistory"/>, wherever they sit in
/// the payload (top level, nested, in arrays, list envelopes, values typed <see cref="object"/>). By default through the
/// writers the generator emitted from the history's plan: each resource written straight in its old shape, in one pass,
/// with values no change touches written by the app's own <see cref="JsonSerializerOptions"/> (a source-generated context's
/// fast path included). Thread-safe; create one per history and options, and keep it.
/// </summary>
public sealed class ApiRenderer
{
    private readonly ApiHistory _history;
    private readonly JsonSerializerOptions _options;
    private readonly JsonWriterOptions _writerOptions;
    private readonly RenderPath _path;
    private readonly RenderEngine _engine;

    // The contract of the type rendered last: an API renders one type after another of the same kind, and the options'
    // own cache costs a lookup per call. Read and replaced whole, so a race only costs a lookup.
    private JsonTypeInfo? _lastTypeInfo;

    /// <summary>Creates a renderer, checking that <paramref name="options"/> give every resource the fields the generator expects.</summary>
    /// <param name="history">The history to render.</param>
    /// <param name="options">The app's serializer options (reflection or a source-generated context).</param>
    /// <param name="path">How old shapes are made: the generated writers (the default) or the reference chain.</param>
    /// <exception cref="InvalidOperationException">The options name a resource's fields differently from the history.</exception>
    public ApiRenderer(ApiHistory history, JsonSerializerOptions options, RenderPath path = RenderPath.Compiled)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        _history = history;
        _path = path;
        _options = WithResolver(options);
        _writerOptions = new JsonWriterOptions
        {
            Encoder = options.Encoder,
            Indented = options.WriteIndented,
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
        };
        CheckContracts();
        _engine = new RenderEngine(history, _options, _writerOptions);
        if (path == RenderPath.Compiled && !_engine.HasWriters && history.Resources.Count > 0)
        {
            throw new InvalidOperationException($"{history.GetType().Name} has no generated writers; it was not made by the VersionKit generator. Render it with RenderPath.Reference.");
        }
    }

    /// <summary>The history this renderer renders.</summary>
    public ApiHistory History => _history;

    /// <summary>Renders <paramref name="value"/> at <paramref name="version"/> as a JSON string.</summary>
    public string Render<T>(T value, ApiVersion version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Render(buffer, value, version);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Renders <paramref name="value"/> at <paramref name="version"/> as UTF-8 JSON bytes.</summary>
    public byte[] RenderToUtf8Bytes<T>(T value, ApiVersion version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Render(buffer, value, version);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Renders <paramref name="value"/> at <paramref name="version"/> into <paramref name="output"/> as UTF-8 JSON.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a version of the history.</exception>
    /// <exception cref="RenderException">A change's code threw; the exception names the change, the resource and the version.</exception>
    public void Render<T>(IBufferWriter<byte> output, T value, ApiVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        int target = Target(version);
        using var writer = new Utf8JsonWriter(output, _writerOptions);

        // Nothing changes after this version (it is the latest, or only changes with side effects follow): the app's contract writes it.
        if (!_engine.AnyChangeAfter[target])
        {
            var typeInfo = TypeInfoOf(value);
            if (typeInfo is JsonTypeInfo<T> typed)
            {
                JsonSerializer.Serialize(writer, value, typed);
            }
            else
            {
                JsonSerializer.Serialize(writer, value, typeInfo);
            }

            return;
        }

        if (_path == RenderPath.Reference)
        {
            RenderEngine.WriteNode(writer, _engine.Chain.Render(value, TypeInfoOf(value).Type, target, new Owners()), _options);
            return;
        }

        var scope = new RenderScope(_engine, target, null);
        if (value is not null && _engine.TryGetWriter(value.GetType(), out var resourceWriter))
        {
            resourceWriter.WriteObject(writer, value, scope);
        }
        else
        {
            _engine.WriteDynamic(writer, value, scope, typeof(T) == typeof(object) ? null : _options.GetTypeInfo(typeof(T)));
        }
    }

    /// <summary>Renders <paramref name="value"/> at <paramref name="version"/> as a JSON DOM.</summary>
    public JsonNode? RenderToNode<T>(T value, ApiVersion version)
        => JsonNode.Parse(RenderToUtf8Bytes(value, version));

    /// <summary>
    /// Turns a payload already serialized in the current shape into its shape at <paramref name="version"/>, in place, by the
    /// reference chain. Objects whose <c>object</c> field names a resource of the history are transformed (inside a resource,
    /// only the fields that can hold one are searched); everything else is left alone. Changes that compute a value from the
    /// C# object cannot run on raw JSON: render the C# object instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a version of the history.</exception>
    public void Transform(JsonNode? payload, ApiVersion version)
        => _engine.Chain.Apply(payload, _history.Versions.Count - 1, Target(version), null);

    private int Target(ApiVersion version)
    {
        int target = _history.IndexOf(version);
        if (target < 0)
        {
            _history.EnsureKnown(version);
        }

        return target;
    }

    private JsonTypeInfo TypeInfoOf<T>(T value)
    {
        var type = value is null ? typeof(T) : value.GetType();
        var last = _lastTypeInfo;
        if (last is null || last.Type != type)
        {
            last = _options.GetTypeInfo(type);
            _lastTypeInfo = last;
        }

        return last;
    }

    // Options made with 'new JsonSerializerOptions()' get their reflection resolver on first use; the renderer needs
    // contracts now, so it completes them the same way, where the app allows reflection at all.
    private static JsonSerializerOptions WithResolver(JsonSerializerOptions options)
    {
        if (options.TypeInfoResolver is not null)
        {
            options.MakeReadOnly();
            return options;
        }

        if (!JsonSerializer.IsReflectionEnabledByDefault)
        {
            throw new ArgumentException(
                "The serializer options have no TypeInfoResolver and reflection-based serialization is disabled; set TypeInfoResolver to the app's JsonSerializerContext.",
                nameof(options));
        }

#pragma warning disable IL2026, IL3050 // reached only when reflection-based serialization is enabled (checked above)
        options.MakeReadOnly(populateMissingResolver: true);
#pragma warning restore IL2026, IL3050
        return options;
    }

    // The generated writers write each resource's fields by the names and in the order the generator computed; the app's
    // contract must agree, or old shapes would not be the current shape walked back.
    private void CheckContracts()
    {
        var problems = new List<string>();
        foreach (var resource in _history.Resources.Where(r => r.ResourceType is not null))
        {
            JsonTypeInfo typeInfo;
            try
            {
                typeInfo = _options.GetTypeInfo(resource.ResourceType!);
            }
            catch (NotSupportedException exception)
            {
                problems.Add($"{resource.ResourceType!.Name}: the serializer options have no contract for it ({exception.Message})");
                continue;
            }

            var actual = typeInfo.Properties.Where(p => p.Get is not null && !p.IsExtensionData).Select(p => p.Name).ToList();
            var expected = resource.CurrentFields;
            if (!actual.SequenceEqual(expected, StringComparer.Ordinal))
            {
                problems.Add(actual.ToHashSet(StringComparer.Ordinal).SetEquals(expected)
                    ? $"{resource.ResourceType!.Name} serializes its fields in the order [{string.Join(", ", actual)}] but the history expects [{string.Join(", ", expected)}]"
                    : $"{resource.ResourceType!.Name} serializes as [{string.Join(", ", actual.Order(StringComparer.Ordinal))}] but the history expects [{string.Join(", ", expected.Order(StringComparer.Ordinal))}]");
            }

            if (typeInfo.Properties.Any(p => p.IsExtensionData))
            {
                problems.Add($"{resource.ResourceType!.Name} has [JsonExtensionData]; a resource's fields must all be known to its history");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The JSON serializer options do not match {_history.GetType().Name} (declared naming policy: {_history.NamingPolicy}). "
                + "Set NamingPolicy on [ApiHistory] to the options' PropertyNamingPolicy, or name the fields with [JsonPropertyName]. "
                + string.Join("; ", problems) + ".");
        }
    }
}

/// <summary>How a renderer makes old shapes.</summary>
public enum RenderPath
{
    /// <summary>
    /// The writers the generator emitted from the history's plan: each resource written straight in its old shape, in one pass.
    /// Resources whose newer history runs code on the whole object are written up to that change, then finished by the reference chain.
    /// </summary>
    Compiled,

    /// <summary>Serialize the current shape to a JSON DOM, then undo every newer version in turn: plain, obviously correct, slower.</summary>
    Reference,
}

/// <summary>A code transformation threw while a payload was rendered; says which change, resource and version.</summary>
public sealed class RenderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RenderException(Type changeType, string? resource, ApiVersion version, Exception inner)
        : base($"Version change {changeType.Name} ({version}) failed on resource '{resource}': {inner.Message}", inner)
    {
        ChangeType = changeType;
        Resource = resource;
        Version = version;
    }

    /// <summary>The change whose transformation threw.</summary>
    public Type ChangeType { get; }

    /// <summary>The object name of the resource it was transforming.</summary>
    public string? Resource { get; }

    /// <summary>The version of the change.</summary>
    public ApiVersion Version { get; }
}
