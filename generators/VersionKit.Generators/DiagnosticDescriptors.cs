using Microsoft.CodeAnalysis;

namespace VersionKit.Generators
{
    /// <summary>Every diagnostic VersionKit reports. IDs are stable; each has a page under docs/diagnostics.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "VersionKit";
        private const string HelpBase = "https://github.com/versionkit/versionkit/blob/main/docs/diagnostics/";

        public static readonly DiagnosticDescriptor InvalidVersion = Error(
            "VK0001",
            "Invalid version",
            "{0}",
            "A version is a release date in the form yyyy-MM-dd, optionally followed by '.' and a release name of lowercase letters and digits (2024-09-30.acacia).");

        public static readonly DiagnosticDescriptor NotAResource = Error(
            "VK0002",
            "Change affects a type that is not a resource",
            "Version change '{0}' affects '{1}', which is not marked [ApiResource]",
            "A version change can only transform API resources: types marked [ApiResource(\"object_name\")] in the same project as the [ApiHistory] class.");

        public static readonly DiagnosticDescriptor FieldNotFound = Error(
            "VK0003",
            "Field does not exist at this point in history",
            "Version change '{0}' ({1}) names field '{2}' of '{3}', but '{3}' has no such field at that point in history; its fields there are: {4}",
            "Changes are checked by walking back from the current shape of each resource, newest change first. A change can only touch a field that exists once every newer change has been undone.");

        public static readonly DiagnosticDescriptor InvalidTransformSignature = Error(
            "VK0004",
            "Transformation method has the wrong signature",
            "Method '{0}' of version change '{1}' must be {2}",
            "A backward transformation is 'static void Method(JsonObject resource)' on the resource's JSON, or, for one field (Field = \"name\"), either that or 'static TOld Method(TField value)' on the field's C# value. A removed field's value is computed by 'static TValue Method(TResource resource)' from the C# object, or by 'static JsonNode? Method(JsonObject resource)' from the JSON as it was at the change's version. All must be static, non-generic, and public or internal.");

        public static readonly DiagnosticDescriptor SideEffectChangeTransforms = Error(
            "VK0005",
            "A change with side effects cannot transform",
            "Version change '{0}' has side effects, so it must not declare field changes or backward transformations",
            "A change with side effects transforms nothing: code asks ApiHistory.Predates<TChange>(version) whether a caller still gets what it replaced. Split the transformation into a change of its own.");

        public static readonly DiagnosticDescriptor UnorderedChanges = Error(
            "VK0006",
            "Two changes of one version touch the same field without an order",
            "Version changes '{0}' and '{1}' of {2} both touch field '{3}' of '{4}'; give them distinct Order values",
            "When two changes of one version touch the same field of the same resource, the order in which they apply decides the result. Set [VersionChange(..., Order = n)] on both, oldest first.");

        public static readonly DiagnosticDescriptor ChangeNotAfterInitialVersion = Error(
            "VK0007",
            "Change dated before the initial version",
            "Version change '{0}' is dated {1}, which is not after the initial version {2}",
            "The initial version is the oldest shape of the API; every change must be dated after it.");

        public static readonly DiagnosticDescriptor TypeChangeNeedsCode = Error(
            "VK0008",
            "A field type change needs a code transformation",
            "Version change '{0}' changes the type of '{1}' on '{2}' but has no [BackwardTransform(typeof({2}))] method",
            "Only code can say how the new value becomes the old one. Add 'static void Method(JsonObject resource)' marked [BackwardTransform(typeof(Resource))] to the change.");

        public static readonly DiagnosticDescriptor InvalidHistoryDeclaration = Error(
            "VK0009",
            "Invalid [ApiHistory] declaration",
            "{0}",
            "A project declares its history once, on a top-level, non-generic, non-static, non-abstract partial class marked [ApiHistory(\"initial-version\")].");

        public static readonly DiagnosticDescriptor ResourceWithoutObjectField = Error(
            "VK0010",
            "Resource has no 'object' field",
            "Resource '{0}' has no property serialized as 'object'; add one that returns \"{1}\"",
            "The renderer finds resources in a payload by their 'object' field, as Stripe's JSON carries it. Every resource needs a property serialized as 'object' whose value is the resource's object name.");

        public static readonly DiagnosticDescriptor DuplicateObjectName = Error(
            "VK0011",
            "Two resources share an object name",
            "Resources '{0}' and '{1}' are both named '{2}'",
            "The object name identifies a resource in a payload; it must be unique.");

        public static readonly DiagnosticDescriptor FieldAlreadyExists = Error(
            "VK0012",
            "Field already exists at this point in history",
            "Version change '{0}' ({1}) brings back field '{2}' of '{3}', but '{3}' already has that field at that point in history",
            "A removed field, or the old name of a renamed field, must not exist once every newer change has been undone; otherwise the older shape would hold the field twice.");

        public static readonly DiagnosticDescriptor ChangeDoesNothing = Warning(
            "VK0013",
            "Version change does nothing",
            "Version change '{0}' declares no field changes, no backward transformation and no side effects",
            "A change should say what it does: declare its field changes, give it a [BackwardTransform] method, or mark it HasSideEffects = true.");

        public static readonly DiagnosticDescriptor ConflictingRemovedValue = Error(
            "VK0014",
            "A removed field has two values",
            "[FieldRemoved] for '{0}' sets both Value and ValueFrom; keep one",
            "Older versions get a removed field back with either a constant (Value) or a computed value (ValueFrom), not both.");

        public static readonly DiagnosticDescriptor InaccessibleType = Error(
            "VK0015",
            "Resource or change the generated history cannot use",
            "'{0}' must be {1} so that the generated history can use it",
            "The generated history class names every resource and change with typeof(...) and calls their methods. Such a type must be non-generic, and it and every type it is nested in must be public or internal.");

        public static readonly DiagnosticDescriptor EnumValueOnNonString = Error(
            "VK0016",
            "An enum value is added to a field that does not hold strings",
            "Version change '{0}' maps a value of field '{1}' of '{2}', which holds {3}, not a string",
            "[EnumValueAdded] replaces one string value with another in older versions. The field must hold a string or a C# enum written as a string at that point in history.");

        public static readonly DiagnosticDescriptor ValueFromFieldNotFound = Error(
            "VK0017",
            "A computed value reads a field that does not exist at that point in history",
            "Version change '{0}' ({1}) computes a removed value from field '{2}' of '{3}', which has no such field at that point in history; its fields there are: {4}",
            "ValueFromField names the one field the computation reads, as the resource is at the change's version (every newer change undone). Name a field that exists there, or leave ValueFromField unset to read the whole resource.");

        public static readonly DiagnosticDescriptor TransformFieldNotFound = Error(
            "VK0018",
            "A field-scoped transformation names a field that does not exist at that point in history",
            "Transformation '{0}' of version change '{1}' ({2}) works on field '{3}' of '{4}', which has no such field at that point in history; its fields there are: {5}",
            "[BackwardTransform(..., Field = \"name\")] runs on one field as the resource is at the change's version (every newer change undone). Name a field that exists there, or leave Field unset to work on the whole resource.");

        public static readonly DiagnosticDescriptor RequestFieldNotFound = Error(
            "VK0019",
            "A request change names a field the request does not have at that point in history",
            "Version change '{0}' ({1}) names request field '{2}' of '{3}', which has no such field at that point in history; its fields there are: {4}",
            "Request changes are checked by walking back from the request type's current properties, newest change first. The new name of a renamed request field, and an added request field, must be a field of the request once every newer change has been undone.");

        public static readonly DiagnosticDescriptor TypedTransformNeedsCurrentValue = Error(
            "VK0020",
            "A typed transformation cannot get the field's C# value",
            "Typed transformation '{0}' of version change '{1}' takes field '{2}' of '{3}' as a C# value, but {4}",
            "A typed field transformation ('static TOld Method(TField value)') is given the property's current C# value, so the field must be a property of the resource whose value no newer change has changed, and the parameter must be of the property's type (or object). Otherwise take the field's JSON: 'static void Method(JsonObject resource)'.");

        public static readonly DiagnosticDescriptor CodeAfterTypedCode = Error(
            "VK0021",
            "JSON code transforms what typed code of its version returned",
            "Transformation '{0}' ({2}) works on the JSON of field '{3}' of '{4}', which typed transformation '{1}' of the same version returns as a C# value",
            "A typed transformation's result is a C# value in the current shape, rendered at the version the caller asked for; JSON code of the same version would have to see it in some other shape. Do the rest of the work in the typed method, or take the field's JSON in one method.");

        public static readonly DiagnosticDescriptor NotARequestType = Error(
            "VK0022",
            "A type that cannot be a request type is named as one",
            "{0} names a type that cannot be a request type: {1}",
            "Request changes and [ApiRequest] name the type an endpoint reads a request into. VersionKit checks the fields a caller sends against it at the caller's version, field by field, and upgrades them, so it must be a class or struct whose public properties are the request's fields (a record is one): not a single value, a collection, a dictionary, an abstract type or interface, or a type read by its own converter.");

        public static readonly DiagnosticDescriptor BreakingChangeInMonthlyRelease = Error(
            "VK0030",
            "A breaking change in a monthly release",
            "Version change '{0}' {1}, which breaks callers, in the monthly release {2}; this history allows breaking changes only in major releases",
            "With [ApiHistory(..., BreakingChangesOnlyInMajors = true)], as Stripe's releases since acacia, a monthly release only adds: fields and resources, never a field renamed, removed or retyped, an enum value added, code that reshapes a resource or a request, or side effects. Date the change at the next major release, or make it additive.");

        public static readonly DiagnosticDescriptor ChangeOutsideDeclaredReleases = Error(
            "VK0031",
            "A change is dated at no declared release",
            "Version change '{0}' is dated {1}, but {2}",
            "Once a history declares its releases ([ApiRelease] on the history class), a change belongs to the release of its date: it may name the release in full (2024-10-28.acacia) or by its date (2024-10-28). From the first declared release on, every change's date must be a declared release's.");

        public static readonly DiagnosticDescriptor InvalidRelease = Error(
            "VK0032",
            "Invalid release",
            "{0}",
            "A major release has a name of its own (2024-09-30.acacia); a monthly release carries the name of the major before it (2024-10-28.acacia); a preview is named 'preview' (2026-11-15.preview) and is newer than every other release; a date has one release; the first release is the initial version.");

        private static DiagnosticDescriptor Error(string id, string title, string message, string description)
            => new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description, HelpBase + id + ".md");

        private static DiagnosticDescriptor Warning(string id, string title, string message, string description)
            => new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description, HelpBase + id + ".md");
    }
}
