using System.ComponentModel;
using System.Text.Json.Nodes;

namespace VersionKit;

/// <summary>What a version change did to one field.</summary>
public enum FieldChangeKind
{
    /// <summary>The field was renamed; <see cref="FieldChange.Before"/> is the old name, <see cref="FieldChange.After"/> the new one.</summary>
    Renamed,

    /// <summary>The field was removed; older versions get it back.</summary>
    Removed,

    /// <summary>The field was added; older versions do not see it.</summary>
    Added,

    /// <summary>A string field gained a value; <see cref="FieldChange.Before"/> is what older versions see, <see cref="FieldChange.After"/> the new value.</summary>
    EnumValueAdded,

    /// <summary>The field changed type; <see cref="FieldChange.Before"/> and <see cref="FieldChange.After"/> are the JSON types.</summary>
    TypeChanged,
}

/// <summary>One field of one resource touched by a version change, as the changelog and the docs show it.</summary>
/// <param name="Resource">The resource's object name (<c>bank_account</c>).</param>
/// <param name="Kind">What happened to the field.</param>
/// <param name="Field">The field's JSON name after the change (for a removed field, the name it had).</param>
/// <param name="Before">Old name, old type or legacy value, by <paramref name="Kind"/>; <see langword="null"/> for an added field.</param>
/// <param name="After">New name, new type or new value, by <paramref name="Kind"/>; <see langword="null"/> for a removed field.</param>
public sealed record FieldChange(string Resource, FieldChangeKind Kind, string Field, string? Before, string? After);

/// <summary>A version change of a history: its documentation (<see cref="ApiChange"/>) and the class that declares it, which <see cref="ApiHistory.IsActive{TChange}"/> asks about.</summary>
/// <param name="ChangeType">The class that declares the change.</param>
/// <param name="Version">The version that introduced it.</param>
/// <param name="Description">What changed, in Markdown.</param>
/// <param name="HasSideEffects">The change transforms nothing; code asks whether it is active.</param>
/// <param name="Order">Its place among the changes of its version (0 when none was given).</param>
/// <param name="Resources">Object names of the resources it affects.</param>
/// <param name="FieldChanges">The fields it touches, as declared.</param>
/// <param name="HasCode">Some of its transformations are code rather than declarations.</param>
public sealed record VersionChangeInfo(
    Type ChangeType,
    ApiVersion Version,
    string Description,
    bool HasSideEffects,
    int Order,
    IReadOnlyList<string> Resources,
    IReadOnlyList<FieldChange> FieldChanges,
    bool HasCode)
    : ApiChange((ChangeType ?? throw new ArgumentNullException(nameof(ChangeType))).Name, Version, Description, HasSideEffects, Order, Resources, FieldChanges, HasCode);

/// <summary>One version of the API and the changes it introduced, as the changelog lists it.</summary>
/// <param name="Version">The version.</param>
/// <param name="Changes">The changes it introduced, in order (none for the initial version).</param>
public sealed record ChangelogEntry(ApiVersion Version, IReadOnlyList<VersionChangeInfo> Changes);

/// <summary>The fields a resource has from <paramref name="Since"/> until the next shape begins.</summary>
/// <param name="Since">The first version with this shape.</param>
/// <param name="Fields">The JSON field names, in the order they are rendered.</param>
public sealed record ResourceShape(ApiVersion Since, IReadOnlyList<string> Fields);

/// <summary>What a declarative instruction does to one field.</summary>
public enum FieldInstructionKind
{
    /// <summary>The field <see cref="FieldInstruction.Field"/> takes the name <see cref="FieldInstruction.To"/>, in the same place.</summary>
    Rename,

    /// <summary>The field is dropped.</summary>
    Hide,

    /// <summary>The field is added at the end, with a constant (<see cref="FieldInstruction.ValueJson"/>) or a computed value.</summary>
    Restore,

    /// <summary>Where the field holds <see cref="FieldInstruction.Value"/>, it holds <see cref="FieldInstruction.To"/> instead.</summary>
    MapValue,
}

/// <summary>
/// One declarative instruction of a step, as data: the reference chain applies it to a JSON object, the compiled renderer
/// turns it into the serialization contract of the version. Made by the generated history class.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class FieldInstruction
{
    private FieldInstruction(FieldInstructionKind kind, string field, string? to, string? value, string? valueJson, Func<JsonObject, JsonNode?>? compute, string? computeFrom = null)
    {
        ComputeFrom = computeFrom;
        Kind = kind;
        Field = field;
        To = to;
        Value = value;
        ValueJson = valueJson;
        Compute = compute;
    }

    /// <summary>What the instruction does.</summary>
    public FieldInstructionKind Kind { get; }

    /// <summary>The field it applies to.</summary>
    public string Field { get; }

    /// <summary>The new name (<see cref="FieldInstructionKind.Rename"/>) or the value written instead (<see cref="FieldInstructionKind.MapValue"/>).</summary>
    public string? To { get; }

    /// <summary>The value replaced (<see cref="FieldInstructionKind.MapValue"/>).</summary>
    public string? Value { get; }

    /// <summary>The constant of a restored field, as JSON text; <see langword="null"/> when <see cref="Compute"/> gives the value.</summary>
    public string? ValueJson { get; }

    /// <summary>Computes a restored field's value from the object as it is before the step's other instructions.</summary>
    public Func<JsonObject, JsonNode?>? Compute { get; }

    /// <summary>The one field <see cref="Compute"/> reads, when it says so; <see langword="null"/> when it may read any.</summary>
    public string? ComputeFrom { get; }

    // Parsed once; each restore gets a copy, since a node belongs to one parent.
    internal JsonNode? Constant => ValueJson is null ? null : (_constant ??= new Lazy<JsonNode?>(() => JsonNode.Parse(ValueJson))).Value;

    private Lazy<JsonNode?>? _constant;

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static FieldInstruction Rename(string from, string to) => new(FieldInstructionKind.Rename, from, to, null, null, null);

    /// <summary>Drops <paramref name="field"/>.</summary>
    public static FieldInstruction Hide(string field) => new(FieldInstructionKind.Hide, field, null, null, null, null);

    /// <summary>Adds <paramref name="field"/> with the constant <paramref name="valueJson"/> (JSON text, <c>null</c> included).</summary>
    public static FieldInstruction Restore(string field, string valueJson) => new(FieldInstructionKind.Restore, field, null, null, valueJson, null);

    /// <summary>Adds <paramref name="field"/> with the value <paramref name="compute"/> gives.</summary>
    public static FieldInstruction Restore(string field, Func<JsonObject, JsonNode?> compute) => new(FieldInstructionKind.Restore, field, null, null, null, compute);

    /// <summary>Adds <paramref name="field"/> with the value <paramref name="compute"/> gives from the field <paramref name="computeFrom"/> alone.</summary>
    public static FieldInstruction Restore(string field, Func<JsonObject, JsonNode?> compute, string computeFrom) => new(FieldInstructionKind.Restore, field, null, null, null, compute, computeFrom);

    /// <summary>Writes <paramref name="legacyValue"/> where <paramref name="field"/> holds <paramref name="value"/>.</summary>
    public static FieldInstruction MapValue(string field, string value, string legacyValue) => new(FieldInstructionKind.MapValue, field, legacyValue, value, null, null);
}

/// <summary>
/// One step of a chain: for a resource, it turns the JSON at <see cref="Version"/> into the JSON just before (backward);
/// for a request, it turns a request from just before <see cref="Version"/> into the request at it (forward). A step is
/// either declarative (<see cref="Instructions"/>) or code (<see cref="Code"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class ChangeStep
{
    /// <summary>A declarative step.</summary>
    public ChangeStep(ApiVersion version, Type changeType, IReadOnlyList<FieldInstruction> instructions)
    {
        Version = version;
        ChangeType = changeType;
        Instructions = instructions;
    }

    /// <summary>A code step: a user-written transformation, which may reshape nested objects.</summary>
    public ChangeStep(ApiVersion version, Type changeType, Action<JsonObject> code)
    {
        Version = version;
        ChangeType = changeType;
        Instructions = [];
        Code = code;
    }

    /// <summary>A code step that reads and writes <paramref name="codeField"/> alone.</summary>
    public ChangeStep(ApiVersion version, Type changeType, Action<JsonObject> code, string codeField)
        : this(version, changeType, code)
        => CodeField = codeField;

    /// <summary>The version of the change.</summary>
    public ApiVersion Version { get; }

    /// <summary>The change the step belongs to.</summary>
    public Type ChangeType { get; }

    /// <summary>The declarative instructions, in the order they apply; empty for a code step.</summary>
    public IReadOnlyList<FieldInstruction> Instructions { get; }

    /// <summary>The user-written transformation of a code step.</summary>
    public Action<JsonObject>? Code { get; }

    /// <summary>The one field a code step reads and writes, when it says so; <see langword="null"/> when it may touch any.</summary>
    public string? CodeField { get; }

    /// <summary>Whether the step runs user code.</summary>
    public bool IsCode => Code is not null;

    /// <summary>Whether the step can be compiled into a serialization contract: declarative without computed values, or code on one field.</summary>
    public bool IsCompilable => Code is null ? Instructions.All(i => i.Compute is null || i.ComputeFrom is not null) : CodeField is not null;

    /// <summary>Applies the step to <paramref name="json"/>, in place. Computed values see the object before the other instructions.</summary>
    public void Apply(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Code is not null)
        {
            Code(json);
            return;
        }

        List<JsonNode?>? computed = null;
        foreach (var instruction in Instructions)
        {
            if (instruction.Compute is not null)
            {
                (computed ??= []).Add(instruction.Compute(json));
            }
        }

        int next = 0;
        foreach (var instruction in Instructions)
        {
            switch (instruction.Kind)
            {
                case FieldInstructionKind.Rename:
                    JsonTransforms.Rename(json, instruction.Field, instruction.To!);
                    break;
                case FieldInstructionKind.Hide:
                    JsonTransforms.Hide(json, instruction.Field);
                    break;
                case FieldInstructionKind.MapValue:
                    JsonTransforms.MapEnumValue(json, instruction.Field, instruction.Value!, instruction.To!);
                    break;
                case FieldInstructionKind.Restore:
                    JsonTransforms.Restore(json, instruction.Field, instruction.Compute is not null ? computed![next++] : instruction.Constant?.DeepClone());
                    break;
            }
        }
    }
}

/// <summary>A resource as the generator compiled it: its current fields, its shape at every version, and its backward chain.</summary>
/// <param name="ObjectName">The value of its <c>object</c> field.</param>
/// <param name="ResourceType">The C# type.</param>
/// <param name="Shapes">Its shapes, oldest first; the last one is the current shape.</param>
/// <param name="Steps">Its backward steps, newest first.</param>
public sealed record ResourceDefinition(string ObjectName, Type ResourceType, IReadOnlyList<ResourceShape> Shapes, IReadOnlyList<ChangeStep> Steps)
    : ResourceHistory(ObjectName, Shapes)
{
    /// <summary>Makes a converter of <see cref="ResourceType"/> that writes through a callback (a <see cref="ResourceConverter{T}"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<Action<System.Text.Json.Utf8JsonWriter, object, System.Text.Json.JsonSerializerOptions>, System.Text.Json.Serialization.JsonConverter>? CreateConverter { get; init; }
}

/// <summary>A request type that request changes upgrade: its forward chain.</summary>
/// <param name="RequestType">The C# type of the request body.</param>
/// <param name="Steps">Its forward steps, oldest first.</param>
public sealed record RequestDefinition(Type RequestType, IReadOnlyList<ChangeStep> Steps);
