using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace VersionKit.Generators
{
    /// <summary>A source location that can live in a pipeline model: compared by value, turned back into a <see cref="Location"/> at the end.</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        public static LocationInfo? From(Location? location)
            => location is null || location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

        public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());
    }

    /// <summary>A diagnostic found while parsing or planning, reported when the sources are emitted.</summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
            => new DiagnosticInfo(descriptor, location, arguments.ToEquatableArray());

        public Diagnostic ToDiagnostic()
            => Diagnostic.Create(Descriptor, Location?.ToLocation(), System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Cast<object>(Arguments)));
    }

    /// <summary>The class marked [ApiHistory], with its release policy.</summary>
    internal sealed record HistoryModel(
        string? Namespace,
        string TypeName,
        string Accessibility,
        string InitialVersion,
        LocationInfo? InitialVersionLocation,
        int NamingPolicy,
        LocationInfo? Location,
        string? DeclarationProblem,
        bool BreakingChangesOnlyInMajors = false)
    {
        /// <summary>The type's name as generated code and <see cref="ReleaseSetModel.HistoryType"/> write it.</summary>
        public string FullName => "global::" + (Namespace is null ? string.Empty : Namespace + ".") + TypeName;
    }

    /// <summary>An [ApiRelease]: its version text, kind (ApiReleaseKind's value) and notes.</summary>
    internal sealed record ReleaseModel(string Version, int Kind, string? Notes, LocationInfo? Location);

    /// <summary>The [ApiRelease]s of one declaration of a class (the history's, or a mistake), by the class's full name.</summary>
    internal sealed record ReleaseSetModel(string HistoryType, EquatableArray<ReleaseModel> Releases);

    /// <summary>How a value is written: what the generated writer does with a value of that type.</summary>
    internal enum ValueKind
    {
        /// <summary>It cannot hold a resource: the app's own contract writes it (System.Text.Json's fast path where it has one).</summary>
        Plain,

        /// <summary>A resource, or a type that holds resources (a carrier): its generated writer writes it.</summary>
        Writer,

        /// <summary>A collection of one writer type: written as an array, each item by that writer.</summary>
        WriterList,

        /// <summary>Known only at run time (<c>object</c>, an interface, a polymorphic base, raw JSON, a dictionary of such): dispatched by the value's type.</summary>
        Dynamic,
    }

    /// <summary>How a plain value can be written without its contract, when the app's contract for it is System.Text.Json's own.</summary>
    internal enum DirectKind
    {
        None,
        String,
        Boolean,
        Number,

        /// <summary>DateTime, DateTimeOffset and Guid: written as strings by <c>Utf8JsonWriter.WriteString</c>.</summary>
        Text,
    }

    /// <summary>
    /// What the generator knows of a value's type. <see cref="TypeName"/> is the name generated code uses (nullable annotations
    /// kept); <see cref="TypeKey"/> compares types (annotations dropped).
    /// </summary>
    internal sealed record TypeShape(
        string TypeName,
        string TypeKey,
        ValueKind Kind,
        string? WriterType,
        DirectKind Direct,
        bool IsNullableValueType,
        bool IsString,
        bool IsEnum);

    /// <summary>A property a resource or a carrier serializes.</summary>
    /// <param name="Name">The C# name, as generated code writes it (escaped where it is a keyword).</param>
    /// <param name="JsonName">The name from [JsonPropertyName], if any; otherwise the naming policy gives it.</param>
    /// <param name="Order">The order from [JsonPropertyOrder] (0 when none).</param>
    internal sealed record PropertyModel(string Name, string? JsonName, int Order, TypeShape Shape);

    /// <summary>A type that is not a resource but holds resources (a list envelope, an event's data): it gets a writer too.</summary>
    internal sealed record CarrierModel(string TypeName, EquatableArray<PropertyModel> Properties);

    /// <summary>A type marked [ApiResource], and the carriers its properties reach.</summary>
    internal sealed record ResourceModel(
        string TypeName,
        string DisplayName,
        string ObjectName,
        LocationInfo? Location,
        EquatableArray<PropertyModel> Properties,
        EquatableArray<CarrierModel> Carriers,
        string? Unreachable = null);

    internal enum InstructionKind
    {
        Renamed,
        Removed,
        Added,
        EnumValueAdded,
        TypeChanged,
    }

    /// <summary>
    /// One declarative instruction of a change. <see cref="Field"/> is the field's name after the change; <see cref="Before"/>
    /// and <see cref="After"/> hold the old and new name, type or value, by kind. A removed field's value is a constant as JSON
    /// text (<see cref="ValueJson"/>) or a method of the change (<see cref="ValueFrom"/>): on the JSON of the resource (or of its
    /// one field <see cref="ValueFromField"/>), or typed, on the C# object (<see cref="ValueFromOutput"/> is its return type).
    /// </summary>
    internal sealed record InstructionModel(
        InstructionKind Kind,
        string ResourceType,
        string Field,
        string? Before,
        string? After,
        string? ValueJson,
        string? ValueFrom,
        LocationInfo? Location,
        string? ValueFromField = null,
        TypeShape? ValueFromOutput = null);

    /// <summary>
    /// A method marked [BackwardTransform] or [RequestTransform]: on the JSON of the resource, of its one field
    /// <see cref="Field"/>, or typed (<see cref="Input"/> to <see cref="Output"/>) on the field's C# value.
    /// </summary>
    internal sealed record TransformModel(string ResourceType, string MethodName, LocationInfo? Location, string? Field = null, string? InputKey = null, TypeShape? Output = null)
    {
        public bool IsTyped => Output is not null;
    }

    /// <summary>What a request field holds, as its current C# type says; what the runtime checks a caller's value against.</summary>
    internal enum RequestValueKind
    {
        /// <summary>Anything: an enum, <c>object</c>, raw JSON, a type with its own converter, a polymorphic or abstract type.</summary>
        Any,
        String,
        Integer,
        Number,
        Boolean,

        /// <summary>A request object: a class or struct whose properties are fields, with a request history of its own.</summary>
        Object,

        /// <summary>A collection: each item is an <see cref="RequestValueModel.Item"/>.</summary>
        List,

        /// <summary>A dictionary: any keys, each value an <see cref="RequestValueModel.Item"/>.</summary>
        Dictionary,
    }

    /// <summary>
    /// A request field's value: its kind, the type (a request object's, or a number's C# type) and, for lists and
    /// dictionaries, what each item holds.
    /// </summary>
    internal sealed record RequestValueModel(RequestValueKind Kind, string? TypeName = null, RequestValueModel? Item = null);

    /// <summary>A property of a request type: its C# name, the name from [JsonPropertyName], and what it holds.</summary>
    internal sealed record RequestPropertyModel(string Name, string? JsonName, RequestValueModel Value);

    /// <summary>A request type, with its current properties.</summary>
    internal sealed record RequestTypeModel(string TypeName, string DisplayName, EquatableArray<RequestPropertyModel> Properties);

    /// <summary>
    /// A type marked [ApiRequest]: it and every request object its properties reach, or why it cannot be a request type
    /// (<see cref="Problem"/>, reported as VK0022) or cannot be named by generated code (<see cref="Unreachable"/>, VK0015).
    /// </summary>
    internal sealed record RequestRootModel(string TypeName, string DisplayName, LocationInfo? Location, string? Problem, string? Unreachable, EquatableArray<RequestTypeModel> Types);

    /// <summary>A class marked [VersionChange]; <see cref="RequestTypes"/> holds the request types it names and every request object they reach.</summary>
    internal sealed record ChangeModel(
        string TypeName,
        string DisplayName,
        string Version,
        LocationInfo? VersionLocation,
        string Description,
        int Order,
        bool HasSideEffects,
        LocationInfo? Location,
        EquatableArray<InstructionModel> Instructions,
        EquatableArray<TransformModel> Transforms,
        EquatableArray<InstructionModel> RequestInstructions,
        EquatableArray<TransformModel> RequestTransforms,
        EquatableArray<RequestTypeModel> RequestTypes,
        EquatableArray<CarrierModel> Carriers,
        EquatableArray<DiagnosticInfo> Diagnostics,
        ChangeTextModel? Text = null)
    {
        public bool HasEffects => Instructions.Count > 0 || Transforms.Count > 0 || RequestInstructions.Count > 0 || RequestTransforms.Count > 0;
    }

    /// <summary>What a change declares for the changelog besides its description: title, category, and whether it is internal.</summary>
    internal sealed record ChangeTextModel(string? Title, string? Category, bool IsInternal);
}
