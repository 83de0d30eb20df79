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

/// <summary>The fields a resource has from <paramref name="Since"/> until the next shape begins.</summary>
/// <param name="Since">The first version with this shape.</param>
/// <param name="Fields">The JSON field names, in the order they are rendered.</param>
public sealed record ResourceShape(ApiVersion Since, IReadOnlyList<string> Fields)
{
    /// <summary>The shape of <paramref name="shapes"/> (oldest first) that holds at <paramref name="version"/>.</summary>
    internal static ResourceShape At(IReadOnlyList<ResourceShape> shapes, ApiVersion version)
    {
        var shape = shapes[0];
        foreach (var candidate in shapes)
        {
            if (candidate.Since <= version)
            {
                shape = candidate;
            }
        }

        return shape;
    }
}
