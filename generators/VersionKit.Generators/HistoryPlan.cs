namespace VersionKit.Generators
{
    /// <summary>Everything the emitter writes: the checked history, or only its diagnostics.</summary>
    internal sealed record HistoryPlan(
        HistoryModel? History,
        EquatableArray<DiagnosticInfo> Diagnostics,
        bool HasErrors,
        EquatableArray<VersionLiteral> Versions,
        EquatableArray<PlannedChange> Changes,
        EquatableArray<PlannedResource> Resources,
        EquatableArray<PlannedCarrier> Carriers,
        EquatableArray<PlannedRequest> Requests,
        EquatableArray<PlannedRelease> Releases = default);

    /// <summary>The release of the version at <see cref="VersionIndex"/>: its kind (ApiReleaseKind's value) and notes.</summary>
    internal sealed record PlannedRelease(int VersionIndex, int Kind, string? Notes);

    internal sealed record VersionLiteral(int Year, int Month, int Day, string? ReleaseName, string Text);

    /// <summary>A change as the changelog shows it; for request changes, <see cref="PlannedFieldChange.Resource"/> is the request type's name.</summary>
    internal sealed record PlannedChange(
        string TypeName,
        int VersionIndex,
        string Description,
        bool HasSideEffects,
        int Order,
        EquatableArray<string> Resources,
        EquatableArray<PlannedFieldChange> FieldChanges,
        bool HasCode,
        EquatableArray<string> Requests,
        EquatableArray<PlannedFieldChange> RequestFieldChanges,
        bool IsBreaking = false,
        ChangeTextModel? Text = null)
    {
        public bool IsInternal => Text?.IsInternal == true;
    }

    internal sealed record PlannedFieldChange(string Resource, InstructionKind Kind, string Field, string? Before, string? After);

    /// <summary>A property with the JSON name the naming policy gives it.</summary>
    internal sealed record PlannedProperty(string Name, string JsonName, TypeShape Shape);

    /// <summary>A carrier: written by a writer of its own in its one shape, so that the resources inside it are versioned.</summary>
    internal sealed record PlannedCarrier(string TypeName, EquatableArray<PlannedProperty> Properties);

    internal enum OpKind
    {
        /// <summary>Code on the whole resource's JSON.</summary>
        Code,

        /// <summary>Code on one field's JSON (run only when the field is present).</summary>
        FieldCode,

        /// <summary>Typed code on one field's C# value.</summary>
        TypedFieldCode,

        /// <summary>Where the field holds the string <see cref="PlannedOp.From"/>, it holds <see cref="PlannedOp.To"/>.</summary>
        Map,

        /// <summary>The field <see cref="PlannedOp.Field"/> takes the name <see cref="PlannedOp.To"/>, in the same place.</summary>
        Rename,

        /// <summary>The field is dropped.</summary>
        Hide,

        /// <summary>The field is added at the end, its value from <see cref="PlannedOp.Source"/>.</summary>
        Restore,
    }

    internal enum SourceKind
    {
        /// <summary>A property of the C# object.</summary>
        Property,

        /// <summary>A constant, as JSON text.</summary>
        Constant,

        /// <summary>A method on the JSON of the resource (or of the one field it reads), as it was at the change's version.</summary>
        Computed,

        /// <summary>A method on the C# object.</summary>
        TypedComputed,
    }

    /// <summary>One operation a version does to a resource, in the one order a version's operations apply.</summary>
    internal sealed record PlannedOp(
        OpKind Kind,
        string ChangeType,
        string Field,
        string? To = null,
        string? From = null,
        string? Method = null,
        SourceKind Source = SourceKind.Constant,
        string? ConstantJson = null,
        string? ReadsField = null,
        TypeShape? Output = null,
        string? Property = null);

    /// <summary>
    /// What one version does to one resource (or, forward, to one request), as the reference chain applies it: the computed
    /// values of its restores are read first, from the payload as it was at the version; then its code runs; then its declarations apply.
    /// </summary>
    internal sealed record PlannedStep(int VersionIndex, EquatableArray<PlannedOp> Code, EquatableArray<PlannedOp> Declarations);

    internal enum ValueOpKind
    {
        Map,
        JsonCode,
        TypedCode,

        /// <summary>Code on the whole resource changed the field's type, as a [FieldTypeChanged] of its change says: documentation for the documents, the reference chain does the work.</summary>
        Documented,
    }

    /// <summary>Something a version does to one field's value, in the order values go through them (newest first).</summary>
    internal sealed record PlannedValueOp(ValueOpKind Kind, int VersionIndex, string ChangeType, string Field, string? Method = null, string? From = null, string? To = null, TypeShape? Output = null);

    /// <summary>
    /// Where one output field's value comes from, and what happens to it on the way to the target: a property, a constant, or
    /// a value a change computes (at <see cref="VersionIndex"/>, from the JSON of the field <see cref="Reads"/> names, or of the
    /// whole resource when it is -1, or typed from the C# object); then its <see cref="Ops"/>, newest first.
    /// </summary>
    internal sealed record PlannedEntry(
        SourceKind Source,
        int Property,
        string? ConstantJson,
        int VersionIndex,
        string? ChangeType,
        string? Method,
        int Reads,
        TypeShape? Output,
        EquatableArray<PlannedValueOp> Ops,
        string? ReadsName = null);

    internal sealed record PlannedField(string Name, int Entry, bool HoldsResources);

    /// <summary>
    /// A resource's shape for targets from <see cref="From"/> up to the next stretch: its fields in order. When a newer change
    /// runs code on the whole resource, <see cref="DomFrom"/> is that version: the resource is written at it, then the
    /// reference chain takes the JSON the rest of the way.
    /// </summary>
    internal sealed record PlannedStretch(int From, int DomFrom, EquatableArray<PlannedField> Fields);

    /// <summary>The one plan of a resource: its steps (newest first) for the reference chain, and its entries and stretches for the writers, the field sets and OpenAPI.</summary>
    internal sealed record PlannedResource(
        string ObjectName,
        string TypeName,
        EquatableArray<PlannedProperty> Properties,
        EquatableArray<PlannedStep> Steps,
        EquatableArray<PlannedEntry> Entries,
        EquatableArray<PlannedStretch> Stretches,
        EquatableArray<PlannedShape> Shapes);

    /// <summary>The fields of a resource or a request type from <see cref="VersionIndex"/> on.</summary>
    internal sealed record PlannedShape(int VersionIndex, EquatableArray<string> Fields);

    /// <summary>
    /// A request field, whatever its name at a version: the current property it is (<see cref="Property"/>, its JSON name), or
    /// a field removed from requests (null), which older callers may still send; and what it holds, as the current type says.
    /// </summary>
    internal sealed record PlannedRequestEntry(string? Property, RequestValueModel Value);

    /// <summary>A field of a request stretch: its name there and its entry.</summary>
    internal sealed record PlannedRequestField(string Name, int Entry);

    /// <summary>A request type's fields for callers from <see cref="From"/> up to the next stretch.</summary>
    internal sealed record PlannedRequestStretch(int From, EquatableArray<PlannedRequestField> Fields);

    /// <summary>
    /// A request type: its forward steps, oldest first; its fields at every version (<see cref="Stretches"/> over
    /// <see cref="Entries"/>, so that one field is known by all its names); and its field sets, where the names change.
    /// </summary>
    internal sealed record PlannedRequest(
        string TypeName,
        string DisplayName,
        EquatableArray<PlannedStep> Steps,
        EquatableArray<PlannedShape> Shapes,
        EquatableArray<PlannedRequestEntry> Entries,
        EquatableArray<PlannedRequestStretch> Stretches);
}
