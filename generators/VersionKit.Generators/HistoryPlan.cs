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
        EquatableArray<PlannedRequest> Requests);

    internal sealed record VersionLiteral(int Year, int Month, int Day, string? ReleaseName, string Text);

    internal sealed record PlannedChange(
        string TypeName,
        int VersionIndex,
        string Description,
        bool HasSideEffects,
        int Order,
        EquatableArray<string> Resources,
        EquatableArray<PlannedFieldChange> FieldChanges,
        bool HasCode);

    internal sealed record PlannedFieldChange(string Resource, InstructionKind Kind, string Field, string? Before, string? After);

    internal sealed record PlannedResource(string ObjectName, string TypeName, EquatableArray<PlannedShape> Shapes, EquatableArray<PlannedStep> Steps);

    /// <summary>A request type and its forward steps, oldest first.</summary>
    internal sealed record PlannedRequest(string TypeName, EquatableArray<PlannedStep> Steps);

    /// <summary>The fields of a resource from <see cref="VersionIndex"/> on.</summary>
    internal sealed record PlannedShape(int VersionIndex, EquatableArray<string> Fields);

    /// <summary>One backward step: a code transformation (<see cref="TransformMethod"/>) or the instructions to run.</summary>
    internal sealed record PlannedStep(int VersionIndex, string ChangeType, string? TransformMethod, EquatableArray<InstructionModel> Instructions, bool IsForward = false, string? TransformField = null);
}
