using System.ComponentModel;
using System.Text.Json.Nodes;

namespace VersionKit.Generated;

// The plan the generator compiles from a history, as the generated history class hands it to the runtime. Every consumer
// reads it: the reference chain applies its steps, the generated writers are its stretches as code, the field sets and the
// OpenAPI documents read its stretches and entries. What it means is written once, in docs/architecture.md ("What a history
// means"), and decided once, by the generator's fold (HistoryGenerator.Fold.cs).

/// <summary>What a <see cref="PlanOp"/> does.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum PlanOpKind
{
    /// <summary>Code on the whole resource's JSON (or, forward, the whole request's).</summary>
    Code,

    /// <summary>Code on one field's JSON, run only when the field is present.</summary>
    FieldCode,

    /// <summary>Typed code on one field's C# value, run only when the field is present.</summary>
    TypedFieldCode,

    /// <summary>Where the field holds the string <see cref="PlanOp.Value"/>, it holds <see cref="PlanOp.To"/> instead.</summary>
    Map,

    /// <summary>The field takes the name <see cref="PlanOp.To"/>, in the same place.</summary>
    Rename,

    /// <summary>The field is dropped.</summary>
    Hide,

    /// <summary>The field is added at the end: a constant, or a value computed from the JSON as it was at the version, or typed from the C# object.</summary>
    Restore,
}

/// <summary>One operation of a <see cref="PlanStep"/>. Made by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PlanOp
{
    private PlanOp(PlanOpKind kind, Type change, string field)
    {
        Kind = kind;
        Change = change;
        Field = field;
    }

    /// <summary>What the operation does.</summary>
    public PlanOpKind Kind { get; }

    /// <summary>The change it belongs to.</summary>
    public Type Change { get; }

    /// <summary>The field it applies to (empty for code on the whole object).</summary>
    public string Field { get; }

    /// <summary>The new name (<see cref="PlanOpKind.Rename"/>) or the value written instead (<see cref="PlanOpKind.Map"/>).</summary>
    public string? To { get; private init; }

    /// <summary>The value replaced (<see cref="PlanOpKind.Map"/>).</summary>
    public string? Value { get; private init; }

    /// <summary>The restored constant, as JSON text.</summary>
    public string? ConstantJson { get; private init; }

    /// <summary>The code (<see cref="PlanOpKind.Code"/>, <see cref="PlanOpKind.FieldCode"/>).</summary>
    public Action<JsonObject>? Code { get; private init; }

    /// <summary>A computed restored value, from the resource's JSON (or <see cref="ReadsField"/> alone) as it was at the version.</summary>
    public Func<JsonObject, JsonNode?>? Compute { get; private init; }

    /// <summary>The one field <see cref="Compute"/> reads, or <see langword="null"/> for the whole resource.</summary>
    public string? ReadsField { get; private init; }

    /// <summary>Typed code: the C# object in, the field's old value out (a typed restore or a typed field transformation).</summary>
    public Func<object, object?>? Typed { get; private init; }

    /// <summary>The C# type of <see cref="Typed"/>'s result, as the generated code declares it.</summary>
    public Type? TypedResult { get; private init; }

    /// <summary>Whether the operation creates a value, which then receives every older change.</summary>
    public bool Creates => Kind is PlanOpKind.Code or PlanOpKind.FieldCode or PlanOpKind.TypedFieldCode or PlanOpKind.Restore;

#pragma warning disable CS1591 // factories for generated code; each mirrors its kind
    public static PlanOp WholeCode(Type change, Action<JsonObject> code) => new(PlanOpKind.Code, change, string.Empty) { Code = code };

    public static PlanOp FieldCode(Type change, string field, Action<JsonObject> code) => new(PlanOpKind.FieldCode, change, field) { Code = code };

    public static PlanOp TypedFieldCode<TOwner, TResult>(Type change, string field, Func<TOwner, TResult> code)
        => new(PlanOpKind.TypedFieldCode, change, field) { Typed = owner => code((TOwner)owner), TypedResult = typeof(TResult) };

    public static PlanOp Map(Type change, string field, string value, string to) => new(PlanOpKind.Map, change, field) { Value = value, To = to };

    public static PlanOp Rename(Type change, string field, string to) => new(PlanOpKind.Rename, change, field) { To = to };

    public static PlanOp Hide(Type change, string field) => new(PlanOpKind.Hide, change, field);

    public static PlanOp Restore(Type change, string field, string constantJson) => new(PlanOpKind.Restore, change, field) { ConstantJson = constantJson };

    public static PlanOp Restore(Type change, string field, Func<JsonObject, JsonNode?> compute, string? readsField)
        => new(PlanOpKind.Restore, change, field) { Compute = compute, ReadsField = readsField };

    public static PlanOp RestoreTyped<TOwner, TResult>(Type change, string field, Func<TOwner, TResult> compute)
        => new(PlanOpKind.Restore, change, field) { Typed = owner => compute((TOwner)owner), TypedResult = typeof(TResult) };
#pragma warning restore CS1591
}

/// <summary>
/// What one version does to one resource (or, forward, to one request type): the computed values of its restores are read
/// first, from the payload as it was at the version; then <see cref="Code"/> runs; then <see cref="Declarations"/> apply.
/// </summary>
/// <param name="VersionIndex">The version's index in the history's versions.</param>
/// <param name="Code">Its code, its changes newest first (oldest first for requests), each change's methods in source order.</param>
/// <param name="Declarations">Its declarations, in the same change order; in each change: value maps, renames, hides, restores.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record PlanStep(int VersionIndex, IReadOnlyList<PlanOp> Code, IReadOnlyList<PlanOp> Declarations);

/// <summary>Where an output field's value comes from.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum PlanSource
{
    /// <summary>A property of the C# object.</summary>
    Property,

    /// <summary>A constant.</summary>
    Constant,

    /// <summary>A change computes it from the JSON as it was at the change's version.</summary>
    Computed,

    /// <summary>A change computes it from the C# object.</summary>
    TypedComputed,
}

/// <summary>Something a version does to one field's value on the way to the target.</summary>
/// <param name="Change">The change.</param>
/// <param name="Field">The field's name at the change's version.</param>
/// <param name="Value">For a value map, the value replaced; <see langword="null"/> for code.</param>
/// <param name="To">For a value map, the value written instead.</param>
/// <param name="TypedResult">For typed code, the C# type of its result.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record PlanValueOp(Type Change, string Field, string? Value, string? To, Type? TypedResult);

/// <summary>An output field's value: its source, then what older versions do to it, newest first.</summary>
/// <param name="Source">Where it comes from.</param>
/// <param name="Property">The property's current JSON name (<see cref="PlanSource.Property"/>).</param>
/// <param name="ConstantJson">The constant (<see cref="PlanSource.Constant"/>).</param>
/// <param name="Change">The change that restores it (every source but <see cref="PlanSource.Property"/>).</param>
/// <param name="TypedResult">The C# type a typed computation returns.</param>
/// <param name="Ops">What happens to the value after, newest first.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record PlanEntry(PlanSource Source, string? Property, string? ConstantJson, Type? Change, Type? TypedResult, IReadOnlyList<PlanValueOp> Ops);

/// <summary>One field of a stretch: its name there, its entry, and whether its value there can hold resources (where the reference chain looks for them in raw JSON).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct PlanField(string Name, int Entry, bool HoldsResources);

/// <summary>
/// A resource's shape for targets from version index <see cref="From"/> up to the next stretch. When a newer change runs code
/// on the whole resource, <see cref="DomFrom"/> is that version's index: the resource is written at it, then the reference
/// chain takes its JSON the rest of the way (-1 otherwise).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record PlanStretch(int From, int DomFrom, IReadOnlyList<PlanField> Fields);

/// <summary>A resource's plan: its steps (newest first) and its stretches (oldest first) over its entries.</summary>
/// <param name="Steps">What each version does to it, newest first.</param>
/// <param name="Entries">Every distinct output value.</param>
/// <param name="Stretches">Its shapes, oldest first; the last is the current shape.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record ResourcePlan(IReadOnlyList<PlanStep> Steps, IReadOnlyList<PlanEntry> Entries, IReadOnlyList<PlanStretch> Stretches);

/// <summary>What a request field holds, as the request type's current C# property says.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum RequestValueKind
{
    /// <summary>Anything (an enum, <c>object</c>, raw JSON, a type with its own converter): not checked.</summary>
    Any,

    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON number without a fraction, within the range of <see cref="RequestValue.Type"/>.</summary>
    Integer,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A request object of type <see cref="RequestValue.Type"/>, with a request history of its own.</summary>
    Object,

    /// <summary>A JSON array, each item a <see cref="RequestValue.Item"/>.</summary>
    List,

    /// <summary>A JSON object with any keys, each value a <see cref="RequestValue.Item"/>.</summary>
    Dictionary,
}

/// <summary>What a request field holds: its kind, the type (a request object's, or a number's), and what each item of a list or dictionary holds.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record RequestValue(RequestValueKind Kind, Type? Type = null, RequestValue? Item = null);

/// <summary>
/// One request field, whatever its name at a version: the current property it is (<see cref="Property"/>, its JSON name), or
/// <see langword="null"/> for a field removed from requests, which older callers may still send; and what it holds.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record RequestPlanEntry(string? Property, RequestValue Value);

/// <summary>A field of a request stretch: its name there, and its entry.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RequestPlanField(string Name, int Entry);

/// <summary>A request type's fields for callers from version index <see cref="From"/> up to the next stretch.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record RequestPlanStretch(int From, IReadOnlyList<RequestPlanField> Fields);

/// <summary>
/// A request type's plan: every field it has had (<see cref="Entries"/>) and, per stretch of versions (oldest first, the last
/// the current shape), the fields a caller there may send, by the names it sends them under. What a caller's request is
/// checked against, what errors name fields by, and what the documents show.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record RequestPlan(IReadOnlyList<RequestPlanEntry> Entries, IReadOnlyList<RequestPlanStretch> Stretches);
