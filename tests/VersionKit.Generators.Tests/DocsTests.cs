using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace VersionKit.Generators.Tests;

/// <summary>
/// Every diagnostic has its page under docs/diagnostics, with the descriptor's title and severity, and the page's
/// examples do what it says: the first reports the diagnostic, the last (the fix) builds clean.
/// </summary>
public sealed partial class DocsTests
{
    private static readonly string Directory = DocsDirectory();

    public static TheoryData<string> Ids { get; } = [.. Descriptors().Select(d => d.Id)];

    // IDs come in blocks (VK0001-VK0022 for histories and requests, VK0030 on for releases), each ID once and never reused.
    [Fact]
    public void Descriptors_have_one_id_each_in_their_blocks_and_link_to_their_page()
    {
        var descriptors = Descriptors().ToList();

        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 22).Concat(Enumerable.Range(30, 3)).Select(i => "VK" + i.ToString("0000", CultureInfo.InvariantCulture)), descriptors.Select(d => d.Id));
        Assert.All(descriptors, d => Assert.EndsWith("/docs/diagnostics/" + d.Id + ".md", d.HelpLinkUri, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_has_the_descriptors_title_and_severity_and_is_listed(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        string page = Read(id + ".md");

        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page, StringComparison.Ordinal);
        Assert.Contains($"**Severity:** {descriptor.DefaultSeverity}\n", page, StringComparison.Ordinal);
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.DefaultSeverity} |", Read("README.md"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_example_reports_the_diagnostic_and_its_fix_builds_clean(string id)
    {
        var blocks = CodeBlocks(Read(id + ".md"));
        Assert.True(blocks.Count >= 2, $"{id}.md needs an example and a fix.");

        var example = GeneratorHarness.Run(WithPreamble(blocks[0]));
        Assert.Contains(example.GeneratorDiagnostics, d => d.Id == id);
        Assert.All(example.GeneratorDiagnostics, d => Assert.Equal(id, d.Id));

        var fix = GeneratorHarness.Run(WithPreamble(blocks[^1]));
        Assert.Empty(fix.GeneratorDiagnostics);
        Assert.Empty(fix.CompilationErrors);
    }

    // An example that declares its own history stands alone, with the preamble's using lines only.
    private static string WithPreamble(string example)
    {
        string preamble = CodeBlocks(Read("README.md")).Single();
        return example.Contains("[ApiHistory", StringComparison.Ordinal)
            ? string.Concat(preamble.Split('\n').Where(l => l.StartsWith("using ", StringComparison.Ordinal)).Select(l => l + "\n")) + "\n" + example
            : preamble + "\n" + example;
    }

    private static List<string> CodeBlocks(string markdown) => [.. CodeBlock().Matches(markdown).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    private static IEnumerable<DiagnosticDescriptor> Descriptors()
        => typeof(DiagnosticDescriptors)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal);

    private static string Read(string file)
    {
        string path = Path.Combine(Directory, file);
        Assert.True(File.Exists(path), $"{path} does not exist.");
        return File.ReadAllText(path).ReplaceLineEndings("\n");
    }

    private static string DocsDirectory([CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "docs", "diagnostics"));
}
