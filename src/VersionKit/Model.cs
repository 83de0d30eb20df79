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

/// <summary>
/// One step of a chain: for a resource, it turns the JSON at <see cref="Version"/> into the JSON just before (backward);
/// for a request, it turns a request from just before <see cref="Version"/> into the request at it (forward).
/// </summary>
/// <param name="Version">The version of the change.</param>
/// <param name="ChangeType">The change the step belongs to.</param>
/// <param name="IsCode">The step runs a user-written transformation (which may reshape nested objects).</param>
/// <param name="Apply">The transformation, applied in place.</param>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed record ChangeStep(ApiVersion Version, Type ChangeType, bool IsCode, Action<JsonObject> Apply);

/// <summary>A resource as the generator compiled it: its current fields, its shape at every version, and its backward chain.</summary>
/// <param name="ObjectName">The value of its <c>object</c> field.</param>
/// <param name="ResourceType">The C# type.</param>
/// <param name="Shapes">Its shapes, oldest first; the last one is the current shape.</param>
/// <param name="Steps">Its backward steps, newest first.</param>
public sealed record ResourceDefinition(string ObjectName, Type ResourceType, IReadOnlyList<ResourceShape> Shapes, IReadOnlyList<ChangeStep> Steps)
    : ResourceHistory(ObjectName, Shapes);

/// <summary>A request type that request changes upgrade: its forward chain.</summary>
/// <param name="RequestType">The C# type of the request body.</param>
/// <param name="Steps">Its forward steps, oldest first.</param>
public sealed record RequestDefinition(Type RequestType, IReadOnlyList<ChangeStep> Steps);
