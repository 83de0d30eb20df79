namespace VersionKit;

/// <summary>What a release is: the kinds Stripe ships since <c>2024-09-30.acacia</c>.</summary>
public enum ApiReleaseKind
{
    /// <summary>A named major release (<c>2024-09-30.acacia</c>), the only kind allowed to break. A version a change names that no release declares is a major too, as every dated version was before Stripe named its releases.</summary>
    Major = ApiReleaseSyntax.Major,

    /// <summary>A monthly release that carries its major's name (<c>2024-10-28.acacia</c>) and only adds.</summary>
    Monthly = ApiReleaseSyntax.Monthly,

    /// <summary>A public preview (<c>2026-11-15.preview</c>): served only to callers that name it, never a default and never a pin; rendered on top of the latest stable release.</summary>
    Preview = ApiReleaseSyntax.Preview,
}

/// <summary>A release of the API: a version the history publishes, with its kind and notes. It may carry no change.</summary>
public sealed record ApiRelease
{
    /// <summary>Creates a release.</summary>
    /// <exception cref="ArgumentException">A preview not named <c>preview</c>, or another kind named so.</exception>
    public ApiRelease(ApiVersion version, ApiReleaseKind kind, string? notes = null)
    {
        bool named = version.ReleaseName == ApiReleaseSyntax.PreviewName;
        if ((kind == ApiReleaseKind.Preview) != named || !Enum.IsDefined(kind))
        {
            throw new ArgumentException(
                kind == ApiReleaseKind.Preview
                    ? $"Preview release {version} must be named '{ApiReleaseSyntax.PreviewName}': {version.Date:yyyy-MM-dd}.{ApiReleaseSyntax.PreviewName}."
                    : $"Release {version} is {ApiReleaseSyntax.KindName((int)kind)}; only a preview release is named '{ApiReleaseSyntax.PreviewName}'.",
                nameof(kind));
        }

        Version = version;
        Kind = kind;
        Notes = notes;
    }

    /// <summary>The release's version.</summary>
    public ApiVersion Version { get; }

    /// <summary>Major, monthly or preview.</summary>
    public ApiReleaseKind Kind { get; }

    /// <summary>What the release is about, in Markdown, for the changelog; <see langword="null"/> when it has none.</summary>
    public string? Notes { get; }

    /// <summary>Whether it is a preview: served only to callers that name it.</summary>
    public bool IsPreview => Kind == ApiReleaseKind.Preview;

    /// <summary>Checks a list of releases (oldest first) by the rules the generator applies; the first problem as an exception.</summary>
    internal static void Check(IReadOnlyList<ApiRelease> releases, string parameter)
    {
        for (int i = 1; i < releases.Count; i++)
        {
            if (releases[i].Version <= releases[i - 1].Version)
            {
                throw new ArgumentException($"Releases must be listed oldest first without repeats: {releases[i].Version} follows {releases[i - 1].Version}.", parameter);
            }
        }

        var specs = releases.Select(r => new ReleaseSpec(r.Version.Date.Year, r.Version.Date.Month, r.Version.Date.Day, r.Version.ReleaseName, (int)r.Kind, declared: false)).ToList();
        if (ApiReleaseSyntax.Check(specs) is [var first, ..])
        {
            throw new ArgumentException(first.Value, parameter);
        }
    }
}

/// <summary>How <see cref="ApiHistory.TryResolve(string?, UnknownVersionDate, out ApiVersion, out string?)"/> reads a date that is not a release.</summary>
public enum UnknownVersionDate
{
    /// <summary>Refused, with the valid versions: Stripe's behaviour and the default.</summary>
    Strict,

    /// <summary>
    /// A bare date between two releases is the stable release before it (a date after the latest, the latest stable). A
    /// name that is not the release's, a date before the first version and a preview's date are still refused.
    /// </summary>
    NearestEarlier,
}
