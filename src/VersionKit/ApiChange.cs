using System.ComponentModel;
using VersionKit.Generated;

namespace VersionKit;

/// <summary>
/// A version change: what it did, for the changelog, the upgrade guides and the OpenAPI documents, and the class that
/// declares it (<see cref="ChangeType"/>, which <see cref="ApiHistory.IsActive{TChange}"/> asks about). Read back from a
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
    /// <summary>The class that declares the change; <see langword="null"/> when the change was read from JSON.</summary>
    public Type? ChangeType { get; init; }

    /// <summary>The names of the request types it upgrades (<c>CreateCustomer</c>), by declarations or code.</summary>
    public IReadOnlyList<string> Requests { get; init; } = [];

    /// <summary>
    /// The request fields it touches, as declared: renamed, removed (older callers may still send it; it is dropped) or added
    /// (older callers cannot send it). <see cref="FieldChange.Resource"/> is the request type's name.
    /// </summary>
    public IReadOnlyList<FieldChange> RequestFieldChanges { get; init; } = [];
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
