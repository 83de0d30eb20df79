using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VersionKit;

/// <summary>
/// An API's history as documentation: every version, every change with the fields it touches, and every resource's fields
/// at every version, with no code and no types. It is what the build-time changelog, the upgrade guides, the docs pages and
/// <c>/docs/changelog.json</c> are made from. Get it from a running history with <see cref="From"/>, or from the JSON the
/// generator embeds in a built assembly with <see cref="FromJson"/>; both give the same Markdown.
/// </summary>
public sealed class ApiChangelog
{
    /// <summary>The name of the assembly metadata (<see cref="System.Reflection.AssemblyMetadataAttribute"/>) the generator writes the JSON into.</summary>
    public const string AssemblyMetadataKey = "VersionKit.Changelog";

    /// <summary>The version of the JSON format, written as its <c>format</c> field.</summary>
    public const int JsonFormat = 2;

    private static readonly ConditionalWeakTable<ApiHistory, ApiChangelog> Cache = new();

    private readonly Dictionary<ApiVersion, int> _versionIndex;

    /// <summary>Creates a changelog from its parts, checking that they add up.</summary>
    /// <param name="historyName">The name of the history class (<c>PaymentsApiHistory</c>).</param>
    /// <param name="releases">Every release, oldest first, without repeats; the first is the initial version.</param>
    /// <param name="changes">Every public change, oldest first and in order within a release; each of one of <paramref name="releases"/>.</param>
    /// <param name="resources">Every resource with its shapes.</param>
    /// <exception cref="ArgumentException">The parts do not add up; the message says how.</exception>
    public ApiChangelog(string historyName, IReadOnlyList<ApiRelease> releases, IReadOnlyList<ApiChange> changes, IReadOnlyList<ResourceHistory> resources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(historyName);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(resources);
        if (releases.Count == 0)
        {
            throw new ArgumentException("A changelog has at least one release, the initial version.", nameof(releases));
        }

        ApiRelease.Check(releases, nameof(releases));
        _versionIndex = [];
        for (int i = 0; i < releases.Count; i++)
        {
            _versionIndex[releases[i].Version] = i;
        }

        foreach (var change in changes)
        {
            if (!_versionIndex.TryGetValue(change.Version, out int index) || index == 0)
            {
                throw new ArgumentException($"Change {change.Name} belongs to {change.Version}, which is not a release after the initial one.", nameof(changes));
            }

            if (change.IsInternal)
            {
                throw new ArgumentException($"Change {change.Name} is internal; the changelog is public and holds public changes only.", nameof(changes));
            }
        }

        foreach (var resource in resources)
        {
            if (resource.Shapes.Count == 0 || resource.Shapes.Any(s => !_versionIndex.ContainsKey(s.Since)))
            {
                throw new ArgumentException($"Resource '{resource.ObjectName}' needs shapes that begin at versions of the history.", nameof(resources));
            }
        }

        HistoryName = historyName;
        Releases = releases;
        Versions = [.. releases.Select(r => r.Version)];
        Latest = releases.Last(r => !r.IsPreview).Version;
        Changes = changes;
        Resources = resources;
    }

    /// <summary>The name of the history class (<c>PaymentsApiHistory</c>).</summary>
    public string HistoryName { get; }

    /// <summary>Every release, oldest first; previews last.</summary>
    public IReadOnlyList<ApiRelease> Releases { get; }

    /// <summary>Every version, oldest first: the versions of <see cref="Releases"/>.</summary>
    public IReadOnlyList<ApiVersion> Versions { get; }

    /// <summary>The first version.</summary>
    public ApiVersion InitialVersion => Versions[0];

    /// <summary>The latest stable release (previews come after it).</summary>
    public ApiVersion Latest { get; }

    /// <summary>Every public change, oldest first and in order within a release.</summary>
    public IReadOnlyList<ApiChange> Changes { get; }

    /// <summary>Every resource with its fields at every version.</summary>
    public IReadOnlyList<ResourceHistory> Resources { get; }

    /// <summary>The endpoints versions introduced, removed or gave a new handler, oldest version first; none unless <see cref="WithEndpointChanges"/> added them.</summary>
    public IReadOnlyList<ApiEndpointChange> EndpointChanges { get; private init; } = [];

    /// <summary>The public changelog of a running history, without its internal changes (made once per history and kept).</summary>
    public static ApiChangelog From(ApiHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Cache.GetValue(history, static h => new ApiChangelog(h.GetType().Name, h.Releases, [.. h.Changes.Where(c => !c.IsInternal)], h.Resources));
    }

    /// <summary>The release of <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not one of <see cref="Versions"/>.</exception>
    public ApiRelease GetRelease(ApiVersion version)
        => _versionIndex.TryGetValue(version, out int index)
            ? Releases[index]
            : throw new ArgumentException($"{version} is not a version of this API. Valid versions: {string.Join(", ", Versions)}.", nameof(version));

    /// <summary>
    /// This changelog with <paramref name="endpointChanges"/> (the app's routes know them, the generator does not): each
    /// version lists its own, and upgrade guides the ones between their versions.
    /// </summary>
    /// <exception cref="ArgumentException">A change's version is not one of <see cref="Versions"/>.</exception>
    public ApiChangelog WithEndpointChanges(IEnumerable<ApiEndpointChange> endpointChanges)
    {
        ArgumentNullException.ThrowIfNull(endpointChanges);
        var sorted = endpointChanges.Distinct().OrderBy(c => c.Version).ThenBy(c => c.Kind).ThenBy(c => c.Endpoint, StringComparer.Ordinal).ToList();
        foreach (var change in sorted)
        {
            if (!IsKnown(change.Version))
            {
                throw new ArgumentException($"The endpoint change of {change.Endpoint} is at {change.Version}, which is not a version of this API. Valid versions: {string.Join(", ", Versions)}.", nameof(endpointChanges));
            }
        }

        return new ApiChangelog(HistoryName, Releases, Changes, Resources) { EndpointChanges = sorted };
    }

    /// <summary>The endpoints <paramref name="version"/> introduced, removed or gave a new handler.</summary>
    public IReadOnlyList<ApiEndpointChange> GetEndpointChanges(ApiVersion version) => [.. EndpointChanges.Where(c => c.Version == version)];

    /// <summary>Whether <paramref name="version"/> is one of <see cref="Versions"/>.</summary>
    public bool IsKnown(ApiVersion version) => _versionIndex.ContainsKey(version);

    /// <summary>The changes <paramref name="version"/> introduced, in order (none for the initial version or an unknown one).</summary>
    public IReadOnlyList<ApiChange> GetChanges(ApiVersion version) => [.. Changes.Where(c => c.Version == version)];

    /// <summary>
    /// What changed between <paramref name="from"/> and <paramref name="to"/>: every change after <paramref name="from"/> up to
    /// and including <paramref name="to"/>, grouped by resource, with the changes that have side effects called out.
    /// </summary>
    /// <exception cref="ArgumentException">A version is not one of <see cref="Versions"/>, or <paramref name="from"/> is newer than <paramref name="to"/>.</exception>
    public UpgradeGuide GetUpgradeGuide(ApiVersion from, ApiVersion to)
    {
        if (CheckUpgrade(from, to) is { } problem)
        {
            throw new ArgumentException(problem.Message, problem.Parameter);
        }

        return new UpgradeGuide(this, from, to);
    }

    /// <summary>
    /// The upgrade guide from <paramref name="from"/> to <paramref name="to"/>, or in <paramref name="error"/> a sentence that
    /// says why there is none (a version that is not one of <see cref="Versions"/>, or <paramref name="from"/> newer than
    /// <paramref name="to"/>), fit to show a person.
    /// </summary>
    public bool TryGetUpgradeGuide(ApiVersion from, ApiVersion to, [NotNullWhen(true)] out UpgradeGuide? guide, [NotNullWhen(false)] out string? error)
    {
        if (CheckUpgrade(from, to) is { } problem)
        {
            (guide, error) = (null, problem.Message);
            return false;
        }

        (guide, error) = (new UpgradeGuide(this, from, to), null);
        return true;
    }

    private (string Message, string Parameter)? CheckUpgrade(ApiVersion from, ApiVersion to)
    {
        string valid = " Valid versions: " + string.Join(", ", Versions) + ".";
        if (!IsKnown(from))
        {
            return ($"'from' is {from}, which is not a version of this API." + valid, nameof(from));
        }

        if (!IsKnown(to))
        {
            return ($"'to' is {to}, which is not a version of this API." + valid, nameof(to));
        }

        return from > to
            ? ($"'from' ({from}) is newer than 'to' ({to}): an upgrade goes from an older version to a newer one. Swap them to read what changed between the two.", nameof(from))
            : null;
    }

    /// <summary>
    /// The whole changelog as Markdown, as Stripe's reads: previews first, then the releases grouped under their major,
    /// newest first, each change with its title, category, resources and whether it breaks. The build's <c>CHANGELOG.md</c>.
    /// </summary>
    public string ToMarkdown() => ChangelogMarkdown.Changelog(this, since: null);

    /// <summary>The changelog as <see cref="ToMarkdown()"/> writes it, of the releases after <paramref name="since"/> only: what changed since a version.</summary>
    /// <exception cref="ArgumentException"><paramref name="since"/> is not one of <see cref="Versions"/>.</exception>
    public string ToMarkdownSince(ApiVersion since)
        => IsKnown(since)
            ? ChangelogMarkdown.Changelog(this, since)
            : throw new ArgumentException($"{since} is not a version of this API. Valid versions: {string.Join(", ", Versions)}.", nameof(since));

    /// <summary>One version's part of the changelog as Markdown: the build's <c>&lt;version&gt;.md</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not one of <see cref="Versions"/>.</exception>
    public string ToMarkdown(ApiVersion version)
        => IsKnown(version)
            ? ChangelogMarkdown.Version(this, version)
            : throw new ArgumentException($"{version} is not a version of this API. Valid versions: {string.Join(", ", Versions)}.", nameof(version));

    /// <summary>
    /// The changelog as JSON: the format the generator embeds in a built assembly and <c>/docs/changelog.json</c> serves,
    /// indented, with <c>\n</c> line ends, the same bytes for the same history.
    /// </summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("format", JsonFormat);
            json.WriteString("history", HistoryName);
            json.WriteStartArray("releases");
            foreach (var release in Releases)
            {
                json.WriteStartObject();
                json.WriteString("version", release.Version.ToString());
                json.WriteString("kind", ApiReleaseSyntax.KindName((int)release.Kind));
                json.WriteString("notes", release.Notes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("changes");
            foreach (var change in Changes)
            {
                json.WriteStartObject();
                json.WriteString("name", change.Name);
                json.WriteString("version", change.Version.ToString());
                json.WriteString("description", change.Description);
                json.WriteString("title", change.DeclaredTitle);
                json.WriteString("category", change.DeclaredCategory);
                json.WriteBoolean("breaking", change.IsBreaking);
                json.WriteNumber("order", change.Order);
                json.WriteBoolean("has_side_effects", change.HasSideEffects);
                json.WriteBoolean("has_code", change.HasCode);
                WriteStrings(json, "resources", change.Resources);
                WriteFieldChanges(json, "field_changes", "resource", change.FieldChanges);
                WriteStrings(json, "requests", change.Requests);
                WriteFieldChanges(json, "request_field_changes", "request", change.RequestFieldChanges);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("resources");
            foreach (var resource in Resources)
            {
                json.WriteStartObject();
                json.WriteString("object", resource.ObjectName);
                json.WriteStartArray("shapes");
                foreach (var shape in resource.Shapes)
                {
                    json.WriteStartObject();
                    json.WriteString("since", shape.Since.ToString());
                    WriteStrings(json, "fields", shape.Fields);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();

            // Only when the app added them: the generator's JSON, which knows no endpoints, stays the same bytes.
            if (EndpointChanges.Count > 0)
            {
                json.WriteStartArray("endpoint_changes");
                foreach (var change in EndpointChanges)
                {
                    json.WriteStartObject();
                    json.WriteString("version", change.Version.ToString());
                    json.WriteString("kind", EndpointKindName(change.Kind));
                    json.WriteString("endpoint", change.Endpoint);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Reads the JSON of <see cref="ToJson"/> (or the generator's).</summary>
    /// <exception cref="FormatException">The text is not that JSON; the message says where it went wrong.</exception>
    public static ApiChangelog FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            int format = Required(root, "format", JsonValueKind.Number).GetInt32();
            if (format != JsonFormat)
            {
                throw new FormatException($"The changelog JSON is format {format}; this VersionKit reads format {JsonFormat}. Build with matching VersionKit packages.");
            }

            var releases = Required(root, "releases", JsonValueKind.Array).EnumerateArray().Select(r => new ApiRelease(
                ReadVersion(r, "version"),
                ParseReleaseKind(RequiredString(r, "kind")),
                OptionalString(r, "notes"))).ToList();
            var changes = Required(root, "changes", JsonValueKind.Array).EnumerateArray().Select(c => new ApiChange(
                RequiredString(c, "name"),
                ReadVersion(c, "version"),
                RequiredString(c, "description"),
                Required(c, "has_side_effects", JsonValueKind.True, JsonValueKind.False).GetBoolean(),
                Required(c, "order", JsonValueKind.Number).GetInt32(),
                Strings(c, "resources"),
                ReadFieldChanges(Required(c, "field_changes", JsonValueKind.Array), "resource"),
                Required(c, "has_code", JsonValueKind.True, JsonValueKind.False).GetBoolean())
            {
                Title = OptionalString(c, "title"),
                Category = OptionalString(c, "category"),
                IsBreaking = Required(c, "breaking", JsonValueKind.True, JsonValueKind.False).GetBoolean(),

                // Absent from a changelog written before requests were listed: none.
                Requests = c.TryGetProperty("requests", out _) ? Strings(c, "requests") : [],
                RequestFieldChanges = c.TryGetProperty("request_field_changes", out _)
                    ? ReadFieldChanges(Required(c, "request_field_changes", JsonValueKind.Array), "request")
                    : [],
            }).ToList();
            var resources = Required(root, "resources", JsonValueKind.Array).EnumerateArray().Select(r => new ResourceHistory(
                RequiredString(r, "object"),
                [.. Required(r, "shapes", JsonValueKind.Array).EnumerateArray().Select(s => new ResourceShape(ReadVersion(s, "since"), Strings(s, "fields")))])).ToList();
            var changelog = new ApiChangelog(RequiredString(root, "history"), releases, changes, resources);
            return root.TryGetProperty("endpoint_changes", out _)
                ? changelog.WithEndpointChanges(Required(root, "endpoint_changes", JsonValueKind.Array).EnumerateArray().Select(e => new ApiEndpointChange(
                    ReadVersion(e, "version"),
                    ParseEndpointKind(RequiredString(e, "kind")),
                    RequiredString(e, "endpoint"))))
                : changelog;
        }
        catch (JsonException exception)
        {
            throw new FormatException("The changelog is not valid JSON: " + exception.Message, exception);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException("The changelog JSON does not add up: " + exception.Message, exception);
        }
    }

    private static void WriteFieldChanges(Utf8JsonWriter json, string name, string owner, IReadOnlyList<FieldChange> fields)
    {
        json.WriteStartArray(name);
        foreach (var field in fields)
        {
            json.WriteStartObject();
            json.WriteString(owner, field.Resource);
            json.WriteString("kind", KindName(field.Kind));
            json.WriteString("field", field.Field);
            json.WriteString("before", field.Before);
            json.WriteString("after", field.After);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static FieldChange[] ReadFieldChanges(JsonElement fields, string owner)
        => [.. fields.EnumerateArray().Select(f => new FieldChange(
            RequiredString(f, owner),
            ParseKind(RequiredString(f, "kind")),
            RequiredString(f, "field"),
            OptionalString(f, "before"),
            OptionalString(f, "after")))];

    internal static string KindName(FieldChangeKind kind) => kind switch
    {
        FieldChangeKind.Renamed => "renamed",
        FieldChangeKind.Removed => "removed",
        FieldChangeKind.Added => "added",
        FieldChangeKind.EnumValueAdded => "enum_value_added",
        FieldChangeKind.TypeChanged => "type_changed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static ApiReleaseKind ParseReleaseKind(string text)
        => ApiReleaseSyntax.TryParseKind(text, out int kind)
            ? (ApiReleaseKind)kind
            : throw new FormatException($"'{text}' is not a kind of release; expected major, monthly or preview.");

    private static FieldChangeKind ParseKind(string text) => text switch
    {
        "renamed" => FieldChangeKind.Renamed,
        "removed" => FieldChangeKind.Removed,
        "added" => FieldChangeKind.Added,
        "enum_value_added" => FieldChangeKind.EnumValueAdded,
        "type_changed" => FieldChangeKind.TypeChanged,
        _ => throw new FormatException($"'{text}' is not a kind of field change; expected renamed, removed, added, enum_value_added or type_changed."),
    };

    private static string EndpointKindName(ApiEndpointChangeKind kind) => kind switch
    {
        ApiEndpointChangeKind.Introduced => "introduced",
        ApiEndpointChangeKind.Removed => "removed",
        ApiEndpointChangeKind.Replaced => "replaced",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static ApiEndpointChangeKind ParseEndpointKind(string text) => text switch
    {
        "introduced" => ApiEndpointChangeKind.Introduced,
        "removed" => ApiEndpointChangeKind.Removed,
        "replaced" => ApiEndpointChangeKind.Replaced,
        _ => throw new FormatException($"'{text}' is not a kind of endpoint change; expected introduced, removed or replaced."),
    };

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static JsonElement Required(JsonElement element, string name, params JsonValueKind[] kinds)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Expected an object holding '{name}', found {element.ValueKind}.");
        }

        if (!element.TryGetProperty(name, out var value))
        {
            throw new FormatException($"The changelog JSON lacks '{name}'.");
        }

        return kinds.Contains(value.ValueKind)
            ? value
            : throw new FormatException($"'{name}' is {value.ValueKind}; expected {string.Join(" or ", kinds)}.");
    }

    private static string RequiredString(JsonElement element, string name) => Required(element, name, JsonValueKind.String).GetString()!;

    private static string? OptionalString(JsonElement element, string name) => Required(element, name, JsonValueKind.String, JsonValueKind.Null).GetString();

    private static string[] Strings(JsonElement element, string name)
        => [.. Required(element, name, JsonValueKind.Array).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"'{name}' holds {v.ValueKind}; expected strings."))];

    private static ApiVersion ReadVersion(JsonElement element, string name) => ParseVersion(Required(element, name, JsonValueKind.String), name);

    private static ApiVersion ParseVersion(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"'{name}' holds {value.ValueKind}; expected a version string.");
        }

        return ApiVersion.TryParse(value.GetString().AsSpan(), out var version, out string? error)
            ? version
            : throw new FormatException($"'{name}' holds a bad version: {error}");
    }
}
