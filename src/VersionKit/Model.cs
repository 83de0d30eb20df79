using System.ComponentModel;

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

/// <summary>A resource as the generator compiled it: its fields at every version, and the plan every renderer and document reads.</summary>
/// <param name="ObjectName">The value of its <c>object</c> field.</param>
/// <param name="ResourceType">The C# type.</param>
/// <param name="Shapes">Its shapes, oldest first; the last one is the current shape.</param>
/// <param name="Plan">Its plan: steps for the reference chain, stretches and entries for the writers and the documents.</param>
public sealed record ResourceDefinition(string ObjectName, Type ResourceType, IReadOnlyList<ResourceShape> Shapes, [property: EditorBrowsable(EditorBrowsableState.Never)] VersionKit.Generated.ResourcePlan Plan)
    : ResourceHistory(ObjectName, Shapes);

/// <summary>A request type that request changes upgrade: its forward steps and its fields at every version.</summary>
/// <param name="RequestType">The C# type of the request body.</param>
/// <param name="Steps">Its forward steps, oldest first.</param>
/// <param name="Shapes">Its fields at every version, oldest first; the last one is the current shape.</param>
public sealed record RequestDefinition(Type RequestType, [property: EditorBrowsable(EditorBrowsableState.Never)] IReadOnlyList<VersionKit.Generated.PlanStep> Steps, IReadOnlyList<ResourceShape> Shapes);
