namespace VersionKit;

/// <summary>
/// Declares the API's version history on a <see langword="partial"/> class. The source generator completes the
/// class: it derives from <see cref="ApiHistory"/>, gains a static <c>Default</c> instance, and holds every
/// version, change, resource chain and per-version field set of the compilation.
/// </summary>
/// <example><code>
/// [ApiHistory("2011-08-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
/// public partial class PaymentsApiHistory;
/// </code></example>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ApiHistoryAttribute : Attribute
{
    /// <summary>Declares the history and its initial version, the oldest version callers can ask for.</summary>
    /// <param name="initialVersion">The first version of the API, <c>yyyy-MM-dd</c> with an optional release name.</param>
    public ApiHistoryAttribute(string initialVersion) => InitialVersion = initialVersion;

    /// <summary>The first version of the API.</summary>
    public string InitialVersion { get; }

    /// <summary>
    /// The naming policy the app's <see cref="System.Text.Json.JsonSerializerOptions"/> apply to property names, so that
    /// the generator knows each resource's JSON field names. The renderer checks it against the real options.
    /// </summary>
    public System.Text.Json.Serialization.JsonKnownNamingPolicy NamingPolicy { get; set; }

    /// <summary>
    /// The policy of Stripe's releases since acacia: only a major release may break. A breaking change (a field renamed,
    /// removed or retyped, an enum value added, code, side effects) dated at a monthly release is a compile error (VK0030).
    /// </summary>
    public bool BreakingChangesOnlyInMajors { get; set; }
}

/// <summary>
/// Declares a release on the <see cref="ApiHistoryAttribute"/> class: its version, kind and notes. A release may carry no
/// change; a change belongs to the release of its date. Once a history declares releases, every change dated on or after
/// the first of them belongs to a declared release (VK0031); versions before it that only changes name are majors.
/// </summary>
/// <example><code>
/// [ApiHistory("2011-08-01")]
/// [ApiRelease("2024-09-30.acacia", ApiReleaseKind.Major)]
/// [ApiRelease("2024-10-28.acacia", ApiReleaseKind.Monthly)]
/// [ApiRelease("2026-11-15.preview", ApiReleaseKind.Preview)]
/// public partial class PaymentsApiHistory;
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ApiReleaseAttribute : Attribute
{
    /// <summary>Declares the release <paramref name="version"/> of kind <paramref name="kind"/>.</summary>
    /// <param name="version">The release's version: <c>2024-09-30.acacia</c>, <c>2024-10-28.acacia</c>, <c>2026-11-15.preview</c>.</param>
    /// <param name="kind">Major, monthly (carries its major's name) or preview (named <c>preview</c>).</param>
    public ApiReleaseAttribute(string version, ApiReleaseKind kind)
    {
        Version = version;
        Kind = kind;
    }

    /// <summary>The release's version.</summary>
    public string Version { get; }

    /// <summary>Major, monthly or preview.</summary>
    public ApiReleaseKind Kind { get; }

    /// <summary>What the release is about, in Markdown, for the changelog.</summary>
    public string? Notes { get; set; }
}

/// <summary>
/// Marks a type as an API resource: one JSON object in a response, written for the current version only.
/// Its JSON carries the <c>object</c> field with <see cref="ObjectName"/>, which is how the renderer finds it
/// wherever it sits in a payload.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class ApiResourceAttribute : Attribute
{
    /// <summary>Marks a resource whose JSON <c>object</c> field is <paramref name="objectName"/>.</summary>
    public ApiResourceAttribute(string objectName) => ObjectName = objectName;

    /// <summary>The value of the resource's <c>object</c> field (<c>charge</c>, <c>event</c>).</summary>
    public string ObjectName { get; }
}

/// <summary>
/// Marks a type as a request of the API (the body or query type an endpoint binds, or names with
/// <c>WithApiRequest&lt;T&gt;()</c>), so that the history knows its fields at every version before any request change names
/// it: a caller's fields are checked against its version, its form bodies bound, and its shape documented per version. A
/// type a request change names, and every request object its properties reach, is a request type without it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class ApiRequestAttribute : Attribute
{
}

/// <summary>
/// Marks a class as a version change: one backwards-incompatible change, written as if it were the newest.
/// Declare what it does with <see cref="FieldRenamedAttribute"/>, <see cref="FieldRemovedAttribute"/>,
/// <see cref="FieldAddedAttribute"/>, <see cref="EnumValueAddedAttribute"/> and <see cref="FieldTypeChangedAttribute"/>,
/// or with a static method marked <see cref="BackwardTransformAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class VersionChangeAttribute : Attribute
{
    /// <summary>Declares a change made in <paramref name="version"/>.</summary>
    /// <param name="version">The version that introduced the change.</param>
    /// <param name="description">What changed, in Markdown, for the changelog.</param>
    public VersionChangeAttribute(string version, string description)
    {
        Version = version;
        Description = description;
    }

    /// <summary>The version that introduced the change.</summary>
    public string Version { get; }

    /// <summary>What changed, in Markdown.</summary>
    public string Description { get; }

    /// <summary>
    /// Where the change stands among the changes of its version, oldest first (1, 2, ...). Needed only when two changes
    /// of one version touch the same field of the same resource.
    /// </summary>
    public int Order { get; set; }

    /// <summary>
    /// The change cannot be written as a transformation: it transforms nothing, and code elsewhere asks
    /// <see cref="ApiHistory.Predates{TChange}(ApiVersion)"/> whether a caller still gets what it replaced.
    /// </summary>
    public bool HasSideEffects { get; set; }

    /// <summary>The changelog's heading for the change; without it, the first sentence of the description.</summary>
    public string? Title { get; set; }

    /// <summary>The product area the changelog files the change under; without it, the first resource the change affects.</summary>
    public string? Category { get; set; }

    /// <summary>
    /// The change applies as any other, but stays out of the public changelog, the upgrade guides,
    /// <c>/docs/changelog.json</c> and the OpenAPI descriptions.
    /// </summary>
    public bool Internal { get; set; }
}

/// <summary>A field was renamed from <see cref="OldName"/> to <see cref="NewName"/>; older versions get the old name.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FieldRenamedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="resource"/>'s field <paramref name="oldName"/> became <paramref name="newName"/>.</summary>
    public FieldRenamedAttribute(Type resource, string oldName, string newName)
    {
        Resource = resource;
        OldName = oldName;
        NewName = newName;
    }

    /// <summary>The resource type.</summary>
    public Type Resource { get; }

    /// <summary>The JSON name before the change.</summary>
    public string OldName { get; }

    /// <summary>The JSON name after the change.</summary>
    public string NewName { get; }
}

/// <summary>
/// A field was removed; older versions get it back, with the constant <see cref="Value"/> or the value computed by the
/// static method named in <see cref="ValueFrom"/> (<c>static JsonNode? Method(JsonObject resource)</c>, given the
/// resource as it is after the change). With neither, the field comes back as <c>null</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FieldRemovedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="resource"/> lost the field <paramref name="field"/>.</summary>
    public FieldRemovedAttribute(Type resource, string field)
    {
        Resource = resource;
        Field = field;
    }

    /// <summary>The resource type.</summary>
    public Type Resource { get; }

    /// <summary>The JSON name of the removed field.</summary>
    public string Field { get; }

    /// <summary>A constant (string, number, boolean) older versions see in the field.</summary>
    public object? Value { get; set; }

    /// <summary>The name of a static method of the change, <c>static JsonNode? Method(JsonObject resource)</c>, that computes the value.</summary>
    public string? ValueFrom { get; set; }

    /// <summary>
    /// The one field <see cref="ValueFrom"/> reads, if it reads no other. The compiled renderer then gives the method a
    /// JSON object holding just that field, instead of rendering the whole resource through a JSON DOM.
    /// </summary>
    public string? ValueFromField { get; set; }
}

/// <summary>A field was added; older versions do not see it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FieldAddedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="resource"/> gained the field <paramref name="field"/>.</summary>
    public FieldAddedAttribute(Type resource, string field)
    {
        Resource = resource;
        Field = field;
    }

    /// <summary>The resource type.</summary>
    public Type Resource { get; }

    /// <summary>The JSON name of the added field.</summary>
    public string Field { get; }
}

/// <summary>A string field gained the value <see cref="Value"/>; older versions see <see cref="LegacyValue"/> instead.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EnumValueAddedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="resource"/>'s field <paramref name="field"/> can now hold <paramref name="value"/>.</summary>
    public EnumValueAddedAttribute(Type resource, string field, string value, string legacyValue)
    {
        Resource = resource;
        Field = field;
        Value = value;
        LegacyValue = legacyValue;
    }

    /// <summary>The resource type.</summary>
    public Type Resource { get; }

    /// <summary>The JSON name of the field.</summary>
    public string Field { get; }

    /// <summary>The new value.</summary>
    public string Value { get; }

    /// <summary>What older versions see in its place.</summary>
    public string LegacyValue { get; }
}

/// <summary>
/// A field changed its type. Only code can say how to turn the new value into the old one, so the change must also
/// have a <see cref="BackwardTransformAttribute"/> method for the resource; this attribute documents the change.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FieldTypeChangedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="resource"/>'s field <paramref name="field"/> went from <paramref name="oldType"/> to <paramref name="newType"/>.</summary>
    public FieldTypeChangedAttribute(Type resource, string field, string oldType, string newType)
    {
        Resource = resource;
        Field = field;
        OldType = oldType;
        NewType = newType;
    }

    /// <summary>The resource type.</summary>
    public Type Resource { get; }

    /// <summary>The JSON name of the field.</summary>
    public string Field { get; }

    /// <summary>The JSON type before the change (<c>string</c>, <c>object</c>, ...).</summary>
    public string OldType { get; }

    /// <summary>The JSON type after the change.</summary>
    public string NewType { get; }
}

/// <summary>
/// Marks a static method of a version change as its backward transformation for <see cref="Resource"/>:
/// <c>static void Method(JsonObject resource)</c>, which turns the resource's JSON as it is after the change into the
/// JSON as it was before, in place; with <see cref="Field"/>, also <c>static TOld Method(TField value)</c>, given the
/// property's current C# value. The change's declarative attributes for the resource apply too, after the code; a
/// <see cref="FieldTypeChangedAttribute"/> only documents what the code does. docs/architecture.md section 2 says what
/// the code sees.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class BackwardTransformAttribute : Attribute
{
    /// <summary>Marks the transformation of <paramref name="resource"/>.</summary>
    public BackwardTransformAttribute(Type resource) => Resource = resource;

    /// <summary>The resource type.</summary>
    public Type Resource { get; }

    /// <summary>
    /// The one field the transformation reads and writes, if it touches no other. The compiled renderer then runs it on
    /// that field alone (a JSON object holding just a copy of the field, whose nested resources are as they were at the
    /// change's version) instead of rendering the whole resource through a JSON DOM. What it leaves in the field is a
    /// created value: it receives the older versions, not the rest of its own. Leave it unset for a transformation that
    /// reads or reshapes other fields.
    /// </summary>
    public string? Field { get; set; }
}

/// <summary>
/// A request parameter was renamed from <see cref="OldName"/> to <see cref="NewName"/>: a body or query string sent at an
/// older version is upgraded to the new name before the handler runs, wherever an object of the request type sits in a
/// request (a property, a list, a dictionary's values).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RequestFieldRenamedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="request"/>'s parameter <paramref name="oldName"/> became <paramref name="newName"/>.</summary>
    /// <param name="request">The request type: the body type an endpoint binds, or the one named by <c>WithApiRequest&lt;T&gt;()</c>.</param>
    /// <param name="oldName">The parameter's name before the change.</param>
    /// <param name="newName">The parameter's name after the change.</param>
    public RequestFieldRenamedAttribute(Type request, string oldName, string newName)
    {
        Request = request;
        OldName = oldName;
        NewName = newName;
    }

    /// <summary>The request type.</summary>
    public Type Request { get; }

    /// <summary>The name before the change.</summary>
    public string OldName { get; }

    /// <summary>The name after the change.</summary>
    public string NewName { get; }
}

/// <summary>A request parameter was removed: older callers may still send it, and it is dropped before the handler runs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RequestFieldRemovedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="request"/> no longer takes <paramref name="field"/>.</summary>
    public RequestFieldRemovedAttribute(Type request, string field)
    {
        Request = request;
        Field = field;
    }

    /// <summary>The request type.</summary>
    public Type Request { get; }

    /// <summary>The removed parameter.</summary>
    public string Field { get; }
}

/// <summary>
/// A request parameter was added: callers at older versions cannot send it (it is refused as an unknown parameter, as any
/// field their version does not have).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RequestFieldAddedAttribute : Attribute
{
    /// <summary>Declares that <paramref name="request"/> takes <paramref name="field"/> from this change on.</summary>
    public RequestFieldAddedAttribute(Type request, string field)
    {
        Request = request;
        Field = field;
    }

    /// <summary>The request type.</summary>
    public Type Request { get; }

    /// <summary>The added parameter.</summary>
    public string Field { get; }
}

/// <summary>
/// Marks a static method of a version change as its request upgrade for <see cref="Request"/>:
/// <c>static void Method(JsonObject request)</c>, which turns a request as it was before the change into the request as it
/// is after, in place. It throws <see cref="RequestShapeException"/> when the request is not the shape it expects.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RequestTransformAttribute : Attribute
{
    /// <summary>Marks the upgrade of <paramref name="request"/>.</summary>
    public RequestTransformAttribute(Type request) => Request = request;

    /// <summary>The request type.</summary>
    public Type Request { get; }
}
