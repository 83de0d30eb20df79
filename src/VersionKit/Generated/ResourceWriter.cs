using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using VersionKit.Rendering;

namespace VersionKit.Generated;

/// <summary>Writes a value at the scope's target version. Generated code hands these to the slow path.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ValueWriter<in T>(Utf8JsonWriter writer, T value, in RenderScope scope);

/// <summary>Writes one field (name and value) of <typeparamref name="TOwner"/> at the scope's target version.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void FieldWriter<in TOwner>(Utf8JsonWriter writer, JsonEncodedText name, TOwner owner, in RenderScope scope);

/// <summary>A writer the generator emitted for a resource (one method per shape) or for a carrier (a type that holds resources).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ResourceWriter
{
    /// <summary>Only <see cref="ResourceWriter{T}"/> derives from it: its members are the renderer's.</summary>
    protected ResourceWriter()
    {
    }

    /// <summary>The type it writes.</summary>
    public abstract Type Type { get; }

    /// <summary>The writer types its values can hold, and whether any is known only at run time: what decides where it is affected.</summary>
    internal abstract (IReadOnlyList<Type> Holds, bool HoldsDynamic) Dependencies { get; }

    internal abstract ResourceHistory? Resource { get; }

    /// <summary>Per target version index: whether nothing in this writer's values changes after it, so that the app's own contract writes it.</summary>
    internal bool[] Unaffected { get; set; } = [];

    internal abstract void WriteObject(Utf8JsonWriter writer, object value, in RenderScope scope);

    internal abstract JsonConverter CreateConverter(int target);
}

/// <summary>
/// The base of every generated writer of <typeparamref name="T"/>. It picks the stretch of the target version, hands values
/// that nothing changes to the app's own contract, and resources whose newer history runs code on the whole object to the
/// reference chain; the generated class writes each stretch.
/// </summary>
/// <typeparam name="T">The resource or carrier type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ResourceWriter<T> : ResourceWriter
{
    private readonly ValueSlot<T> _current;
    private readonly int[] _stretchOf;
    private readonly int[] _domFrom;
    private readonly Type[] _holds;
    private readonly bool _holdsDynamic;

    /// <summary>Called by a generated writer.</summary>
    /// <param name="context">What the renderer gives every writer.</param>
    /// <param name="objectName">The resource's object name; <see langword="null"/> for a carrier.</param>
    /// <param name="holds">The writer types its values (properties and typed results) can hold.</param>
    /// <param name="holdsDynamic">Whether a value is known only at run time (<c>object</c>, an interface, raw JSON...).</param>
    protected ResourceWriter(WriterContext context, string? objectName, Type[] holds, bool holdsDynamic)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        Engine = context.Engine;
        _holds = holds;
        _holdsDynamic = holdsDynamic;
        _current = context.Value<T>();
        int versions = Engine.History.Versions.Count;
        _stretchOf = new int[versions];
        if (objectName is not null && Engine.History.TryGetResource(objectName, out var resource) && resource.Plan is { } plan)
        {
            Resource = resource;
            var stretches = plan.Stretches;
            _domFrom = [.. stretches.Select(s => s.DomFrom)];
            for (int stretch = 0, index = 0; index < versions; index++)
            {
                while (stretch + 1 < stretches.Count && stretches[stretch + 1].From <= index)
                {
                    stretch++;
                }

                _stretchOf[index] = stretch;
            }
        }
        else
        {
            _domFrom = [-1];
        }
    }

    /// <inheritdoc/>
    public sealed override Type Type => typeof(T);

    internal sealed override ResourceHistory? Resource { get; }

    internal sealed override (IReadOnlyList<Type> Holds, bool HoldsDynamic) Dependencies => (_holds, _holdsDynamic);

    /// <summary>What the renderer gives every writer.</summary>
    protected WriterContext Context { get; }

    internal RenderEngine Engine { get; }

    /// <summary>Writes <paramref name="value"/> at the scope's target version.</summary>
    public void Write(Utf8JsonWriter writer, T? value, in RenderScope scope)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        int target = scope.Target;
        if (Unaffected[target] && scope.State is null)
        {
            _current.Write(writer, value);
            return;
        }

        int stretch = _stretchOf[target];
        if (_domFrom[stretch] >= 0)
        {
            Engine.WriteThroughReferenceChain(writer, value, this, _domFrom[stretch], scope);
            return;
        }

        WriteStretch(writer, value, scope, stretch);
    }

    /// <summary>Writes <paramref name="value"/> in the shape of <paramref name="stretch"/> (an index in the plan's stretches).</summary>
    protected abstract void WriteStretch(Utf8JsonWriter writer, T value, in RenderScope scope, int stretch);

    internal sealed override void WriteObject(Utf8JsonWriter writer, object value, in RenderScope scope) => Write(writer, (T)value, scope);

    internal sealed override JsonConverter CreateConverter(int target) => new WriterConverter(this, target);

    // How the fallback serializer (values whose type only System.Text.Json knows) reaches this writer at one target.
    private sealed class WriterConverter(ResourceWriter<T> owner, int target) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => throw new NotSupportedException("VersionKit writes resources in old shapes; it does not read them.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
            => owner.Write(writer, value, new RenderScope(owner.Engine, target, null));
    }
}

/// <summary>
/// The target version of one render, and what the render carries along (owners of resources when the reference chain will
/// read the result). Passed down by every generated writer.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct RenderScope
{
    internal RenderScope(RenderEngine engine, int target, RenderState? state)
    {
        Engine = engine;
        Target = target;
        State = state;
    }

    /// <summary>The index of the target version.</summary>
    public int Target { get; }

    internal RenderEngine Engine { get; }

    internal RenderState? State { get; }

    /// <summary>Starts a resource's object: the opening brace, then what the render asks for (a type discriminator, the owner's mark).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Start(Utf8JsonWriter writer, object resource)
    {
        writer.WriteStartObject();
        if (State is { } state)
        {
            state.OnStart(writer, resource);
        }
    }

    /// <summary>Writes a value known only at run time: a resource or carrier by its writer, raw JSON through the reference chain, anything else through the app's serializer with writers for the resources inside.</summary>
    public void WriteDynamic(Utf8JsonWriter writer, object? value, System.Text.Json.Serialization.Metadata.JsonTypeInfo? declared)
        => Engine.WriteDynamic(writer, value, this, declared);

    /// <summary>The JSON of <paramref name="value"/> at version index <paramref name="at"/>, written by <paramref name="write"/>.</summary>
    public System.Text.Json.Nodes.JsonNode? Capture<TValue>(int at, TValue value, ValueWriter<TValue> write)
        => Engine.Capture(at, value, write);

    /// <summary>A JSON object holding the one field <paramref name="name"/> of <paramref name="owner"/> as it was at version index <paramref name="at"/> (empty when the field is not written).</summary>
    public System.Text.Json.Nodes.JsonObject CaptureField<TOwner>(int at, TOwner owner, JsonEncodedText name, FieldWriter<TOwner> field)
        => Engine.CaptureField(at, owner, name, field);

    /// <summary>A computed value: <paramref name="compute"/> run on <paramref name="holder"/>, failures named after the change.</summary>
    public System.Text.Json.Nodes.JsonNode? Compute(Func<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonNode?> compute, System.Text.Json.Nodes.JsonObject holder, Type change, int versionIndex, string resource)
        => RenderEngine.Compute(compute, holder, change, Engine.History.Versions[versionIndex], resource);

    /// <summary>Field-scoped code run on <paramref name="value"/> as the field <paramref name="field"/>; its result.</summary>
    public System.Text.Json.Nodes.JsonNode? FieldCode(Action<System.Text.Json.Nodes.JsonObject> code, System.Text.Json.Nodes.JsonNode? value, string field, Type change, int versionIndex, string resource)
        => RenderEngine.FieldCode(code, value, field, change, Engine.History.Versions[versionIndex], resource);

    /// <summary>Where the JSON string <paramref name="node"/> holds <paramref name="value"/>, <paramref name="to"/>.</summary>
    public static System.Text.Json.Nodes.JsonNode? Map(System.Text.Json.Nodes.JsonNode? node, string value, string to)
        => node is System.Text.Json.Nodes.JsonValue text && text.TryGetValue(out string? current) && current == value ? System.Text.Json.Nodes.JsonValue.Create(to) : node;

    /// <summary>Undoes versions <paramref name="from"/> down to <paramref name="to"/> (exclusive) on the resources inside a created value.</summary>
    public System.Text.Json.Nodes.JsonNode? Down(System.Text.Json.Nodes.JsonNode? node, int from, int to)
    {
        if (node is System.Text.Json.Nodes.JsonObject or System.Text.Json.Nodes.JsonArray && Engine.AnyChangeBetween(to, from))
        {
            Engine.Chain.Apply(node, from, to, null);
        }

        return node;
    }

    /// <summary>Writes a created value: versions <paramref name="from"/> down to the target undone on the resources inside it first.</summary>
    public void WriteNode(Utf8JsonWriter writer, System.Text.Json.Nodes.JsonNode? node, int from)
    {
        node = Down(node, from, Target);
        if (State?.Owners is not null)
        {
            // The reference chain reads this back: a created value stays raw JSON, its resources found by their object field.
            Owners.WriteRaw(writer, node, Engine.Options);
        }
        else
        {
            RenderEngine.WriteNode(writer, node, Engine.Options);
        }
    }

    /// <summary>A failure of typed code, named after its change.</summary>
    public RenderException Fail(Exception exception, Type change, int versionIndex, string resource)
        => exception as RenderException ?? new RenderException(change, resource, Engine.History.Versions[versionIndex], exception);

    /// <summary>The same render at another target version, carrying nothing along: what a computed value reads.</summary>
    internal RenderScope At(int target) => new(Engine, target, null);
}
