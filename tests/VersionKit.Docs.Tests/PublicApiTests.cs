using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace VersionKit.Docs.Tests;

/// <summary>
/// Every package declares its public API in PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt, and the build fails on a
/// public change that is not listed: here the same analyzer runs on one package's real sources and files.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly string Root = RepositoryRoot();

    public static TheoryData<string> Packages { get; } = [.. Directory.GetDirectories(Path.Combine(Root, "src"))
        .Where(d => File.Exists(Path.Combine(d, "README.md")) && Directory.GetFiles(d, "*.csproj").Length == 1)
        .Select(d => Path.GetFileName(d)!)
        .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Packages))]
    public void Every_package_declares_its_public_api(string package)
    {
        Assert.True(File.Exists(Path.Combine(Root, "src", package, "PublicAPI.Shipped.txt")), $"{package} has no PublicAPI.Shipped.txt");
        Assert.True(File.Exists(Path.Combine(Root, "src", package, "PublicAPI.Unshipped.txt")), $"{package} has no PublicAPI.Unshipped.txt");
    }

    [Fact]
    public async Task The_declared_api_matches_the_package_and_an_unlisted_public_member_is_an_error()
    {
        var listed = await AnalyzeAsync(extra: null);
        Assert.DoesNotContain(listed, d => d.Id is "RS0016" or "RS0017");

        var unlisted = await AnalyzeAsync("namespace VersionKit.Sqlite { public static class Unlisted { public static int Answer => 42; } }");
        var error = Assert.Single(unlisted, d => d.Id == "RS0016" && d.GetMessage().Contains("Unlisted", StringComparison.Ordinal));
        Assert.Equal("Extra.cs", error.Location.SourceTree!.FilePath);
    }

    // VersionKit.Sqlite's own sources and API files, compiled with the same references it builds with.
    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string? extra)
    {
        string folder = Path.Combine(Root, "src", "VersionKit.Sqlite");
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.GetFiles(folder, "*.cs").Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;", parse, "Usings.cs"));
        if (extra is not null)
        {
            trees = trees.Append(CSharpSyntaxTree.ParseText(extra, parse, "Extra.cs"));
        }

        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.GetFiles(runtime, "*.dll").Where(IsManaged)
            .Append(typeof(ApiHistory).Assembly.Location)
            .Append(typeof(VersionKit.Sqlite.SqlitePinStore).Assembly.Location)
            .Append(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("VersionKit.Sqlite", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS0436"));

        var analyzer = new AnalyzerFileReference(Path.Combine(AppContext.BaseDirectory, "analyzers", "Microsoft.CodeAnalysis.PublicApiAnalyzers.dll"), new Loader());
        var files = ImmutableArray.Create<AdditionalText>(
            new FileText(Path.Combine(folder, "PublicAPI.Shipped.txt")),
            new FileText(Path.Combine(folder, "PublicAPI.Unshipped.txt")));
        return await compilation.WithAnalyzers(analyzer.GetAnalyzers(LanguageNames.CSharp), new AnalyzerOptions(files)).GetAnalyzerDiagnosticsAsync();
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(path));
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }

    private static string RepositoryRoot([CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
