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

    /// <summary>The class marked [ApiHistory].</summary>
    internal sealed record HistoryModel(
        string? Namespace,
        string TypeName,
        string Accessibility,
        string InitialVersion,
        LocationInfo? InitialVersionLocation,
        int NamingPolicy,
        LocationInfo? Location,
        string? DeclarationProblem);

    /// <summary>A type marked [ApiResource].</summary>
    internal sealed record ResourceModel(
        string TypeName,
        string DisplayName,
        string ObjectName,
        LocationInfo? Location,
        EquatableArray<PropertyModel> Properties,
        string? Unreachable = null);

    /// <summary>A property a resource serializes.</summary>
    internal sealed record PropertyModel(string Name, string? JsonName);

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
    /// and <see cref="After"/> hold the old and new name, type or value, by kind. A removed field's value is a C# expression
    /// as JSON text (<see cref="ValueJson"/>) or a method of the change (<see cref="ValueFrom"/>).
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
        string? ValueFromField = null);

    /// <summary>A method marked [BackwardTransform].</summary>
    internal sealed record TransformModel(string ResourceType, string MethodName, LocationInfo? Location, string? Field = null);

    /// <summary>A class marked [VersionChange].</summary>
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
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public bool HasEffects => Instructions.Count > 0 || Transforms.Count > 0 || RequestInstructions.Count > 0 || RequestTransforms.Count > 0;
    }
}
