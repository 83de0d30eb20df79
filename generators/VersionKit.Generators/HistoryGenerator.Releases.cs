using System.Collections.Generic;
using System.Linq;

namespace VersionKit.Generators
{
    /// <summary>A release the history declares, its version read.</summary>
    internal sealed class DeclaredRelease
    {
        public DeclaredRelease(VersionLiteral version, ReleaseModel model)
        {
            Version = version;
            Model = model;
        }

        public VersionLiteral Version { get; }

        public ReleaseModel Model { get; }
    }

    public sealed partial class HistoryGenerator
    {
        /// <summary>
        /// Models in, releases out: the releases a history declares, the release each change belongs to, the kind of every
        /// version, and the release rules (ApiReleaseSyntax.cs, shared with the runtime) and policy checked.
        /// </summary>
        internal static class Releases
        {
            public static List<DeclaredRelease> Declared(HistoryModel history, IEnumerable<ReleaseSetModel> sets, VersionLiteral initial, List<DiagnosticInfo> diagnostics)
            {
                var declared = new List<DeclaredRelease>();
                foreach (var set in sets.Where(s => s.HistoryType != history.FullName))
                {
                    foreach (var model in set.Releases)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRelease, model.Location,
                            "[ApiRelease(\"" + model.Version + "\", ...)] is on '" + Display(set.HistoryType) + "', not on the history class '" + history.TypeName + "'; releases are declared on the history"));
                    }
                }

                foreach (var model in sets.Where(s => s.HistoryType == history.FullName).SelectMany(s => s.Releases))
                {
                    var version = Planner.ParseVersion(model.Version, model.Location, diagnostics);
                    if (version is null)
                    {
                        continue;
                    }

                    if (Planner.Compare(version, initial) < 0 || (SameDate(version, initial) && version.ReleaseName != initial.ReleaseName))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRelease, model.Location,
                            "Release " + version.Text + " is " + (SameDate(version, initial) ? "on the date of" : "older than") + " the initial version " + initial.Text + "; the first release is the initial version itself"));
                        continue;
                    }

                    if (declared.Any(d => Planner.Compare(d.Version, version) == 0))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRelease, model.Location, "Release " + version.Text + " is declared twice; declare each release once"));
                        continue;
                    }

                    declared.Add(new DeclaredRelease(version, model));
                }

                // Stable, so that of two releases on one date the one declared later is the one reported.
                return declared.OrderBy(d => d.Version, Comparer<VersionLiteral>.Create(Planner.Compare)).ToList();
            }

            /// <summary>The release <paramref name="model"/> belongs to: the declared release of its date, else its own version; null after VK0031.</summary>
            public static VersionLiteral? Attach(ChangeModel model, VersionLiteral version, List<DeclaredRelease> declared, List<DiagnosticInfo> diagnostics)
            {
                var release = declared.FirstOrDefault(d => SameDate(d.Version, version));
                if (release is not null)
                {
                    if (version.ReleaseName is null || version.ReleaseName == release.Version.ReleaseName)
                    {
                        return release.Version;
                    }

                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ChangeOutsideDeclaredReleases, model.VersionLocation, model.DisplayName, version.Text,
                        "the history declares the release of that date as " + release.Version.Text + "; date the change " + release.Version.Text + " or " + Date(version)));
                    return null;
                }

                if (declared.Count > 0 && Planner.Compare(version, declared[0].Version) >= 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ChangeOutsideDeclaredReleases, model.VersionLocation, model.DisplayName, version.Text,
                        "the history declares no release on " + Date(version) + "; from " + declared[0].Version.Text + " on, a change belongs to a declared release: "
                        + string.Join(", ", declared.Select(d => d.Version.Text)) + " (or declare [ApiRelease(\"" + version.Text + "\", ...)] on the history)"));
                    return null;
                }

                return version;
            }

            /// <summary>Every version's release, in order: declared ones as declared, the rest majors; the rules checked.</summary>
            public static EquatableArray<PlannedRelease> Plan(HistoryModel history, IReadOnlyList<VersionLiteral> versions, List<DeclaredRelease> declared, IReadOnlyDictionary<string, LocationInfo?> changeLocations, List<DiagnosticInfo> diagnostics)
            {
                var planned = new List<PlannedRelease>();
                var specs = new List<ReleaseSpec>();
                var locations = new List<LocationInfo?>();
                for (int i = 0; i < versions.Count; i++)
                {
                    var version = versions[i];
                    var release = declared.FirstOrDefault(d => Planner.Compare(d.Version, version) == 0);
                    int kind = release?.Model.Kind ?? ApiReleaseSyntax.Major;
                    planned.Add(new PlannedRelease(i, kind, release?.Model.Notes));
                    specs.Add(new ReleaseSpec(version.Year, version.Month, version.Day, version.ReleaseName, kind, release is not null));
                    locations.Add(release?.Model.Location ?? (changeLocations.TryGetValue(version.Text, out var named) ? named : history.InitialVersionLocation));
                }

                foreach (var problem in ApiReleaseSyntax.Check(specs))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRelease, locations[problem.Key], problem.Value.TrimEnd('.')));
                }

                return planned.ToEquatableArray();
            }

            /// <summary>With BreakingChangesOnlyInMajors, a breaking change dated at a monthly release is VK0030, at what makes it break.</summary>
            public static void CheckPolicy(HistoryModel history, IEnumerable<ChangeInPlan> changes, EquatableArray<PlannedRelease> releases, List<DiagnosticInfo> diagnostics)
            {
                if (!history.BreakingChangesOnlyInMajors)
                {
                    return;
                }

                foreach (var change in changes)
                {
                    if (releases[change.VersionIndex].Kind == ApiReleaseSyntax.Monthly && Breaking(change.Model) is { } breaking)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BreakingChangeInMonthlyRelease, breaking.Location, change.Model.DisplayName, breaking.What, change.Version.Text));
                    }
                }
            }

            /// <summary>
            /// What makes a change breaking, the first of: a field renamed, removed or retyped or an enum value added (in
            /// responses or requests), code that reshapes a resource or a request, side effects. Null for a change that only adds.
            /// </summary>
            public static (LocationInfo? Location, string What)? Breaking(ChangeModel change)
            {
                foreach (var instruction in change.Instructions)
                {
                    string resource = Display(instruction.ResourceType);
                    switch (instruction.Kind)
                    {
                        case InstructionKind.Renamed: return (instruction.Location, "renames field '" + instruction.Before + "' of '" + resource + "' to '" + instruction.After + "'");
                        case InstructionKind.Removed: return (instruction.Location, "removes field '" + instruction.Field + "' of '" + resource + "'");
                        case InstructionKind.TypeChanged: return (instruction.Location, "changes the type of field '" + instruction.Field + "' of '" + resource + "'");
                        case InstructionKind.EnumValueAdded: return (instruction.Location, "adds the value '" + instruction.After + "' to field '" + instruction.Field + "' of '" + resource + "'");
                    }
                }

                // A request field added only lets callers send more ([RequestFieldAdded]): callers of the release before are unaffected.
                foreach (var instruction in change.RequestInstructions.Where(x => x.Kind != InstructionKind.Added))
                {
                    return (instruction.Location, (instruction.Kind == InstructionKind.Renamed ? "renames" : "removes") + " request field '" + instruction.Before + "' of '" + Display(instruction.ResourceType) + "'");
                }

                foreach (var transform in change.Transforms.Concat(change.RequestTransforms))
                {
                    return (transform.Location, "reshapes '" + Display(transform.ResourceType) + "' in code ('" + transform.MethodName + "')");
                }

                return change.HasSideEffects ? (change.Location, "has side effects") : ((LocationInfo?, string)?)null;
            }

            private static bool SameDate(VersionLiteral left, VersionLiteral right) => left.Year == right.Year && left.Month == right.Month && left.Day == right.Day;

            private static string Date(VersionLiteral version) => new ReleaseSpec(version.Year, version.Month, version.Day, null, 0, false).Date;

            private static string Display(string typeName) => typeName.StartsWith("global::", System.StringComparison.Ordinal) ? typeName.Substring(8) : typeName;
        }
    }
}
