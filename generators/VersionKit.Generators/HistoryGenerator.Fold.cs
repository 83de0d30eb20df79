using System;
using System.Collections.Generic;
using System.Linq;

namespace VersionKit.Generators
{
    /// <summary>A valid change with its place in history, as the fold reads it.</summary>
    internal sealed record ChangeInPlan(ChangeModel Model, VersionLiteral Version, int VersionIndex);

    public sealed partial class HistoryGenerator
    {
        /// <summary>
        /// What a history means, in one place. Undoing a version: the computed values of its restores read the payload as it was
        /// at the version; then its code runs (its changes newest first, each change's methods in source order); then its
        /// declarations apply (its changes newest first; in each, value maps, renames, hides, restores). The steps record that
        /// order for the reference chain; the fold below walks the same steps over a resource's fields, newest version first,
        /// and yields each stretch of versions with one shape: the fields in order and where each value comes from.
        /// </summary>
        internal static class Fold
        {
            public static PlannedResource Resource(ResourceModel resource, EquatableArray<PlannedProperty> properties, List<ChangeInPlan> changes, List<DiagnosticInfo> diagnostics)
            {
                var entries = new List<PlannedEntry>();
                var ids = new Dictionary<PlannedEntry, int>();
                int Id(PlannedEntry entry)
                {
                    if (!ids.TryGetValue(entry, out int id))
                    {
                        id = entries.Count;
                        entries.Add(entry);
                        ids[entry] = id;
                    }

                    return id;
                }

                var state = properties.Select((p, i) => new Slot(p.JsonName, Id(new PlannedEntry(SourceKind.Property, i, null, -1, null, null, -2, null, EquatableArray<PlannedValueOp>.Empty)))).ToList();
                var stretches = new List<PlannedStretch>();
                var steps = new List<PlannedStep>();
                int domFrom = -1;

                foreach (var version in changes.Where(c => Touches(c.Model, resource.TypeName)).GroupBy(c => c.VersionIndex).OrderByDescending(g => g.Key))
                {
                    int k = version.Key;
                    stretches.Add(new PlannedStretch(k, domFrom, Fields(state, entries, properties)));
                    var before = state.ToList();
                    var step = StepOf(version, resource.TypeName);
                    var code = new List<PlannedOp>();
                    foreach (var op in step.Code)
                    {
                        code.Add(op);
                        var change = version.First(c => c.Model.TypeName == op.ChangeType);
                        if (op.Kind == OpKind.Code)
                        {
                            domFrom = domFrom < 0 ? k : domFrom;

                            // What the code does is its own business; what its change says it did to a field's type, the documents show.
                            foreach (var typeChange in change.Model.Instructions.Where(x => x.ResourceType == resource.TypeName && x.Kind == InstructionKind.TypeChanged))
                            {
                                int changed = state.FindIndex(s => s.Name == typeChange.Field);
                                if (changed >= 0 && !entries[state[changed].Entry].Ops.Any(o => o.Kind == ValueOpKind.Documented && o.ChangeType == op.ChangeType))
                                {
                                    var documented = entries[state[changed].Entry];
                                    state[changed] = state[changed] with { Entry = Id(documented with { Ops = documented.Ops.Append(new PlannedValueOp(ValueOpKind.Documented, k, op.ChangeType, typeChange.Field)).ToEquatableArray() }) };
                                }
                            }

                            continue;
                        }

                        int index = state.FindIndex(s => s.Name == op.Field);
                        var transform = change.Model.Transforms.First(t => t.ResourceType == resource.TypeName && t.MethodName == op.Method);
                        if (index < 0)
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TransformFieldNotFound, transform.Location, op.Method!, change.Model.DisplayName, change.Version.Text, op.Field, resource.DisplayName, string.Join(", ", state.Select(s => s.Name))));
                            continue;
                        }

                        var entry = entries[state[index].Entry];
                        if (op.Kind == OpKind.TypedFieldCode)
                        {
                            string? problem = entry.Source != SourceKind.Property ? "it is not a property of the C# object at that point"
                                : entry.Ops.FirstOrDefault(o => o.Kind != ValueOpKind.Documented) is { } earlier ? $"version change '{Simple(earlier.ChangeType)}' already changes its value"
                                : transform.InputKey != "global::System.Object" && transform.InputKey != properties[entry.Property].Shape.TypeKey
                                    ? $"its C# type is '{Display(properties[entry.Property].Shape.TypeKey)}', not '{Display(transform.InputKey!)}'"
                                    : null;
                            if (problem is not null)
                            {
                                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypedTransformNeedsCurrentValue, transform.Location, op.Method!, change.Model.DisplayName, op.Field, resource.DisplayName, problem));
                                continue;
                            }
                        }

                        // A typed result is a C# value in the current shape: JSON code of its own version has no one shape to see it in.
                        if (op.Kind == OpKind.FieldCode && entry.Ops.LastOrDefault() is { Kind: ValueOpKind.TypedCode } typedBefore && typedBefore.VersionIndex == k)
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CodeAfterTypedCode, transform.Location, op.Method!, typedBefore.Method!, change.Version.Text, op.Field, resource.DisplayName));
                            continue;
                        }

                        var valueOp = new PlannedValueOp(op.Kind == OpKind.TypedFieldCode ? ValueOpKind.TypedCode : ValueOpKind.JsonCode, k, op.ChangeType, op.Field, op.Method, Output: op.Output);
                        // Typed code takes the property's value, so it goes before what merely documents a type change.
                        var ops = op.Kind == OpKind.TypedFieldCode ? entry.Ops.Prepend(valueOp) : entry.Ops.Append(valueOp);
                        state[index] = state[index] with { Entry = Id(entry with { Ops = ops.ToEquatableArray() }) };
                        if (op.Kind == OpKind.TypedFieldCode)
                        {
                            code[code.Count - 1] = op with { Property = properties[entry.Property].Name };
                        }
                    }

                    steps.Add(step with { Code = code.ToEquatableArray() });

                    foreach (var op in step.Declarations)
                    {
                        var change = version.First(c => c.Model.TypeName == op.ChangeType);
                        var instruction = change.Model.Instructions.First(x => x.ResourceType == resource.TypeName && Matches(x, op));
                        void Missing(string field)
                            => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FieldNotFound, instruction.Location, change.Model.DisplayName, change.Version.Text, field, resource.DisplayName, string.Join(", ", state.Select(s => s.Name))));
                        void Exists(string field)
                            => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FieldAlreadyExists, instruction.Location, change.Model.DisplayName, change.Version.Text, field, resource.DisplayName));

                        int index = state.FindIndex(s => s.Name == op.Field);
                        switch (op.Kind)
                        {
                            case OpKind.Map when index < 0:
                                Missing(op.Field);
                                break;
                            case OpKind.Map:
                                {
                                    var entry = entries[state[index].Entry];
                                    // Below code on the whole resource, what a field holds is the code's business.
                                    if (domFrom < 0 && !HoldsStrings(entry, properties))
                                    {
                                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EnumValueOnNonString, instruction.Location, change.Model.DisplayName, op.Field, resource.DisplayName, TypeOf(entry, properties)));
                                        break;
                                    }

                                    // A constant met by a mapping is just another constant.
                                    var mapped = entry is { Source: SourceKind.Constant, Ops.Count: 0 }
                                        ? entry with { ConstantJson = entry.ConstantJson == Json.String(op.From!) ? Json.String(op.To!) : entry.ConstantJson }
                                        : entry with { Ops = entry.Ops.Append(new PlannedValueOp(ValueOpKind.Map, k, op.ChangeType, op.Field, From: op.From, To: op.To)).ToEquatableArray() };
                                    state[index] = state[index] with { Entry = Id(mapped) };
                                    break;
                                }

                            case OpKind.Rename:
                                UndoRename(state, op.Field, op.To!, Missing, Exists);
                                break;
                            case OpKind.Hide:
                                UndoHide(state, op.Field, Missing);
                                break;
                            case OpKind.Restore when index >= 0:
                                Exists(op.Field);
                                break;
                            case OpKind.Restore:
                                {
                                    int reads = -2;
                                    string? readsName = null;
                                    if (op.Source == SourceKind.Computed)
                                    {
                                        reads = -1;
                                        if (op.ReadsField is { } read)
                                        {
                                            int source = before.FindIndex(s => s.Name == read);
                                            if (source < 0)
                                            {
                                                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueFromFieldNotFound, instruction.Location, change.Model.DisplayName, change.Version.Text, read, resource.DisplayName, string.Join(", ", before.Select(s => s.Name))));
                                                break;
                                            }

                                            reads = before[source].Entry;
                                            readsName = read;
                                        }
                                    }

                                    var restored = op.Source == SourceKind.Constant
                                        ? new PlannedEntry(SourceKind.Constant, -1, op.ConstantJson, k, op.ChangeType, null, -2, null, EquatableArray<PlannedValueOp>.Empty)
                                        : new PlannedEntry(op.Source, -1, null, k, op.ChangeType, op.Method, reads, op.Output, EquatableArray<PlannedValueOp>.Empty, readsName);
                                    state.Add(new Slot(op.Field, Id(restored)));
                                    break;
                                }
                        }
                    }
                }

                stretches.Add(new PlannedStretch(0, domFrom, Fields(state, entries, properties)));
                stretches.Reverse();

                return new PlannedResource(resource.ObjectName, resource.TypeName, properties, steps.ToEquatableArray(), entries.ToEquatableArray(), stretches.ToEquatableArray(), Shapes(stretches));
            }

            /// <summary>
            /// Request types, each walked back from its current properties like a resource, newest version first: a rename turns
            /// the new name back into the old one, an added field is hidden, a removed field comes back (holding anything: the
            /// upgrade drops it). Each field keeps its entry under every name, so that one field is known by all its names at
            /// every version. The forward steps (oldest first) apply each version's code, then its declarations, its changes
            /// oldest first; a nested request object gets its own steps, applied wherever it sits.
            /// </summary>
            public static EquatableArray<PlannedRequest> Requests(List<ChangeInPlan> changes, IEnumerable<RequestTypeModel> requestTypes, int namingPolicy, List<DiagnosticInfo> diagnostics)
            {
                var types = new Dictionary<string, RequestTypeModel>(StringComparer.Ordinal);
                foreach (var type in requestTypes)
                {
                    if (!types.ContainsKey(type.TypeName))
                    {
                        types[type.TypeName] = type;
                    }
                }

                var requests = new List<PlannedRequest>();
                foreach (var type in types.Values.OrderBy(t => t.TypeName, StringComparer.Ordinal))
                {
                    var entries = type.Properties.Select(p => new PlannedRequestEntry(JsonName(p, namingPolicy), p.Value)).ToList();
                    var state = entries.Select((e, i) => new Slot(e.Property!, i)).ToList();
                    var stretches = new List<PlannedRequestStretch>();
                    var steps = new List<PlannedStep>();
                    foreach (var version in changes.Where(c => c.Model.RequestInstructions.Any(x => x.ResourceType == type.TypeName) || c.Model.RequestTransforms.Any(t => t.ResourceType == type.TypeName))
                        .GroupBy(c => c.VersionIndex).OrderByDescending(g => g.Key))
                    {
                        stretches.Add(new PlannedRequestStretch(version.Key, state.Select(f => new PlannedRequestField(f.Name, f.Entry)).ToEquatableArray()));

                        // Walked newest change first; applied forward oldest change first.
                        var code = new List<PlannedOp>();
                        var declarations = new List<PlannedOp>();
                        foreach (var change in version.Reverse())
                        {
                            code.InsertRange(0, change.Model.RequestTransforms.Where(t => t.ResourceType == type.TypeName).Select(t => new PlannedOp(OpKind.Code, change.Model.TypeName, string.Empty, Method: t.MethodName)));
                            var forward = new List<PlannedOp>();
                            foreach (var instruction in change.Model.RequestInstructions.Where(x => x.ResourceType == type.TypeName))
                            {
                                void Missing(string field)
                                    => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RequestFieldNotFound, instruction.Location, change.Model.DisplayName, change.Version.Text, field, type.DisplayName, string.Join(", ", state.Select(f => f.Name))));
                                void Exists(string field)
                                    => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FieldAlreadyExists, instruction.Location, change.Model.DisplayName, change.Version.Text, field, type.DisplayName));

                                switch (instruction.Kind)
                                {
                                    case InstructionKind.Renamed:
                                        if (UndoRename(state, instruction.Field, instruction.Before!, Missing, Exists))
                                        {
                                            forward.Add(new PlannedOp(OpKind.Rename, change.Model.TypeName, instruction.Before!, To: instruction.After));
                                        }

                                        break;
                                    case InstructionKind.Added:
                                        // Nothing to do forward: an older caller that sends it is refused before any upgrade.
                                        UndoHide(state, instruction.Field, Missing);
                                        break;
                                    case InstructionKind.Removed when state.Any(f => f.Name == instruction.Field):
                                        Exists(instruction.Field);
                                        break;
                                    default:
                                        entries.Add(new PlannedRequestEntry(null, new RequestValueModel(RequestValueKind.Any)));
                                        state.Add(new Slot(instruction.Field, entries.Count - 1));
                                        forward.Add(new PlannedOp(OpKind.Hide, change.Model.TypeName, instruction.Field));
                                        break;
                                }
                            }

                            declarations.InsertRange(0, forward);
                        }

                        if (code.Count > 0 || declarations.Count > 0)
                        {
                            steps.Add(new PlannedStep(version.Key, code.ToEquatableArray(), declarations.ToEquatableArray()));
                        }
                    }

                    stretches.Add(new PlannedRequestStretch(0, state.Select(f => new PlannedRequestField(f.Name, f.Entry)).ToEquatableArray()));
                    stretches.Reverse();
                    steps.Reverse();
                    var shapes = new List<PlannedShape>();
                    foreach (var stretch in stretches)
                    {
                        var names = stretch.Fields.Select(f => f.Name).ToEquatableArray();
                        if (shapes.Count == 0 || !shapes[shapes.Count - 1].Fields.Equals(names))
                        {
                            shapes.Add(new PlannedShape(stretch.From, names));
                        }
                    }

                    requests.Add(new PlannedRequest(type.TypeName, type.DisplayName, steps.ToEquatableArray(), shapes.ToEquatableArray(), entries.ToEquatableArray(), stretches.ToEquatableArray()));
                }

                return requests.ToEquatableArray();
            }

            private static string JsonName(RequestPropertyModel property, int namingPolicy)
                => property.JsonName ?? JsonNaming.Convert(property.Name.TrimStart('@'), namingPolicy);

            private sealed record Slot(string Name, int Entry);

            /// <summary>Undoes a rename on a walk's fields (resources' and requests' alike): the field takes its old name back, unless it is not there or the old name is taken.</summary>
            private static bool UndoRename(List<Slot> state, string name, string oldName, Action<string> missing, Action<string> exists)
            {
                int index = state.FindIndex(s => s.Name == name);
                if (index < 0)
                {
                    missing(name);
                    return false;
                }

                if (state.Any(s => s.Name == oldName))
                {
                    exists(oldName);
                    return false;
                }

                state[index] = state[index] with { Name = oldName };
                return true;
            }

            /// <summary>Undoes an addition on a walk's fields: the field is hidden, unless it is not there.</summary>
            private static void UndoHide(List<Slot> state, string name, Action<string> missing)
            {
                int index = state.FindIndex(s => s.Name == name);
                if (index < 0)
                {
                    missing(name);
                }
                else
                {
                    state.RemoveAt(index);
                }
            }

            /// <summary>The field sets: a shape begins where a stretch's field names differ from the one before.</summary>
            private static EquatableArray<PlannedShape> Shapes(List<PlannedStretch> stretches)
            {
                var shapes = new List<PlannedShape>();
                foreach (var stretch in stretches)
                {
                    var names = stretch.Fields.Select(f => f.Name).ToEquatableArray();
                    if (shapes.Count == 0 || !shapes[shapes.Count - 1].Fields.Equals(names))
                    {
                        shapes.Add(new PlannedShape(stretch.From, names));
                    }
                }

                return shapes.ToEquatableArray();
            }

            private static bool Touches(ChangeModel change, string resource)
                => change.Instructions.Any(x => x.ResourceType == resource && x.Kind != InstructionKind.TypeChanged) || change.Transforms.Any(t => t.ResourceType == resource);

            /// <summary>What a version does to <paramref name="resource"/>: its changes newest first, code before declarations.</summary>
            private static PlannedStep StepOf(IEnumerable<ChangeInPlan> version, string resource)
            {
                var code = new List<PlannedOp>();
                var declarations = new List<PlannedOp>();
                foreach (var change in version.Reverse())
                {
                    foreach (var transform in change.Model.Transforms.Where(t => t.ResourceType == resource))
                    {
                        var kind = transform.Field is null ? OpKind.Code : transform.IsTyped ? OpKind.TypedFieldCode : OpKind.FieldCode;
                        code.Add(new PlannedOp(kind, change.Model.TypeName, transform.Field ?? string.Empty, Method: transform.MethodName, Output: transform.Output));
                    }

                    var instructions = change.Model.Instructions.Where(x => x.ResourceType == resource).ToList();
                    declarations.AddRange(instructions.Where(x => x.Kind == InstructionKind.EnumValueAdded)
                        .Select(x => new PlannedOp(OpKind.Map, change.Model.TypeName, x.Field, To: x.Before, From: x.After)));
                    declarations.AddRange(instructions.Where(x => x.Kind == InstructionKind.Renamed)
                        .Select(x => new PlannedOp(OpKind.Rename, change.Model.TypeName, x.After!, To: x.Before)));
                    declarations.AddRange(instructions.Where(x => x.Kind == InstructionKind.Added)
                        .Select(x => new PlannedOp(OpKind.Hide, change.Model.TypeName, x.Field)));
                    declarations.AddRange(instructions.Where(x => x.Kind == InstructionKind.Removed).Select(x => new PlannedOp(
                        OpKind.Restore,
                        change.Model.TypeName,
                        x.Field,
                        Method: x.ValueFrom,
                        Source: x.ValueFrom is null ? SourceKind.Constant : x.ValueFromOutput is null ? SourceKind.Computed : SourceKind.TypedComputed,
                        ConstantJson: x.ValueFrom is null ? x.ValueJson ?? "null" : null,
                        ReadsField: x.ValueFromField,
                        Output: x.ValueFromOutput)));
                }

                return new PlannedStep(version.First().VersionIndex, code.ToEquatableArray(), declarations.ToEquatableArray());
            }

            private static bool Matches(InstructionModel instruction, PlannedOp op) => op.Kind switch
            {
                OpKind.Map => instruction.Kind == InstructionKind.EnumValueAdded && instruction.Field == op.Field,
                OpKind.Rename => instruction.Kind == InstructionKind.Renamed && instruction.After == op.Field,
                OpKind.Hide => instruction.Kind == InstructionKind.Added && instruction.Field == op.Field,
                _ => instruction.Kind == InstructionKind.Removed && instruction.Field == op.Field,
            };

            // Whether a field can hold resources is decided per shape: a dictionary is not searched at the versions where it is one, whatever code makes of it at older versions.
            private static EquatableArray<PlannedField> Fields(List<Slot> state, List<PlannedEntry> entries, EquatableArray<PlannedProperty> properties)
                => state.Select(s => new PlannedField(s.Name, s.Entry, MayHoldResources(entries[s.Entry], properties))).ToEquatableArray();

            /// <summary>Whether the value an entry holds at its end is a string (or a C# enum), so that a value map can apply.</summary>
            private static bool HoldsStrings(PlannedEntry entry, EquatableArray<PlannedProperty> properties)
            {
                for (int i = entry.Ops.Count - 1; i >= 0; i--)
                {
                    switch (entry.Ops[i].Kind)
                    {
                        case ValueOpKind.JsonCode:
                        case ValueOpKind.Documented:
                            return true;
                        case ValueOpKind.TypedCode:
                            return entry.Ops[i].Output is { } output && (output.IsString || output.IsEnum);
                    }
                }

                return entry.Source switch
                {
                    SourceKind.Property => properties[entry.Property].Shape is { } shape && (shape.IsString || shape.IsEnum),
                    SourceKind.Constant => entry.ConstantJson is { Length: > 0 } json && (json[0] == '"' || json == "null"),
                    SourceKind.TypedComputed => entry.Output is { } output && (output.IsString || output.IsEnum),
                    _ => true,
                };
            }

            private static string TypeOf(PlannedEntry entry, EquatableArray<PlannedProperty> properties)
            {
                var typed = entry.Ops.LastOrDefault(o => o.Kind == ValueOpKind.TypedCode)?.Output
                    ?? (entry.Source == SourceKind.Property ? properties[entry.Property].Shape : entry.Output);
                return typed is not null ? "'" + Display(typed.TypeKey) + "'" : "the constant " + entry.ConstantJson;
            }

            private static bool MayHoldResources(PlannedEntry entry, EquatableArray<PlannedProperty> properties)
            {
                if (entry.Ops.Any(o => o.Kind is ValueOpKind.JsonCode or ValueOpKind.Documented) || entry.Source == SourceKind.Computed)
                {
                    return true;
                }

                var typed = entry.Ops.LastOrDefault(o => o.Kind == ValueOpKind.TypedCode)?.Output
                    ?? (entry.Source == SourceKind.Property ? properties[entry.Property].Shape : entry.Output);
                return typed is not null && typed.Kind != ValueKind.Plain;
            }

            private static string Simple(string typeName) => typeName.Substring(typeName.LastIndexOf('.') + 1);

            private static string Display(string typeName) => typeName.StartsWith("global::", StringComparison.Ordinal) ? typeName.Substring(8) : typeName;
        }

        /// <summary>JSON text as the generator writes it.</summary>
        internal static class Json
        {
            public static string String(string text)
            {
                var builder = new System.Text.StringBuilder(text.Length + 2).Append('"');
                foreach (char c in text)
                {
                    switch (c)
                    {
                        case '"': builder.Append("\\\""); break;
                        case '\\': builder.Append("\\\\"); break;
                        default:
                            if (c < ' ')
                            {
                                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                            }
                            else
                            {
                                builder.Append(c);
                            }

                            break;
                    }
                }

                return builder.Append('"').ToString();
            }
        }
    }
}
