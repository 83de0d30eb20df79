using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VersionKit.Generators;

namespace VersionKit.Docs.Tests;

/// <summary>The README's C# blocks, compiled together with the generator as in a project made by 'dotnet new web'.</summary>
public partial class ReadmeTests
{
    // The implicit usings of Microsoft.NET.Sdk.Web.
    private const string WebSdkUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    [GeneratedRegex("```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    private static Assembly CompileReadme() => CompilePage("README.md", minimumBlocks: 4);

    /// <summary>
    /// A page's C# blocks, compiled with the generator into one assembly (loaded), as one file of a project made by
    /// 'dotnet new web' that references every VersionKit package.
    /// </summary>
    internal static Assembly CompilePage(string page, int minimumBlocks)
    {
        string markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", page)).ReplaceLineEndings("\n");
        var blocks = CSharpBlock().Matches(markdown).Select(m => m.Groups["code"].Value).ToList();
        Assert.True(blocks.Count >= minimumBlocks, $"{page} should show at least {minimumBlocks} C# blocks");

        // Blocks are snippets of one file: their using directives go first.
        var usings = blocks.SelectMany(b => b.Split('\n')).Where(l => l.StartsWith("using ", StringComparison.Ordinal)).Distinct();
        var code = blocks.SelectMany(b => b.Split('\n')).Where(l => !l.StartsWith("using ", StringComparison.Ordinal));
        string source = string.Join('\n', usings) + "\n" + string.Join('\n', code);
        return Compile(Path.GetFileNameWithoutExtension(page) + "Example", source, page);
    }

    /// <summary><paramref name="source"/> compiled with the generator into one assembly (loaded), as a project made by 'dotnet new web'.</summary>
    internal static Assembly Compile(string assemblyName, string source, string path)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(WebSdkUsings, parse), CSharpSyntaxTree.ParseText(source, parse, path: path)],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new HistoryGenerator()).WithUpdatedParseOptions(parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);

        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(stream);
    }

    private static IEnumerable<MetadataReference> References()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string aspnet = Path.GetDirectoryName(typeof(WebApplication).Assembly.Location)!;
        return Directory.GetFiles(runtime, "*.dll").Concat(Directory.GetFiles(aspnet, "*.dll"))
            .Where(IsManaged)
            .Append(typeof(ApiHistory).Assembly.Location)
            .Append(typeof(VersionKit.AspNetCore.VersionKitOptions).Assembly.Location)
            // The packages the README's example references.
            .Append(typeof(VersionKit.Sqlite.SqlitePinStore).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.DependencyInjection.VersionKitOpenApiBuilderExtensions).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.DependencyInjection.VersionKitDocsBuilderExtensions).Assembly.Location)
            .Append(typeof(Microsoft.AspNetCore.OpenApi.OpenApiOptions).Assembly.Location)
            .Append(typeof(VersionKit.Webhooks.ApiEvents).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static readonly Lazy<Assembly> Example = new(CompileReadme);

    [Fact]
    public void The_readme_example_compiles_with_the_generator()
    {
        var history = (ApiHistory)Example.Value.GetType("MyApiHistory")!.GetProperty("Default")!.GetValue(null)!;
        Assert.Equal(["2011-08-01", "2014-05-19"], history.Versions.Select(v => v.ToString()));
    }

    [Theory]
    [InlineData("2024-01-01", null)]
    [InlineData("2014-05-19", """{"id":"ba_1","object":"bank_account","last4":"6789","status":"verified"}""")]
    [InlineData("2011-08-01", """{"id":"ba_1","object":"bank_account","last4":"6789","verified":true}""")]
    public void The_readme_example_renders_what_the_readme_says(string version, string? expected)
    {
        var assembly = Example.Value;
        var history = (ApiHistory)assembly.GetType("MyApiHistory")!.GetProperty("Default")!.GetValue(null)!;
        if (expected is null)
        {
            Assert.False(history.IsKnown(ApiVersion.Parse(version)));
            return;
        }

        var account = Activator.CreateInstance(assembly.GetType("BankAccount")!)!;
        account.GetType().GetProperty("Id")!.SetValue(account, "ba_1");
        account.GetType().GetProperty("Last4")!.SetValue(account, "6789");
        account.GetType().GetProperty("Status")!.SetValue(account, "verified");
        string rendered = (string)assembly.GetType("Webhooks")!.GetMethod("Render")!.Invoke(null, [account, ApiVersion.Parse(version)])!;
        Assert.Equal(expected, rendered);

        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "README.md"));
        Assert.Contains(expected, readme, StringComparison.Ordinal);
    }
}
