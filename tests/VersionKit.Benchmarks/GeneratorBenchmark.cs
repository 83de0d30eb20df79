using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using VersionKit.Generators;

namespace VersionKit.Benchmarks;

/// <summary>What the generator measurement found.</summary>
/// <param name="FirstRunMs">Generator time of the first run in this process (the generator and Roslyn not yet compiled by the JIT).</param>
/// <param name="MedianRunMs">Median generator time of the following runs, each a new driver on a new compilation: a full build.</param>
/// <param name="RunsMs">Every measured run's generator time.</param>
/// <param name="IncrementalRunMs">Generator time of the run after an edit elsewhere, with the driver of the previous run.</param>
/// <param name="EditReEmitsNothing">After that edit, every tracked step and every output step was Cached or Unchanged.</param>
/// <param name="EditStepReasons">The reasons of the edited run's steps, counted.</param>
/// <param name="MedianRunCpuMs">Median processor time of the process during those runs: what the wall-clock times are on a machine busy with other work.</param>
/// <param name="StepsMs">Where the generator time of the last full run went, by step (the rest: finding the attributed types).</param>
/// <param name="Sizes">What the generator emits for the same project with fewer changes per version: its growth with the changes.</param>
/// <param name="FloorMs">
/// Median time of a generator that only finds the same attributed types and binds their attributes, emitting nothing, in
/// the same builds: what any generator that reads this history pays Roslyn before doing anything of its own.
/// </param>
public sealed record GeneratorResult(
    int Resources,
    int Versions,
    int Changes,
    int SourceFiles,
    int GeneratedChars,
    double FirstRunMs,
    double MedianRunMs,
    IReadOnlyList<double> RunsMs,
    double IncrementalRunMs,
    bool EditReEmitsNothing,
    IReadOnlyDictionary<string, int> EditStepReasons,
    double MedianRunCpuMs,
    IReadOnlyDictionary<string, double> StepsMs,
    IReadOnlyList<EmittedSize> Sizes,
    double FloorMs);

/// <summary>The generator's output for the synthetic project with <paramref name="Changes"/> changes: characters, and the time of one build.</summary>
/// <param name="Sections">
/// Where the characters are: <c>changelog</c> (the changelog as JSON, an assembly attribute), <c>versions</c>, <c>changes</c>
/// (each change as data), <c>plans</c> (each resource's plan as data), <c>writers</c> (the writers' code); empty when the
/// output does not have the markers this reads.
/// </param>
public sealed record EmittedSize(int Changes, int GeneratedChars, double Ms, IReadOnlyDictionary<string, int> Sections);

/// <summary>
/// The real generator, in this process, on a synthetic project written here: 200 resources, 500 versions after the
/// initial one, 2,000 declarative changes (4 per version, each on one resource, walked back from the current shapes
/// so that history adds up), one file per version and one per 10 resources, and a file of unrelated code. The same
/// project with 1 and 2 changes per version (500 and 1,000 changes) shows how the emitted code grows with the changes.
/// </summary>
public static class GeneratorBenchmark
{
    private const int ResourceCount = 200;
    private const int VersionCount = 500;
    private const int ChangesPerVersion = 4;
    private const int FieldsPerResource = 12;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References = [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(ApiHistory).Assembly.Location)];

    private static readonly string[] TrackedSteps =
    [
        HistoryGenerator.TrackingNames.Histories,
        HistoryGenerator.TrackingNames.Resources,
        HistoryGenerator.TrackingNames.Changes,
        HistoryGenerator.TrackingNames.Plan,
    ];

    private const string Unrelated = """
        namespace Synthetic.Internal;

        public static class Clock
        {
            public static System.DateTime Now => System.DateTime.UtcNow;
        }
        """;

    public static GeneratorResult Run(bool quick)
    {
        var trees = Parse(ChangesPerVersion);
        CSharpCompilation Compile() => Compilation(trees);

        // A full build: a new driver and a new compilation, whose symbols nothing has bound yet.
        (GeneratorDriver Driver, double Ms, double CpuMs, Compilation Output) FullRun()
        {
            var compilation = Compile();
            var cpu = Environment.CpuUsage.TotalTime;
            var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
            return (driver, driver.GetTimingInfo().ElapsedTime.TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds, output);
        }

        var first = FullRun();
        Check(first.Driver, first.Output);
        int generatedChars = Emitted(first.Driver);

        var runs = new List<double>();
        var cpuRuns = new List<double>();
        GeneratorDriver last = first.Driver;
        for (int i = 0; i < (quick ? 3 : 9); i++)
        {
            var run = FullRun();
            runs.Add(run.Ms);
            cpuRuns.Add(run.CpuMs);
            last = run.Driver;
        }

        // The floor: the same inputs, every attribute bound, nothing else, each build a new driver on a new compilation.
        var floorRuns = new List<double>();
        for (int i = 0; i < (quick ? 3 : 9) + 1; i++)
        {
            var floor = CSharpGeneratorDriver.Create([new AttributeFloor().AsSourceGenerator()], parseOptions: ParseOptions).RunGenerators(Compile());
            if (i > 0)
            {
                floorRuns.Add(floor.GetTimingInfo().ElapsedTime.TotalMilliseconds);
            }
        }

        var lastRun = last.GetRunResult().Results.Single();
        var steps = TrackedSteps.ToDictionary(name => name, name => Math.Round(lastRun.TrackedSteps[name].Sum(s => s.ElapsedTime.TotalMilliseconds), 1));
        steps["output"] = Math.Round(lastRun.TrackedOutputSteps.SelectMany(o => o.Value).Sum(s => s.ElapsedTime.TotalMilliseconds), 1);

        // An edit elsewhere: the unrelated file changes; nothing the generator reads does.
        var before = Compile();
        last = Driver().RunGenerators(before);
        var unrelated = before.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        var edited = before.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(Unrelated.Replace("UtcNow", "Now", StringComparison.Ordinal), ParseOptions, "Unrelated.cs"));
        var incremental = last.RunGenerators(edited);
        var result = incremental.GetRunResult().Results.Single();
        var reasons = TrackedSteps.SelectMany(name => result.TrackedSteps.TryGetValue(name, out var steps) ? steps : [])
            .Concat(result.TrackedOutputSteps.SelectMany(o => o.Value))
            .SelectMany(s => s.Outputs)
            .Select(o => o.Reason)
            .ToList();
        bool allTracked = TrackedSteps.All(result.TrackedSteps.ContainsKey) && result.TrackedOutputSteps.Count > 0;

        // The same project with fewer changes: one build each, checked like the first.
        var sizes = new List<EmittedSize>();
        foreach (int perVersion in new[] { 1, 2 })
        {
            var driver = Driver().RunGeneratorsAndUpdateCompilation(Compilation(Parse(perVersion)), out var output, out _);
            Check(driver, output);
            sizes.Add(new EmittedSize(VersionCount * perVersion, Emitted(driver), driver.GetTimingInfo().ElapsedTime.TotalMilliseconds, Sections(driver)));
        }

        sizes.Add(new EmittedSize(VersionCount * ChangesPerVersion, generatedChars, Median(runs), Sections(first.Driver)));

        return new GeneratorResult(
            ResourceCount,
            VersionCount,
            VersionCount * ChangesPerVersion,
            trees.Count,
            generatedChars,
            first.Ms,
            Median(runs),
            runs,
            incremental.GetTimingInfo().ElapsedTime.TotalMilliseconds,
            allTracked && reasons.Count > 0 && reasons.All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
            reasons.GroupBy(r => r.ToString()).ToDictionary(g => g.Key, g => g.Count()),
            Median(cpuRuns),
            steps,
            sizes,
            Median(floorRuns));
    }

    private static List<SyntaxTree> Parse(int changesPerVersion)
        => [.. SyntheticProject(changesPerVersion).Select(file => CSharpSyntaxTree.ParseText(SourceText.From(file.Text, Encoding.UTF8), ParseOptions, file.Path))];

    private static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees)
        => CSharpCompilation.Create(
            "Synthetic", trees, References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static int Emitted(GeneratorDriver driver) => driver.GetRunResult().Results.Single().GeneratedSources.Sum(s => s.SourceText.Length);

    // The generated history class's parts, found by the members that start them, in the order the emitter writes them.
    private static Dictionary<string, int> Sections(GeneratorDriver driver)
    {
        string text = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();
        (string Name, string Marker)[] parts =
        [
            ("changelog", ""),
            ("versions", " CreateVersions() =>"),
            ("changes", " CreateChanges(global::VersionKit.ApiVersion[] v) =>"),
            ("plans", " CreateResources(global::VersionKit.ApiVersion[] v) =>"),
            ("writers", " CreateRequests(global::VersionKit.ApiVersion[] v) =>"),
        ];
        var starts = parts.Select(p => p.Marker.Length == 0 ? 0 : text.IndexOf(p.Marker, StringComparison.Ordinal)).ToArray();
        if (starts.Any(s => s < 0) || !starts.SequenceEqual(starts.Order()))
        {
            return [];
        }

        return parts.Select((p, i) => (p.Name, Length: (i + 1 < starts.Length ? starts[i + 1] : text.Length) - starts[i])).ToDictionary(p => p.Name, p => p.Length);
    }

    /// <summary>
    /// The part of the generator's time that is Roslyn's: the three attribute inputs the generator uses, each transform
    /// binding every attribute of its type and reading its arguments, and no plan, no output.
    /// </summary>
    private sealed class AttributeFloor : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            foreach (string attribute in new[] { "VersionKit.ApiHistoryAttribute", "VersionKit.ApiResourceAttribute", "VersionKit.VersionChangeAttribute" })
            {
                var found = context.SyntaxProvider.ForAttributeWithMetadataName(
                    attribute,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                    static (target, _) => target.TargetSymbol.GetAttributes().Sum(a => a.ConstructorArguments.Length + a.NamedArguments.Length));
                context.RegisterSourceOutput(found.Collect(), static (_, _) => { });
            }
        }
    }

    private static GeneratorDriver Driver()
        => CSharpGeneratorDriver.Create(
            [new HistoryGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    // The project must be one the generator accepts: no diagnostic, and the completed project compiles.
    private static void Check(GeneratorDriver driver, Compilation output)
    {
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null || !result.Diagnostics.IsEmpty || result.GeneratedSources.Length != 1)
        {
            throw new InvalidOperationException($"The generator did not accept the synthetic project: {result.Exception?.Message ?? string.Join("; ", result.Diagnostics.Take(5))}");
        }

        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The synthetic project does not compile: " + string.Join("; ", errors));
        }
    }

    // The properties Field00, Field03, Field06 and Field09 are longs (a renamed field keeps its root: field06_v12); restored fields hold strings.
    private static bool IsLong(string field)
        => field.StartsWith("field", StringComparison.Ordinal) && int.Parse(field.AsSpan(5, 2), CultureInfo.InvariantCulture) % 3 == 0;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The synthetic project's files: its history, its resources, its changes (one file per version) and unrelated code.</summary>
    public static IEnumerable<(string Path, string Text)> SyntheticProject(int changesPerVersion = ChangesPerVersion)
    {
        yield return ("History.cs", """
            namespace Synthetic;

            [VersionKit.ApiHistory("2000-01-01", NamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
            public partial class SyntheticHistory;
            """);
        yield return ("Unrelated.cs", Unrelated);

        for (int file = 0; file < ResourceCount / 10; file++)
        {
            var text = new StringBuilder("namespace Synthetic;\n");
            for (int r = file * 10; r < (file + 1) * 10; r++)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n[VersionKit.ApiResource(\"resource_{r:D3}\")]\npublic sealed class Resource{r:D3}\n{{\n    public string Id {{ get; init; }} = \"\";\n    public string Object => \"resource_{r:D3}\";\n");
                for (int f = 0; f < FieldsPerResource; f++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"    public {(f % 3 == 0 ? "long" : "string?")} Field{f:D2} {{ get; init; }}\n");
                }

                text.Append("}\n");
            }

            yield return ($"Resources{file:D2}.cs", text.ToString());
        }

        // Walk back from the current shapes, newest version first, so that every change names fields that exist at its point.
        var fields = Enumerable.Range(0, ResourceCount).Select(_ => Enumerable.Range(0, FieldsPerResource).Select(f => $"field{f:D2}").ToList()).ToArray();
        var files = new string[VersionCount];
        for (int v = VersionCount; v >= 1; v--)
        {
            string date = new DateOnly(2000, 1, 1).AddDays(7 * v).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var text = new StringBuilder("namespace Synthetic;\n");
            for (int c = 0; c < changesPerVersion; c++)
            {
                int n = (v * changesPerVersion) + c;
                int r = (n * 7) % ResourceCount;
                var current = fields[r];
                string field = current[n % current.Count];
                string attribute;
                switch (n % 4)
                {
                    case 0:
                        string old = $"{field.Split("_v")[0]}_v{v}";
                        current[current.IndexOf(field)] = old;
                        attribute = $"[VersionKit.FieldRenamed(typeof(Resource{r:D3}), \"{old}\", \"{field}\")]";
                        break;
                    case 1:
                        string removed = $"removed_{v}_{c}";
                        current.Add(removed);
                        attribute = $"[VersionKit.FieldRemoved(typeof(Resource{r:D3}), \"{removed}\", Value = \"was {v}\")]";
                        break;
                    case 2:
                        // A value map needs a string: the next field that is not one of the long properties (field00, field03...).
                        for (int i = 1; IsLong(field) && i < current.Count; i++)
                        {
                            field = current[(n + i) % current.Count];
                        }

                        attribute = $"[VersionKit.EnumValueAdded(typeof(Resource{r:D3}), \"{field}\", \"new_{v}\", \"old_{v}\")]";
                        break;
                    default:
                        if (current.Count <= 4)
                        {
                            goto case 1;
                        }

                        current.Remove(field);
                        attribute = $"[VersionKit.FieldAdded(typeof(Resource{r:D3}), \"{field}\")]";
                        break;
                }

                text.Append(CultureInfo.InvariantCulture, $"\n[VersionKit.VersionChange(\"{date}\", \"Change {c + 1} of {date} on resource_{r:D3}.\")]\n{attribute}\npublic sealed class Change{v:D3}_{c};\n");
            }

            files[v - 1] = text.ToString();
        }

        for (int v = 0; v < VersionCount; v++)
        {
            yield return ($"Changes/V{v + 1:D3}.cs", files[v]);
        }
    }
}
