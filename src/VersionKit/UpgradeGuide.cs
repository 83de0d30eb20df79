namespace VersionKit;

/// <summary>
/// What changed between two versions: every change after <see cref="From"/> up to and including <see cref="To"/>, grouped by
/// the resource it touches with each field's name, type or value before and after, and the changes with side effects called
/// out. Get one from <see cref="ApiHistory.GetUpgradeGuide"/> or <see cref="ApiChangelog.GetUpgradeGuide"/>.
/// </summary>
public sealed class UpgradeGuide
{
    internal UpgradeGuide(ApiChangelog changelog, ApiVersion from, ApiVersion to)
    {
        From = from;
        To = to;
        Changes = [.. changelog.Changes.Where(c => c.Version > from && c.Version <= to)];
        Versions = [.. changelog.Versions.Where(v => v > from && v <= to)];
        SideEffects = [.. Changes.Where(c => c.HasSideEffects)];
        EndpointChanges = [.. changelog.EndpointChanges.Where(c => c.Version > from && c.Version <= to)];
        Resources = [.. changelog.Resources
            .Where(r => Changes.Any(c => Touches(c, r.ObjectName)))
            .OrderBy(r => r.ObjectName, StringComparer.Ordinal)
            .Select(r => new UpgradeGuideResource(r.ObjectName, r.GetFields(from), r.GetFields(to), Steps(r.ObjectName)))];
        Requests = [.. Changes.SelectMany(c => c.Requests).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => new UpgradeGuideRequest(name, [.. Changes.Where(c => c.Requests.Contains(name, StringComparer.Ordinal)).SelectMany(c => RequestSteps(c, name))]))];
    }

    /// <summary>The version upgraded from.</summary>
    public ApiVersion From { get; }

    /// <summary>The version upgraded to.</summary>
    public ApiVersion To { get; }

    /// <summary>The versions after <see cref="From"/> up to and including <see cref="To"/>, oldest first.</summary>
    public IReadOnlyList<ApiVersion> Versions { get; }

    /// <summary>Every change of <see cref="Versions"/>, oldest first.</summary>
    public IReadOnlyList<ApiChange> Changes { get; }

    /// <summary>The resources those changes touch, by object name, each with its own steps.</summary>
    public IReadOnlyList<UpgradeGuideResource> Resources { get; }

    /// <summary>The request types those changes upgrade, by name, each with its own steps: what a caller sends differently at <see cref="To"/>.</summary>
    public IReadOnlyList<UpgradeGuideRequest> Requests { get; }

    /// <summary>The changes with side effects: they alter what the API does, not the shape of what it returns.</summary>
    public IReadOnlyList<ApiChange> SideEffects { get; }

    /// <summary>The endpoints <see cref="Versions"/> introduced, removed or gave a new handler, oldest first (those the changelog was given).</summary>
    public IReadOnlyList<ApiEndpointChange> EndpointChanges { get; }

    /// <summary>The guide as Markdown.</summary>
    public string ToMarkdown() => ChangelogMarkdown.Upgrade(this);

    private static bool Touches(ApiChange change, string objectName)
        => change.Resources.Contains(objectName, StringComparer.Ordinal) || change.FieldChanges.Any(f => f.Resource == objectName);

    private static IEnumerable<UpgradeGuideStep> RequestSteps(ApiChange change, string request)
    {
        var fields = change.RequestFieldChanges.Where(f => f.Resource == request).ToList();
        return fields.Count == 0 ? [new UpgradeGuideStep(change, null)] : fields.Select(f => new UpgradeGuideStep(change, f));
    }

    private List<UpgradeGuideStep> Steps(string objectName)
    {
        var steps = new List<UpgradeGuideStep>();
        foreach (var change in Changes.Where(c => Touches(c, objectName)))
        {
            var fields = change.FieldChanges.Where(f => f.Resource == objectName).ToList();
            if (fields.Count == 0)
            {
                // A change that rewrites the resource in code without declaring fields: its description says what it does.
                steps.Add(new UpgradeGuideStep(change, null));
            }

            steps.AddRange(fields.Select(f => new UpgradeGuideStep(change, f)));
        }

        return steps;
    }
}

/// <summary>One resource in an <see cref="UpgradeGuide"/>.</summary>
/// <param name="ObjectName">The resource's object name.</param>
/// <param name="FieldsBefore">Its fields at <see cref="UpgradeGuide.From"/>.</param>
/// <param name="FieldsAfter">Its fields at <see cref="UpgradeGuide.To"/>.</param>
/// <param name="Steps">What happened to it, oldest change first.</param>
public sealed record UpgradeGuideResource(string ObjectName, IReadOnlyList<string> FieldsBefore, IReadOnlyList<string> FieldsAfter, IReadOnlyList<UpgradeGuideStep> Steps);

/// <summary>One thing a change did to a resource in an <see cref="UpgradeGuide"/>.</summary>
/// <param name="Change">The change.</param>
/// <param name="Field">The field it touched, with its name, type or value before and after; <see langword="null"/> when the change rewrites the resource in code without declaring fields.</param>
public sealed record UpgradeGuideStep(ApiChange Change, FieldChange? Field);

/// <summary>One request type in an <see cref="UpgradeGuide"/>.</summary>
/// <param name="Name">The request type's name (<c>CreateCustomer</c>).</param>
/// <param name="Steps">What happened to it, oldest change first; a step without a field is an upgrade in code.</param>
public sealed record UpgradeGuideRequest(string Name, IReadOnlyList<UpgradeGuideStep> Steps);
