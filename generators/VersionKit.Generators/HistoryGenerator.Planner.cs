using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace VersionKit.Generators
{
    public sealed partial class HistoryGenerator
    {
        /// <summary>
        /// Models in, plan out: orders the changes, walks each resource back from its current shape through them, and
        /// reports where history does not add up. Works on equatable models only.
        /// </summary>
        internal static class Planner
        {
            private sealed class Change
            {
                public Change(ChangeModel model, VersionLiteral version)
                {
                    Model = model;
                    Version = version;
                }

                public ChangeModel Model { get; }

                public VersionLiteral Version { get; }

                public int VersionIndex { get; set; }
            }

            public static HistoryPlan Plan(ImmutableArray<HistoryModel> histories, ImmutableArray<ResourceModel> resources, ImmutableArray<ChangeModel> changes, ImmutableArray<ReleaseSetModel> releaseSets, ImmutableArray<RequestRootModel> requests)
            {
                var diagnostics = new List<DiagnosticInfo>();
                foreach (var change in changes)
                {
                    diagnostics.AddRange(change.Diagnostics);
                }

                foreach (var request in requests.OrderBy(r => r.TypeName, StringComparer.Ordinal))
                {
                    if (request.Problem is { } problem)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotARequestType, request.Location, "[ApiRequest]", problem));
                    }
                    else if (request.Unreachable is { } requirement)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InaccessibleType, request.Location, request.DisplayName, requirement));
                    }
                }

                if (histories.IsDefaultOrEmpty)
                {
                    if (!resources.IsDefaultOrEmpty || !changes.IsDefaultOrEmpty || !requests.IsDefaultOrEmpty)
                    {
                        var location = !changes.IsDefaultOrEmpty ? changes[0].Location : !resources.IsDefaultOrEmpty ? resources[0].Location : requests[0].Location;
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHistoryDeclaration, location,
                            "The project declares API resources, requests or version changes but no history; add '[ApiHistory(\"yyyy-MM-dd\")] public partial class ApiVersions;' with the initial version"));
                    }

                    return Empty(null, diagnostics);
                }

                var history = histories.OrderBy(h => h.Namespace + "." + h.TypeName, StringComparer.Ordinal).First();
                foreach (var extra in histories.Where(h => !ReferenceEquals(h, history)))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHistoryDeclaration, extra.Location,
                        $"The project already declares its history in '{history.TypeName}'; a project has one [ApiHistory] class"));
                }

                if (history.DeclarationProblem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHistoryDeclaration, history.Location, history.DeclarationProblem));
                }

                var initial = ParseVersion(history.InitialVersion, history.InitialVersionLocation, diagnostics);
                if (initial is null)
                {
                    return Empty(history, diagnostics);
                }

                var resourcesByType = new Dictionary<string, ResourceModel>(StringComparer.Ordinal);
                var propertiesByType = new Dictionary<string, EquatableArray<PlannedProperty>>(StringComparer.Ordinal);
                var byObjectName = new Dictionary<string, ResourceModel>(StringComparer.Ordinal);
                foreach (var resource in resources.OrderBy(r => r.TypeName, StringComparer.Ordinal))
                {
                    if (resource.Unreachable is { } requirement)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InaccessibleType, resource.Location, resource.DisplayName, requirement));
                    }

                    resourcesByType[resource.TypeName] = resource;
                    var properties = Planned(resource.Properties, history.NamingPolicy);
                    propertiesByType[resource.TypeName] = properties;
                    if (!properties.Any(p => p.JsonName == "object"))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResourceWithoutObjectField, resource.Location, resource.DisplayName, resource.ObjectName));
                    }

                    if (resource.ObjectName.Length == 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResourceWithoutObjectField, resource.Location, resource.DisplayName, "object_name"));
                    }
                    else if (byObjectName.TryGetValue(resource.ObjectName, out var other))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateObjectName, resource.Location, other.DisplayName, resource.DisplayName, resource.ObjectName));
                    }
                    else
                    {
                        byObjectName[resource.ObjectName] = resource;
                    }
                }

                var declared = Releases.Declared(history, releaseSets, initial, diagnostics);
                var valid = new List<Change>();
                foreach (var model in changes)
                {
                    var version = ParseVersion(model.Version, model.VersionLocation, diagnostics);
                    if (version is not null)
                    {
                        version = Releases.Attach(model, version, declared, diagnostics);
                    }

                    if (version is null)
                    {
                        continue;
                    }

                    if (Compare(version, initial) <= 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ChangeNotAfterInitialVersion, model.VersionLocation, model.DisplayName, version.Text, initial.Text));
                        continue;
                    }

                    if (!CheckChange(model, resourcesByType, diagnostics))
                    {
                        continue;
                    }

                    valid.Add(new Change(model, version));
                }

                valid.Sort((a, b) =>
                {
                    int byVersion = Compare(a.Version, b.Version);
                    if (byVersion != 0)
                    {
                        return byVersion;
                    }

                    int byOrder = a.Model.Order.CompareTo(b.Model.Order);
                    return byOrder != 0 ? byOrder : string.CompareOrdinal(a.Model.TypeName, b.Model.TypeName);
                });

                // Every release is a version, with a change or not: the initial version, the declared releases, and the versions changes name.
                var versions = new List<VersionLiteral> { initial };
                foreach (var version in declared.Select(d => d.Version).Concat(valid.Select(c => c.Version)))
                {
                    if (!versions.Any(v => Compare(v, version) == 0))
                    {
                        versions.Add(version);
                    }
                }

                versions.Sort(Compare);
                foreach (var change in valid)
                {
                    change.VersionIndex = versions.FindIndex(v => Compare(v, change.Version) == 0);
                }

                var changeLocations = new Dictionary<string, LocationInfo?>(StringComparer.Ordinal);
                foreach (var change in valid.Where(c => !changeLocations.ContainsKey(c.Version.Text)))
                {
                    changeLocations[change.Version.Text] = change.Model.VersionLocation;
                }

                var releases = Releases.Plan(history, versions, declared, changeLocations, diagnostics);
                CheckOrder(valid, resourcesByType, diagnostics);

                var steps = valid.Select(c => new ChangeInPlan(c.Model, c.Version, c.VersionIndex)).ToList();
                Releases.CheckPolicy(history, steps, releases, diagnostics);
                var plannedResources = new List<PlannedResource>();
                foreach (var resource in resourcesByType.Values)
                {
                    plannedResources.Add(Fold.Resource(resource, propertiesByType[resource.TypeName], steps, diagnostics));
                }

                var carriers = new Dictionary<string, PlannedCarrier>(StringComparer.Ordinal);
                foreach (var carrier in resources.SelectMany(r => r.Carriers).Concat(valid.SelectMany(c => c.Model.Carriers)))
                {
                    if (!carriers.ContainsKey(carrier.TypeName) && !resourcesByType.ContainsKey(carrier.TypeName))
                    {
                        carriers[carrier.TypeName] = new PlannedCarrier(carrier.TypeName, Planned(carrier.Properties, history.NamingPolicy));
                    }
                }

                var requestTypes = valid.SelectMany(c => c.Model.RequestTypes).Concat(requests.SelectMany(r => r.Types)).ToList();
                var requestNames = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var type in requestTypes)
                {
                    requestNames[type.TypeName] = type.DisplayName;
                }

                var plannedChanges = valid.Select(c => PlanChange(c, resourcesByType, requestNames)).ToEquatableArray();
                var plannedRequests = Fold.Requests(steps, requestTypes, history.NamingPolicy, diagnostics);
                bool hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
                return new HistoryPlan(
                    history,
                    diagnostics.ToEquatableArray(),
                    hasErrors,
                    versions.ToEquatableArray(),
                    plannedChanges,
                    plannedResources.ToEquatableArray(),
                    carriers.Values.OrderBy(c => c.TypeName, StringComparer.Ordinal).ToEquatableArray(),
                    plannedRequests,
                    releases);
            }

            private static HistoryPlan Empty(HistoryModel? history, List<DiagnosticInfo> diagnostics)
                => new HistoryPlan(history, diagnostics.ToEquatableArray(), true, EquatableArray<VersionLiteral>.Empty, EquatableArray<PlannedChange>.Empty, EquatableArray<PlannedResource>.Empty, EquatableArray<PlannedCarrier>.Empty, EquatableArray<PlannedRequest>.Empty);

            private static EquatableArray<PlannedProperty> Planned(EquatableArray<PropertyModel> properties, int namingPolicy)
                => properties.Select(p => new PlannedProperty(p.Name, p.JsonName ?? JsonNaming.Convert(p.Name.TrimStart('@'), namingPolicy), p.Shape)).ToEquatableArray();

            private static bool CheckChange(ChangeModel model, Dictionary<string, ResourceModel> resources, List<DiagnosticInfo> diagnostics)
            {
                bool ok = true;
                if (model.HasSideEffects && model.HasEffects)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SideEffectChangeTransforms, model.Location, model.DisplayName));
                    ok = false;
                }

                if (!model.HasSideEffects && !model.HasEffects && model.Diagnostics.Count == 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ChangeDoesNothing, model.Location, model.DisplayName));
                }

                foreach (var instruction in model.Instructions)
                {
                    if (!resources.ContainsKey(instruction.ResourceType))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAResource, instruction.Location, model.DisplayName, Display(instruction.ResourceType)));
                        ok = false;
                    }
                    else if (instruction.Kind == InstructionKind.TypeChanged && !model.Transforms.Any(t => t.ResourceType == instruction.ResourceType)
                        && !model.Diagnostics.Any(d => d.Descriptor.Id == DiagnosticDescriptors.InvalidTransformSignature.Id))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeChangeNeedsCode, instruction.Location, model.DisplayName, instruction.Field, Display(instruction.ResourceType)));
                        ok = false;
                    }
                }

                foreach (var transform in model.Transforms)
                {
                    if (!resources.ContainsKey(transform.ResourceType))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAResource, transform.Location, model.DisplayName, Display(transform.ResourceType)));
                        ok = false;
                    }
                }

                return ok && model.Diagnostics.Count == 0;
            }

            private static void CheckOrder(List<Change> changes, Dictionary<string, ResourceModel> resources, List<DiagnosticInfo> diagnostics)
            {
                foreach (var group in changes.GroupBy(c => c.VersionIndex))
                {
                    var members = group.ToList();
                    for (int i = 0; i < members.Count; i++)
                    {
                        for (int j = i + 1; j < members.Count; j++)
                        {
                            var first = members[i].Model;
                            var second = members[j].Model;
                            if (first.Order != 0 && second.Order != 0 && first.Order != second.Order)
                            {
                                continue;
                            }

                            var touched = Touched(first);
                            var clash = second.Instructions.Concat(second.RequestInstructions).FirstOrDefault(x => TouchedBy(x).Any(f => touched.Contains(x.ResourceType + "\n" + f)));
                            if (clash is not null)
                            {
                                string field = TouchedBy(clash).First(f => touched.Contains(clash.ResourceType + "\n" + f));
                                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnorderedChanges, clash.Location, first.DisplayName, second.DisplayName, members[i].Version.Text, field, Display(clash.ResourceType)));
                            }
                        }
                    }
                }
            }

            private static HashSet<string> Touched(ChangeModel change)
                => new HashSet<string>(change.Instructions.Concat(change.RequestInstructions).SelectMany(x => TouchedBy(x).Select(f => x.ResourceType + "\n" + f)), StringComparer.Ordinal);

            private static IEnumerable<string> TouchedBy(InstructionModel instruction)
                => instruction.Kind == InstructionKind.Renamed ? new[] { instruction.Before!, instruction.After! } : new[] { instruction.Field };

            private static PlannedChange PlanChange(Change change, Dictionary<string, ResourceModel> resources, Dictionary<string, string> requestNames)
            {
                string ObjectName(string type) => resources[type].ObjectName;
                string RequestName(string type) => requestNames.TryGetValue(type, out string? name) ? name : Display(type);
                var model = change.Model;
                var affected = model.Instructions.Select(x => x.ResourceType).Concat(model.Transforms.Select(t => t.ResourceType))
                    .Distinct(StringComparer.Ordinal).Select(ObjectName).ToEquatableArray();
                var fieldChanges = model.Instructions
                    .Select(x => new PlannedFieldChange(ObjectName(x.ResourceType), x.Kind, x.Field, x.Before, x.After))
                    .ToEquatableArray();
                var requests = model.RequestInstructions.Select(x => x.ResourceType).Concat(model.RequestTransforms.Select(t => t.ResourceType))
                    .Distinct(StringComparer.Ordinal).Select(RequestName).ToEquatableArray();
                var requestFieldChanges = model.RequestInstructions
                    .Select(x => new PlannedFieldChange(RequestName(x.ResourceType), x.Kind, x.Field, x.Before, x.After))
                    .ToEquatableArray();
                return new PlannedChange(model.TypeName, change.VersionIndex, model.Description, model.HasSideEffects, model.Order, affected, fieldChanges,
                    model.Transforms.Count > 0 || model.RequestTransforms.Count > 0, requests, requestFieldChanges, Releases.Breaking(model) is not null, model.Text);
            }

            internal static VersionLiteral? ParseVersion(string text, LocationInfo? location, List<DiagnosticInfo> diagnostics)
            {
                if (!ApiVersionSyntax.TryParse(text, out int year, out int month, out int day, out string? name, out string? error))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidVersion, location, error!));
                    return null;
                }

                return new VersionLiteral(year, month, day, name, text);
            }

            internal static int Compare(VersionLiteral left, VersionLiteral right)
            {
                int result = left.Year.CompareTo(right.Year);
                if (result == 0)
                {
                    result = left.Month.CompareTo(right.Month);
                }

                if (result == 0)
                {
                    result = left.Day.CompareTo(right.Day);
                }

                return result != 0 ? result : string.CompareOrdinal(left.ReleaseName, right.ReleaseName);
            }

            private static string Display(string typeName) => typeName.StartsWith("global::", StringComparison.Ordinal) ? typeName.Substring(8) : typeName;
        }
    }
}
