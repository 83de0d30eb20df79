using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VersionKit;

/// <summary>
/// Renders resources, or any JSON payload made of them, at any version of an <see cref="ApiHistory"/>: it serializes the
/// current shape with the app's own <see cref="JsonSerializerOptions"/>, then walks back through every change newer than
/// the target, newest first, applying each to the objects of the resources it affects wherever they sit in the payload
/// (top level, nested, in arrays and in list envelopes). Thread-safe; create one per history and options.
/// </summary>
public sealed class ApiRenderer
{
    private readonly ApiHistory _history;
    private readonly JsonSerializerOptions _options;
    private readonly JsonWriterOptions _writerOptions;
    private readonly RenderPath _path;
    private readonly int[] _canonical;
    private readonly VersionContracts?[] _contracts;

    /// <summary>Creates a renderer, checking that <paramref name="options"/> give every resource the fields the generator expects.</summary>
    /// <param name="history">The history to render.</param>
    /// <param name="options">The app's serializer options (reflection or a source-generated context).</param>
    /// <param name="path">How old shapes are made: compiled contracts (the default) or the reference chain.</param>
    /// <exception cref="InvalidOperationException">The options name a resource's fields differently from the history.</exception>
    public ApiRenderer(ApiHistory history, JsonSerializerOptions options, RenderPath path = RenderPath.Compiled)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        _history = history;
        _path = path;
        _options = WithResolver(options);
        _contracts = new VersionContracts?[history.Versions.Count];
        _canonical = Canonical(history);
        _writerOptions = new JsonWriterOptions
        {
            Encoder = options.Encoder,
            Indented = options.WriteIndented,
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
        };
        CheckFieldNames();
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
    public void Render<T>(IBufferWriter<byte> output, T value, ApiVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        _history.EnsureKnown(version);
        var typeInfo = TypeInfoOf(value);
        using var writer = new Utf8JsonWriter(output, _writerOptions);
        int target = _history.IndexOf(version);

        // Nothing changed after this version (it is the latest, or only changes with side effects followed): the current shape is its shape.
        if (_canonical[target] == _canonical.Length - 1)
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
            return;
        }

        if (_path == RenderPath.Compiled)
        {
            var contracts = ContractsFor(target);
            JsonSerializer.Serialize(writer, value, contracts.Affects(typeInfo.Type) ? contracts.Options.GetTypeInfo(typeInfo.Type) : typeInfo);
            return;
        }

        var node = JsonSerializer.SerializeToNode(value, typeInfo);
        Transform(node, version);
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer, _options);
        }
    }

    // Targets between two versions that change something render alike: they share one set of contracts.
    private VersionContracts ContractsFor(int target)
    {
        int canonical = _canonical[target];
        var contracts = Volatile.Read(ref _contracts[canonical]);
        if (contracts is null)
        {
            contracts = new VersionContracts(_history, _options, canonical, (node, index) => Transform(node, _history.Versions[index]));
            contracts = Interlocked.CompareExchange(ref _contracts[canonical], contracts, null) ?? contracts;
        }

        return contracts;
    }

    private static int[] Canonical(ApiHistory history)
    {
        int count = history.Versions.Count;
        var changesAt = new bool[count];
        foreach (var resource in history.Resources)
        {
            foreach (var step in resource.Steps)
            {
                changesAt[history.IndexOf(step.Version)] = true;
            }
        }

        var canonical = new int[count];
        canonical[count - 1] = count - 1;
        for (int index = count - 2; index >= 0; index--)
        {
            canonical[index] = changesAt[index + 1] ? index : canonical[index + 1];
        }

        return canonical;
    }

    /// <summary>Renders <paramref name="value"/> at <paramref name="version"/> as a JSON DOM.</summary>
    public JsonNode? RenderToNode<T>(T value, ApiVersion version)
    {
        _history.EnsureKnown(version);
        var node = JsonSerializer.SerializeToNode(value, TypeInfoOf(value));
        Transform(node, version);
        return node;
    }

    /// <summary>
    /// Turns a payload already serialized in the current shape into its shape at <paramref name="version"/>, in place.
    /// Objects whose <c>object</c> field names a resource of the history are transformed; everything else is left alone.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a version of the history.</exception>
    public void Transform(JsonNode? payload, ApiVersion version)
    {
        int target = _history.IndexOf(version);
        if (target < 0)
        {
            _history.EnsureKnown(version);
        }

        if (payload is null || target == _history.Versions.Count - 1)
        {
            return;
        }

        var objects = new List<(JsonObject Json, ChangeStep[]?[] Steps)>();
        Collect(payload, objects);
        for (int index = _history.Versions.Count - 1; index > target; index--)
        {
            bool reshaped = false;
            foreach (var (json, steps) in objects)
            {
                if (steps[index] is not { } stepsAtVersion)
                {
                    continue;
                }

                foreach (var step in stepsAtVersion)
                {
                    try
                    {
                        step.Apply(json);
                    }
                    catch (Exception exception) when (exception is not RenderException)
                    {
                        throw new RenderException(step.ChangeType, ObjectNameOf(json), step.Version, exception);
                    }

                    reshaped |= step.IsCode;
                }
            }

            // Code may have replaced nested objects; find the resources again so that older changes see the new ones.
            if (reshaped)
            {
                objects.Clear();
                Collect(payload, objects);
            }
        }
    }

    private void Collect(JsonNode node, List<(JsonObject, ChangeStep[]?[])> objects)
    {
        switch (node)
        {
            case JsonObject json:
                if (ObjectNameOf(json) is { } objectName && _history.StepsByVersionIndex(objectName) is { } steps)
                {
                    objects.Add((json, steps));
                }

                foreach (var property in json)
                {
                    if (property.Value is JsonObject or JsonArray)
                    {
                        Collect(property.Value, objects);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonObject or JsonArray)
                    {
                        Collect(item, objects);
                    }
                }

                break;
        }
    }

    private static string? ObjectNameOf(JsonObject json)
        => json.TryGetPropertyValue("object", out var value) && value is JsonValue text && text.TryGetValue(out string? name) ? name : null;

    private JsonTypeInfo TypeInfoOf<T>(T value)
        => _options.GetTypeInfo(value is null ? typeof(T) : value.GetType());

    // Options made with 'new JsonSerializerOptions()' get their reflection resolver on first use; the renderer needs
    // contracts now, so it completes them the same way, where the app allows reflection at all.
    private static JsonSerializerOptions WithResolver(JsonSerializerOptions options)
    {
        if (options.TypeInfoResolver is not null)
        {
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

    private void CheckFieldNames()
    {
        var problems = new List<string>();
        foreach (var resource in _history.Resources)
        {
            JsonTypeInfo typeInfo;
            try
            {
                typeInfo = _options.GetTypeInfo(resource.ResourceType);
            }
            catch (NotSupportedException exception)
            {
                problems.Add($"{resource.ResourceType.Name}: the serializer options have no contract for it ({exception.Message})");
                continue;
            }

            var actual = typeInfo.Properties.Where(p => p.Get is not null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var expected = resource.CurrentFields.ToHashSet(StringComparer.Ordinal);
            if (!actual.SetEquals(expected))
            {
                problems.Add($"{resource.ResourceType.Name} serializes as [{string.Join(", ", actual.Order(StringComparer.Ordinal))}] but the history expects [{string.Join(", ", expected.Order(StringComparer.Ordinal))}]");
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
    /// Per version, serializer contracts that write each resource directly in its old shape, in one pass; resources whose
    /// chains hold code go through the reference chain. As fast as serializing the current shape.
    /// </summary>
    Compiled,

    /// <summary>Serialize the current shape to a JSON DOM, then apply every change in turn: plain, obviously correct, slower.</summary>
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
