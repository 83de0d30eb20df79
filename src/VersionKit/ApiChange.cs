using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using VersionKit.Generated;

namespace VersionKit;

/// <summary>
/// A version change: what it did, for the changelog, the upgrade guides and the OpenAPI documents, and the class that
/// declares it (<see cref="ChangeType"/>, which <see cref="ApiHistory.Predates{TChange}"/> asks about). Read back from a
/// built assembly without loading it (<see cref="ApiChangelog.FromJson"/>), a change has its class's name only.
/// </summary>
/// <param name="Name">The change's class name, as the changelog shows it.</param>
/// <param name="Version">The version that introduced it.</param>
/// <param name="Description">What changed, in Markdown.</param>
/// <param name="HasSideEffects">The change transforms nothing; code asks whether it is active.</param>
/// <param name="Order">Its place among the changes of its version (0 when none was given).</param>
/// <param name="Resources">Object names of the resources it affects.</param>
/// <param name="FieldChanges">The fields it touches, as declared.</param>
/// <param name="HasCode">Some of its transformations are code rather than declarations.</param>
public sealed record ApiChange(
    string Name,
    ApiVersion Version,
    string Description,
    bool HasSideEffects,
    int Order,
    IReadOnlyList<string> Resources,
    IReadOnlyList<FieldChange> FieldChanges,
    bool HasCode)
{
    private readonly string? _title;
    private readonly string? _category;

    /// <summary>The class that declares the change; <see langword="null"/> when the change was read from JSON.</summary>
    public Type? ChangeType { get; init; }

    /// <summary>The names of the request types it upgrades (<c>CreateCustomer</c>), by declarations or code.</summary>
    public IReadOnlyList<string> Requests { get; init; } = [];

    /// <summary>
    /// The request fields it touches, as declared: renamed, removed (older callers may still send it; it is dropped) or added
    /// (older callers cannot send it). <see cref="FieldChange.Resource"/> is the request type's name.
    /// </summary>
    public IReadOnlyList<FieldChange> RequestFieldChanges { get; init; } = [];
    /// <summary>
    /// What the changelog heads the change with: the title the change declares, or else the first sentence of its
    /// description (without its full stop).
    /// </summary>
    [AllowNull]
    public string Title
    {
        get => _title ?? FirstSentence(Description);
        init => _title = value;
    }

    /// <summary>
    /// The product area the changelog files the change under: the category the change declares, or else the first
    /// resource it affects, <c>behavior</c> for a change with side effects only, <c>general</c> for the rest.
    /// </summary>
    [AllowNull]
    public string Category
    {
        get => _category ?? (Resources.Count > 0 ? Resources[0] : HasSideEffects ? "behavior" : "general");
        init => _category = value;
    }

    /// <summary>
    /// Whether callers at the change's version must change their code: it renames, removes or retypes a field, adds an
    /// enum value, reshapes in code, or has side effects. The generator decides; a history may allow it only in majors.
    /// </summary>
    public bool IsBreaking { get; init; }

    /// <summary>
    /// The change applies as any other but stays out of the public changelog, the upgrade guides,
    /// <c>/docs/changelog.json</c> and the OpenAPI descriptions.
    /// </summary>
    public bool IsInternal { get; init; }

    /// <summary>The title the change declares, if any: what the changelog JSON carries.</summary>
    internal string? DeclaredTitle => _title;

    /// <summary>The category the change declares, if any: what the changelog JSON carries.</summary>
    internal string? DeclaredCategory => _category;

    // The first sentence ends at '.', '!' or '?' followed by a space or the end, outside code spans; a full stop is dropped.
    internal static string FirstSentence(string description)
    {
        string text = description.ReplaceLineEndings("\n").Trim();
        int paragraph = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (paragraph >= 0)
        {
            text = text[..paragraph];
        }

        bool inCode = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '`')
            {
                inCode = !inCode;
            }
            else if (!inCode && (c is '.' or '!' or '?') && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                return text[..(c == '.' ? i : i + 1)].ReplaceLineEndings(" ");
            }
        }

        return text.ReplaceLineEndings(" ");
    }
}

/// <summary>A resource's fields at every version, and the C# type that is its current shape.</summary>
/// <param name="ObjectName">The value of its <c>object</c> field.</param>
/// <param name="Shapes">Its shapes, oldest first; the first begins at the initial version and the last is the current shape.</param>
public sealed record ResourceHistory(string ObjectName, IReadOnlyList<ResourceShape> Shapes)
{
    /// <summary>The C# type; <see langword="null"/> when the history was read from JSON.</summary>
    public Type? ResourceType { get; init; }

    /// <summary>The plan the generator compiled: steps for the reference chain, stretches and entries for the writers and the documents.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ResourcePlan? Plan { get; init; }

    /// <summary>The fields of the current shape.</summary>
    public IReadOnlyList<string> CurrentFields => Shapes[^1].Fields;

    /// <summary>The fields at <paramref name="version"/>, in the order they are rendered.</summary>
    public IReadOnlyList<string> GetFields(ApiVersion version) => ResourceShape.At(Shapes, version).Fields;
}

/// <summary>
/// A request type (one a request change names, one marked <see cref="ApiRequestAttribute"/>, or a request object one of
/// them reaches): its fields at every version.
/// </summary>
/// <param name="RequestType">The C# type of the request body or query.</param>
/// <param name="Shapes">Its fields at every version, oldest first; the last one is the current shape.</param>
public sealed record RequestHistory(Type RequestType, IReadOnlyList<ResourceShape> Shapes)
{
    /// <summary>Its forward steps, oldest first.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IReadOnlyList<PlanStep> Steps { get; init; } = [];

    /// <summary>The plan the generator compiled: each field by all its names, and what it holds.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public RequestPlan? Plan { get; init; }

    /// <summary>The fields a request of this type has at <paramref name="version"/>.</summary>
    public IReadOnlyList<string> GetFields(ApiVersion version) => ResourceShape.At(Shapes, version).Fields;
}
