using System.Text.Json.Nodes;

namespace VersionKit.Generators.Tests.Oracle;

/// <summary>The three resources of an oracle history: a box holds things, a thing holds leaves (three levels).</summary>
internal enum Res
{
    Box,
    Thing,
    Leaf,
}

/// <summary>What a field's value is at a point in history, as far as the changes older than that point need to know.</summary>
internal enum Holds
{
    /// <summary>A string or null.</summary>
    Text,

    /// <summary>A long.</summary>
    Number,

    /// <summary>A bool.</summary>
    Flag,

    /// <summary>The C# enum <c>Tone</c>, written as a string by the options' JsonStringEnumConverter.</summary>
    Tone,

    /// <summary>A <c>Dictionary&lt;string, string&gt;</c>: may hold <c>"object": "thing"</c>, never a resource.</summary>
    Metadata,

    /// <summary>A nullable nested resource.</summary>
    One,

    /// <summary>A JSON array of resources (<c>List&lt;T&gt;</c>).</summary>
    List,

    /// <summary>A list envelope of resources (<c>ApiList&lt;T&gt;</c>).</summary>
    Envelope,

    /// <summary>An <c>object</c>: a thing, a leaf, a string id or null.</summary>
    Poly,

    /// <summary>An abstract base with <c>[JsonDerivedType(typeof(Leaf))]</c>: a leaf or null.</summary>
    Part,

    /// <summary>A value computed from JSON: the generator takes it for a string.</summary>
    Computed,

    /// <summary>Whatever code made of it: no older change reads it by its type.</summary>
    Opaque,
}

/// <summary>
/// One field of a resource while the history is walked back from the current shape. Mutable on purpose: a change's
/// declarations rename or hide the field in place, so that every change of a version can refer to the same field.
/// </summary>
internal sealed class Slot(string name, Holds holds, Res? of, string? property, IReadOnlySet<Res> inside)
{
    public string Name { get; set; } = name;

    public Holds Holds { get; set; } = holds;

    /// <summary>The resource a <see cref="Holds.One"/>, <see cref="Holds.List"/> or <see cref="Holds.Envelope"/> holds.</summary>
    public Res? Of { get; set; } = of;

    /// <summary>The C# property whose own, unchanged value the field holds (what typed code is given); null once a change reshaped it.</summary>
    public string? Property { get; set; } = property;

    /// <summary>The resources that can sit inside the value, at any depth.</summary>
    public IReadOnlySet<Res> Inside { get; set; } = inside;

}

/// <summary>A current C# property of a resource: its JSON name, what it holds, and its C# type.</summary>
internal sealed record Prop(string Name, Holds Holds, Res? Of)
{
    public string CsName => char.ToUpperInvariant(Name[0]) + Name[1..];

    public string CsType => Holds switch
    {
        Holds.Text => "string?",
        Holds.Number => "long",
        Holds.Flag => "bool",
        Holds.Tone => "Tone",
        Holds.Metadata => "Dictionary<string, string>?",
        Holds.One => OracleNames.Cs(Of!.Value) + "?",
        Holds.List => $"List<{OracleNames.Cs(Of!.Value)}>",
        Holds.Envelope => $"ApiList<{OracleNames.Cs(Of!.Value)}>",
        Holds.Poly => "object?",
        Holds.Part => "Part?",
        _ => throw new InvalidOperationException(Holds.ToString()),
    };
}

/// <summary>One instruction of a change, on one resource.</summary>
internal abstract record Op(Res On);

/// <summary><c>[FieldRenamed]</c>: older versions see <paramref name="Old"/> where newer ones see <paramref name="New"/>.</summary>
internal sealed record Renamed(Res On, string Old, string New) : Op(On);

/// <summary><c>[FieldAdded]</c>: older versions do not see the field.</summary>
internal sealed record Added(Res On, string Field) : Op(On);

/// <summary><c>[EnumValueAdded]</c>: where the field holds <paramref name="Value"/>, older versions see <paramref name="Legacy"/>.</summary>
internal sealed record Mapped(Res On, string Field, string Value, string Legacy) : Op(On);

/// <summary><c>[FieldTypeChanged]</c>: documentation only; the change's code does the work.</summary>
internal sealed record Retyped(Res On, string Field, string OldType, string NewType) : Op(On);

/// <summary><c>[FieldRemoved]</c>: older versions get the field back, appended, with <paramref name="Value"/>.</summary>
internal sealed record Removed(Res On, string Field, Restore Value) : Op(On);

/// <summary><c>[BackwardTransform]</c>: a method on the whole resource (<paramref name="Field"/> null) or on one field.</summary>
internal sealed record Coded(Res On, string? Field, Code Code, string Method) : Op(On);

/// <summary>Where a restored field's value comes from.</summary>
internal abstract record Restore;

/// <summary>A constant (<c>Value = ...</c>); null is the field back as null with no value given.</summary>
internal sealed record Constant(JsonValue? Value) : Restore;

/// <summary><c>static JsonNode? M(JsonObject o)</c>, given a copy of the resource or of one field (<paramref name="ValueFromField"/>).</summary>
internal sealed record FromJson(string? ValueFromField, JsonCalc Calc, string Method) : Restore;

/// <summary><c>static T M(R r)</c>, given the current C# object.</summary>
internal sealed record FromObject(TypedCalc Calc, string Method) : Restore;

/// <summary>What a JSON computation does with the JSON it is given.</summary>
internal abstract record JsonCalc;

/// <summary>A copy of a field's value (nested resources inside it come along).</summary>
internal sealed record CopyOf(string Field) : JsonCalc;

/// <summary>The field's JSON text, as a string.</summary>
internal sealed record TextOf(string Field) : JsonCalc;

/// <summary>Whether the field holds the string "fresh".</summary>
internal sealed record IsFresh(string Field) : JsonCalc;

/// <summary>A copy of field <paramref name="Field"/> of the first resource in <paramref name="Relation"/>, read through the parent's JSON.</summary>
internal sealed record NestedOf(string Relation, Holds Shape, string Field) : JsonCalc;

/// <summary>A list (an envelope or an array) rebuilt from the one resource in <paramref name="Relation"/>.</summary>
internal sealed record ListOf(string Relation, bool Envelope) : JsonCalc;

/// <summary>What a typed computation returns from the current C# object.</summary>
internal abstract record TypedCalc;

/// <summary><c>r.Property</c>.</summary>
internal sealed record PropOf(Prop Property) : TypedCalc;

/// <summary>The first child's property: <c>r.Items.Data.FirstOrDefault() is { } c ? c.Property : null</c>.</summary>
internal sealed record NestedPropOf(Prop Relation, Prop Property) : TypedCalc;

/// <summary>A list of the one child: <c>new List&lt;T&gt; { r.Item }</c>, or an <c>ApiList&lt;T&gt;</c>.</summary>
internal sealed record ListOfProp(Prop Relation, bool Envelope) : TypedCalc;

/// <summary>What a <c>[BackwardTransform]</c> does.</summary>
internal abstract record Code;

/// <summary>JSON: the field's value becomes its JSON text (whole resource or one field).</summary>
internal sealed record Stringify(string Field) : Code;

/// <summary>JSON: a string value gets <paramref name="Tag"/> appended; anything else is left as it is.</summary>
internal sealed record Suffix(string Field, string Tag) : Code;

/// <summary>JSON, whole resource: the field becomes its JSON text and <paramref name="Other"/>'s, joined (reads another field).</summary>
internal sealed record Concat(string Field, string Other) : Code;

/// <summary>JSON: a nested resource becomes its id; anything else is left as it is.</summary>
internal sealed record IdOf(string Field) : Code;

/// <summary>JSON: a dictionary, array or list envelope becomes its count.</summary>
internal sealed record SizeOf(string Field, Holds Shape) : Code;

/// <summary>JSON on one field: a copy of the value, unchanged (probes what the code is handed).</summary>
internal sealed record Keep(string Field) : Code;

/// <summary>Typed code on one field: <c>static TOld M(TField value)</c>, given the property's current C# value.</summary>
internal sealed record Typed(TypedKind Kind, Prop Property, string Tag) : Code;

/// <summary>The typed transformations, each from the property's type.</summary>
internal enum TypedKind
{
    NumberToText,
    FlagToNumber,
    TextSuffix,
    ToneOlder,
    ToneName,
    OneToId,
    OneSame,
    ListFirst,
    EnvelopeToList,
    PolyToId,
    MetadataCount,
    PartToId,
}

/// <summary>One version change: its class, its place among the changes of its version, and its instructions in source order.</summary>
internal sealed record OracleChange(ApiVersion Version, int Order, string Name, bool SideEffects, IReadOnlyList<Op> Ops);

/// <summary>Names shared by the model, the source writer and the oracle.</summary>
internal static class OracleNames
{
    public static string Obj(Res resource) => resource switch
    {
        Res.Box => "box",
        Res.Thing => "thing",
        _ => "leaf",
    };

    public static string Cs(Res resource) => resource switch
    {
        Res.Box => "Box",
        Res.Thing => "Thing",
        _ => "Leaf",
    };

    public static Res? FromObj(string? objectName) => objectName switch
    {
        "box" => Res.Box,
        "thing" => Res.Thing,
        "leaf" => Res.Leaf,
        _ => null,
    };
}
