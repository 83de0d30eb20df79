using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VersionKit;

/// <summary>
/// An API's version history, compiled by the source generator from the <see cref="ApiHistoryAttribute"/> class, the
/// resources and the version changes of a project: every version, every change, and each resource's backward chain.
/// Read it at run time without reflection; render with <see cref="ApiRenderer"/>.
/// </summary>
public abstract class ApiHistory
{
    private readonly FrozenDictionary<ApiVersion, int> _versionIndex;
    private readonly int _latestIndex;
    private readonly FrozenDictionary<DateOnly, ApiVersion> _versionByDate;
    private readonly FrozenDictionary<Type, ApiChange> _changesByType;
    private readonly FrozenDictionary<string, ResourceHistory> _resources;
    private readonly RequestReader _requests;

    /// <summary>Called by the generated history class.</summary>
    /// <param name="initialVersion">The first version.</param>
    /// <param name="namingPolicy">The naming policy the generator applied to property names.</param>
    /// <param name="changes">Every change, oldest first and in order within a version.</param>
    /// <param name="resources">Every resource.</param>
    /// <param name="requests">Every request type that request changes upgrade.</param>
    /// <param name="releases">
    /// Every release, oldest first, the initial version first; empty for a history that declares none, whose versions are
    /// then majors: the initial version and every version a change names.
    /// </param>
    /// <exception cref="ArgumentException">The releases break a rule of <see cref="ApiReleaseKind"/>, or a change belongs to no release.</exception>
    protected ApiHistory(ApiVersion initialVersion, JsonKnownNamingPolicy namingPolicy, IReadOnlyList<ApiChange> changes, IReadOnlyList<ResourceHistory> resources, IReadOnlyList<RequestHistory> requests, IReadOnlyList<ApiRelease> releases)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(releases);
        InitialVersion = initialVersion;
        NamingPolicy = namingPolicy;
        Changes = changes;
        Resources = resources;

        if (releases.Count == 0)
        {
            releases = [.. changes.Select(c => c.Version).Append(initialVersion).Distinct().Order().Select(v => new ApiRelease(v, ApiReleaseKind.Major))];
        }

        ApiRelease.Check(releases, nameof(releases));
        if (releases[0].Version != initialVersion)
        {
            throw new ArgumentException($"The first release is {releases[0].Version}, not the initial version {initialVersion}.", nameof(releases));
        }

        Releases = releases;
        Versions = [.. releases.Select(r => r.Version)];
        _versionIndex = Versions.Select((v, i) => KeyValuePair.Create(v, i)).ToFrozenDictionary();
        if (changes.FirstOrDefault(c => !_versionIndex.ContainsKey(c.Version)) is { } orphan)
        {
            throw new ArgumentException($"Change {orphan.Name} belongs to {orphan.Version}, which is not a release of the history.", nameof(changes));
        }

        Latest = releases.Last(r => !r.IsPreview).Version;
        _latestIndex = _versionIndex[Latest];

        // A bare date finds its release, unless that release is a preview: a preview is served only to callers that name it.
        _versionByDate = releases.Where(r => !r.IsPreview).GroupBy(r => r.Version.Date).Where(g => g.Count() == 1).ToFrozenDictionary(g => g.Key, g => g.Single().Version);
        _changesByType = changes.Where(c => c.ChangeType is not null).ToFrozenDictionary(c => c.ChangeType!);
        _resources = resources.ToFrozenDictionary(r => r.ObjectName, StringComparer.Ordinal);
        Requests = requests;
        _requests = new RequestReader(Versions, requests);
    }

    /// <summary>The first version of the API.</summary>
    public ApiVersion InitialVersion { get; }

    /// <summary>
    /// The latest stable release: what callers without a version get and what new accounts are pinned to. Previews come
    /// after it; the app's code writes the shape of the newest version, a preview's when there is one.
    /// </summary>
    public ApiVersion Latest { get; }

    /// <summary>Every version, oldest first: the versions of <see cref="Releases"/>, previews included.</summary>
    public IReadOnlyList<ApiVersion> Versions { get; }

    /// <summary>Every release, oldest first, with its kind and notes; previews last.</summary>
    public IReadOnlyList<ApiRelease> Releases { get; }

    /// <summary>The release of <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not one of <see cref="Versions"/>.</exception>
    public ApiRelease GetRelease(ApiVersion version)
    {
        EnsureKnown(version);
        return Releases[IndexOf(version)];
    }

    /// <summary>Every change, oldest first and in order within a version.</summary>
    public IReadOnlyList<ApiChange> Changes { get; }

    /// <summary>Every resource the generator found.</summary>
    public IReadOnlyList<ResourceHistory> Resources { get; }

    /// <summary>The naming policy the generator applied to property names.</summary>
    public JsonKnownNamingPolicy NamingPolicy { get; }

    /// <summary>
    /// Every request type the history knows: those request changes name, those marked <see cref="ApiRequestAttribute"/>, and
    /// every request object their properties reach.
    /// </summary>
    public IEnumerable<RequestHistory> Requests { get; }

    /// <summary>Finds a request type the history knows (see <see cref="Requests"/>).</summary>
    public bool TryGetRequest(Type requestType, [NotNullWhen(true)] out RequestHistory? request)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        return _requests.TryGet(requestType, out request);
    }

    /// <summary>Whether requests of <paramref name="requestType"/> sent at <paramref name="version"/> need upgrading (by its changes or those of a request object inside it).</summary>
    public bool NeedsUpgrade(Type requestType, ApiVersion version) => _requests.NeedsUpgrade(requestType, IndexOf(version));

    /// <summary>
    /// Upgrades a request sent at <paramref name="version"/> to the current shape, in place: every request change newer than
    /// the version, oldest first (each version's code, then its declarations), on the request and on every request object
    /// inside it (in a property, a list, a dictionary's values), outermost first.
    /// </summary>
    /// <returns>Whether any change applied.</returns>
    /// <exception cref="RequestShapeException">The request is not the shape a change expects.</exception>
    public bool UpgradeRequest(Type requestType, JsonObject request, ApiVersion version)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(request);
        return _requests.Upgrade(requestType, request, IndexOf(version));
    }

    /// <summary>
    /// Reads a request a caller sent at <paramref name="version"/> into the current shape, in place, by one rule at every
    /// version: a field the version does not have is refused (<see cref="RequestShapeException.UnknownField"/>), and so are
    /// two names of one field; then the request is upgraded (<see cref="UpgradeRequest"/>); then every value is checked
    /// against the current type (a string, an integer in the property's range, a number, a boolean, an object, a list),
    /// where <paramref name="valuesAreText"/> (a form body or a query string, whose values are all strings) turns the text of
    /// a number or a boolean into one, and an empty value into <see langword="null"/>. A dictionary takes any keys. Errors
    /// name the field as the caller sent it (<c>to[zip]</c>). A type the history does not know is left as it is.
    /// </summary>
    /// <returns>Whether any change applied.</returns>
    /// <exception cref="RequestShapeException">The request is not what <paramref name="version"/> takes.</exception>
    public bool ReadRequest(Type requestType, JsonObject request, ApiVersion version, bool valuesAreText = false)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(request);
        EnsureKnown(version);
        return _requests.Read(requestType, request, IndexOf(version), valuesAreText);
    }

    /// <summary>
    /// The name a caller at <paramref name="version"/> gives the request field the current shape calls
    /// <paramref name="field"/> (<c>limit</c>, or a path such as <c>to[postal_code]</c>), so that a handler's own error names
    /// the field as that caller sends it. A field the history does not know is returned as it is.
    /// </summary>
    public string GetRequestFieldName(Type requestType, string field, ApiVersion version)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(field);
        EnsureKnown(version);
        return _requests.NameAt(requestType, field, IndexOf(version));
    }

    /// <summary>Whether <paramref name="version"/> is one of <see cref="Versions"/>.</summary>
    public bool IsKnown(ApiVersion version) => _versionIndex.ContainsKey(version);

    /// <summary>
    /// Whether <paramref name="version"/> predates the change <typeparamref name="TChange"/>: a caller at it is older than
    /// the change, so it keeps what the change replaced (usually asked of a change with side effects).
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TChange"/> is not a version change of this history.</exception>
    public bool Predates<TChange>(ApiVersion version)
        where TChange : class
        => _changesByType.TryGetValue(typeof(TChange), out var change)
            ? version < change.Version
            : throw new ArgumentException($"{typeof(TChange).Name} is not a version change of {GetType().Name}; mark it with [VersionChange].", nameof(TChange));

    /// <summary>The changes introduced by <paramref name="version"/>, in order.</summary>
    public IReadOnlyList<ApiChange> GetChanges(ApiVersion version) => [.. Changes.Where(c => c.Version == version)];

    /// <summary>Finds a resource by its object name.</summary>
    public bool TryGetResource(string objectName, [NotNullWhen(true)] out ResourceHistory? resource)
        => _resources.TryGetValue(objectName, out resource);

    /// <summary>The JSON fields of resource <paramref name="objectName"/> at <paramref name="version"/>, in the order they are rendered.</summary>
    /// <exception cref="ArgumentException">The resource or the version is unknown.</exception>
    public IReadOnlyList<string> GetFields(string objectName, ApiVersion version)
    {
        if (!_resources.TryGetValue(objectName, out var resource))
        {
            throw new ArgumentException($"'{objectName}' is not a resource of {GetType().Name}.", nameof(objectName));
        }

        EnsureKnown(version);
        return resource.GetFields(version);
    }

    /// <summary>
    /// What changed between <paramref name="from"/> and <paramref name="to"/>: every change after <paramref name="from"/> up to
    /// and including <paramref name="to"/>, grouped by resource, with the changes that have side effects called out; as data
    /// and, with <see cref="UpgradeGuide.ToMarkdown"/>, as Markdown.
    /// </summary>
    /// <exception cref="ArgumentException">A version is not one of <see cref="Versions"/>, or <paramref name="from"/> is newer than <paramref name="to"/>.</exception>
    public UpgradeGuide GetUpgradeGuide(ApiVersion from, ApiVersion to) => ApiChangelog.From(this).GetUpgradeGuide(from, to);

    /// <summary>
    /// Reads a version as a caller sent it and checks that it is one of <see cref="Versions"/>. A bare date finds the named
    /// release of that date (<c>2024-09-30</c> finds <c>2024-09-30.acacia</c>); a release name that does not belong to its
    /// date is refused. On failure, <paramref name="error"/> says what was wrong and lists the valid versions.
    /// </summary>
    public bool TryResolve(string? text, out ApiVersion version, [NotNullWhen(false)] out string? error)
        => TryResolve(text, UnknownVersionDate.Strict, out version, out error);

    /// <summary>
    /// Reads a version as <see cref="TryResolve(string?, out ApiVersion, out string?)"/> does; with
    /// <see cref="UnknownVersionDate.NearestEarlier"/>, a bare date that is no release's is the stable release before it.
    /// A preview is found only by its full name (<c>2026-11-15.preview</c>), never by its date.
    /// </summary>
    public bool TryResolve(string? text, UnknownVersionDate unknownDate, out ApiVersion version, [NotNullWhen(false)] out string? error)
    {
        if (!ApiVersion.TryParse((text ?? string.Empty).AsSpan(), out var parsed, out error))
        {
            version = default;
            error += " Valid versions: " + ValidVersionsText + ".";
            return false;
        }

        if (_versionIndex.ContainsKey(parsed))
        {
            version = parsed;
            return true;
        }

        if (parsed.ReleaseName is null && _versionByDate.TryGetValue(parsed.Date, out version))
        {
            return true;
        }

        var sameDate = Versions.Where(v => v.Date == parsed.Date).ToList();
        if (unknownDate == UnknownVersionDate.NearestEarlier && parsed.ReleaseName is null && sameDate.Count == 0 && parsed > InitialVersion)
        {
            version = Releases.Last(r => !r.IsPreview && r.Version.Date < parsed.Date).Version;
            return true;
        }

        version = default;
        error = sameDate.Count == 1 && GetRelease(sameDate[0]).IsPreview && parsed.ReleaseName is null
            ? $"'{parsed}' is the date of the preview release '{sameDate[0]}'; a preview is served only to callers that name it: send '{sameDate[0]}'. Valid versions: {ValidVersionsText}."
            : sameDate.Count > 0
            ? $"'{parsed}' is not a version of this API: the release of {parsed.Date:yyyy-MM-dd} is named {string.Join(" or ", sameDate.Select(v => $"'{v}'"))}. Valid versions: {ValidVersionsText}."
            : parsed > Versions[^1]
                ? $"'{parsed}' is not a version of this API: it is newer than the {(Versions[^1] == Latest ? "latest version," : "newest version, the preview")} {Versions[^1]}. Valid versions: {ValidVersionsText}."
                : $"'{parsed}' is not a version of this API. Valid versions: {ValidVersionsText}.";
        return false;
    }

    private string ValidVersionsText => string.Join(", ", Versions);

    // The latest release is what new accounts and calls without a version get: one comparison spares it the hashing.
    internal int IndexOf(ApiVersion version)
        => version == Latest ? _latestIndex : _versionIndex.TryGetValue(version, out int index) ? index : -1;

    /// <summary>The writers the generator emitted for this history's resources and the types that carry them; the generated class supplies them.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected internal virtual IEnumerable<VersionKit.Generated.ResourceWriter> CreateWriters(VersionKit.Generated.WriterContext context) => [];

    internal void EnsureKnown(ApiVersion version)
    {
        if (!_versionIndex.ContainsKey(version))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"{version} is not a version of {GetType().Name}. Valid versions: {ValidVersionsText}.");
        }
    }
}
