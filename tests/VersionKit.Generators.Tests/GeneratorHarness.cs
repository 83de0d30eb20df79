using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using VersionKit.Generators;

namespace VersionKit.Generators.Tests;

/// <summary>What one run of the generator gave: its sources, its own diagnostics, and the compilation with them added.</summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorRunResult Result,
    Compilation OutputCompilation,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics)
{
    /// <summary>The generated sources, by hint name, with '\n' line ends.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; } = Result.GeneratedSources.ToDictionary(
        s => s.HintName,
        s => s.SourceText.ToString().ReplaceLineEndings("\n"),
        StringComparer.Ordinal);

    /// <summary>The one generated source.</summary>
    public string Source => Assert.Single(Sources).Value;

    /// <summary>The output compilation's errors.</summary>
    public IEnumerable<Diagnostic> CompilationErrors => CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The output compilation's warnings and errors.</summary>
    public IEnumerable<Diagnostic> CompilationWarnings => CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning);
}

/// <summary>Builds in-memory compilations against .NET 10 and the VersionKit runtime, and runs <see cref="HistoryGenerator"/> on them.</summary>
internal static class GeneratorHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(ApiHistory).Assembly.Location)];

    /// <summary>The path of the <paramref name="index"/>-th input file: Input0.cs, Input1.cs, ...</summary>
    public static string PathOf(int index) => "Input" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".cs";

    public static SyntaxTree Parse(string source, string path)
        => CSharpSyntaxTree.ParseText(SourceText.From(source, System.Text.Encoding.UTF8), ParseOptions, path);

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create(
            "Input",
            sources.Select((source, i) => Parse(source, PathOf(i))),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            [new HistoryGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles <paramref name="sources"/> and runs the generator once on a new driver.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), Compile(sources));

    /// <summary>Runs <paramref name="driver"/> (new, or the one a previous run returned) on <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        return new GeneratorRun(driver, result, output, generatorDiagnostics, output.GetDiagnostics());
    }

    /// <summary>Runs the generator on a valid history and returns the one generated source, asserting it compiles without a warning.</summary>
    public static string GenerateValid(params string[] sources)
    {
        var run = Run(sources);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationWarnings);
        return run.Source;
    }
}
