namespace VersionKit;

/// <summary>
/// A version change as documentation: what the changelog, the upgrade guide and the OpenAPI documents read. It names the
/// change's class rather than holding it, so that it can also be read back from a built assembly without loading it
/// (<see cref="ApiChangelog.FromJson"/>); a history's own changes are <see cref="VersionChangeInfo"/>, which add the class.
/// </summary>
/// <param name="Name">The change's class name, as the changelog shows it.</param>
/// <param name="Version">The version that introduced it.</param>
/// <param name="Description">What changed, in Markdown.</param>
/// <param name="HasSideEffects">The change transforms nothing; code asks whether it is active.</param>
/// <param name="Order">Its place among the changes of its version (0 when none was given).</param>
/// <param name="Resources">Object names of the resources it affects.</param>
/// <param name="FieldChanges">The fields it touches, as declared.</param>
/// <param name="HasCode">Some of its transformations are code rather than declarations.</param>
public record ApiChange(
    string Name,
    ApiVersion Version,
    string Description,
    bool HasSideEffects,
    int Order,
    IReadOnlyList<string> Resources,
    IReadOnlyList<FieldChange> FieldChanges,
    bool HasCode);

/// <summary>A resource's fields at every version: what the docs and the OpenAPI documents read.</summary>
/// <param name="ObjectName">The value of its <c>object</c> field.</param>
/// <param name="Shapes">Its shapes, oldest first; the first begins at the initial version and the last is the current shape.</param>
public record ResourceHistory(string ObjectName, IReadOnlyList<ResourceShape> Shapes)
{
    /// <summary>The fields of the current shape.</summary>
    public IReadOnlyList<string> CurrentFields => Shapes[^1].Fields;

    /// <summary>The fields at <paramref name="version"/>, in the order they are rendered.</summary>
    public IReadOnlyList<string> GetFields(ApiVersion version)
    {
        var shape = Shapes[0];
        foreach (var candidate in Shapes)
        {
            if (candidate.Since <= version)
            {
                shape = candidate;
            }
        }

        return shape.Fields;
    }
}
