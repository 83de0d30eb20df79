using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using static VersionKit.Generators.HistoryGenerator;

namespace VersionKit.Generators.Tests;

/// <summary>The generator stays incremental: an edit that touches no resource or change re-emits nothing.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] PipelineSteps = [TrackingNames.Histories, TrackingNames.Resources, TrackingNames.Changes, TrackingNames.Releases, TrackingNames.Requests, TrackingNames.Plan];

    private const string Unrelated = """
        namespace Shop.Api.Internal;

        public sealed class Clock
        {
            public System.DateTime Now => System.DateTime.UtcNow;
        }
        """;

    [Fact]
    public void Adding_an_unrelated_file_re_emits_nothing()
        => AssertReEmitsNothing(c => c.AddSyntaxTrees(GeneratorHarness.Parse("public sealed class Another;", GeneratorHarness.PathOf(2))));

    [Fact]
    public void Editing_an_unrelated_class_re_emits_nothing()
        => AssertReEmitsNothing(c => Edit(c, 1, "UtcNow", "Now"));

    [Fact]
    public void Adding_an_unrelated_class_after_the_declarations_of_their_file_re_emits_nothing()
        => AssertReEmitsNothing(c => Edit(c, 0, "public sealed class OrderPriority;", "public sealed class OrderPriority;\n\ninternal static class Helpers;"));

    [Fact]
    public void Editing_a_change_description_modifies_the_plan_and_re_emits()
    {
        var (_, second) = RunBeforeAndAfter(c => Edit(c, 0, "Orders have an `item_count`.", "Orders count their items."));

        Assert.Contains(Reasons(second.Result.TrackedSteps[TrackingNames.Changes]), r => r == IncrementalStepRunReason.Modified);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Reasons(second.Result.TrackedSteps[TrackingNames.Plan])));
        Assert.Contains(OutputReasons(second.Result), r => r == IncrementalStepRunReason.Modified);
        Assert.Contains("\"Orders count their items.\"", second.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_releases_notes_modifies_the_releases_and_the_plan_and_re_emits()
    {
        var (_, second) = RunBeforeAndAfter(c => Edit(c, 0, "The first named release.", "Acacia, the first named release."));

        Assert.Contains(Reasons(second.Result.TrackedSteps[TrackingNames.Releases]), r => r == IncrementalStepRunReason.Modified);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Reasons(second.Result.TrackedSteps[TrackingNames.Plan])));
        Assert.Contains("\"Acacia, the first named release.\"", second.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_request_type_modifies_its_step_and_the_plan_and_re_emits()
    {
        var (_, second) = RunBeforeAndAfter(c => Edit(c, 0, "decimal? Total", "long? Total"));

        Assert.Contains(Reasons(second.Result.TrackedSteps[TrackingNames.Requests]), r => r == IncrementalStepRunReason.Modified);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Reasons(second.Result.TrackedSteps[TrackingNames.Plan])));
        Assert.Contains("RequestValueKind.Integer, typeof(long)", second.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        var run = GeneratorHarness.Run(BaselineTests.EveryInstruction);

        foreach (string name in PipelineSteps)
        {
            foreach (var step in run.Result.TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs)
                {
                    AssertPlainData(value, name, depth: 0);
                }
            }
        }
    }

    /// <summary>Runs the generator on a history and an unrelated file, then again, with the same driver, after <paramref name="edit"/>.</summary>
    private static (GeneratorRun First, GeneratorRun Second) RunBeforeAndAfter(Func<Compilation, Compilation> edit)
    {
        var compilation = GeneratorHarness.Compile(BaselineTests.EveryInstruction, Unrelated);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        return (first, GeneratorHarness.Run(first.Driver, edit(compilation)));
    }

    private static void AssertReEmitsNothing(Func<Compilation, Compilation> edit)
    {
        var (first, second) = RunBeforeAndAfter(edit);

        AssertNothingRecomputed(second.Result);
        Assert.Equal(first.Source, second.Source);
    }

    private static void AssertNothingRecomputed(GeneratorRunResult result)
    {
        foreach (string name in PipelineSteps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"No step tracked as '{name}'.");
            Assert.NotEmpty(Reasons(steps));
            Assert.All(Reasons(steps), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name} was {r}."));
        }

        var outputs = OutputReasons(result).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"The source output was {r}."));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(IEnumerable<IncrementalGeneratorRunStep> steps)
        => steps.SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static IEnumerable<IncrementalStepRunReason> OutputReasons(GeneratorRunResult result)
        => result.TrackedOutputSteps.SelectMany(o => Reasons(o.Value));

    private static Compilation Edit(Compilation compilation, int file, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.PathOf(file));
        string text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, GeneratorHarness.Parse(text.Replace(oldText, newText, StringComparison.Ordinal), tree.FilePath));
    }

    // Models that hold symbols, syntax or a compilation keep old compilations alive and never compare equal.
    private static void AssertPlainData(object? value, string path, int depth)
    {
        if (value is null or string || value.GetType().IsPrimitive || value.GetType().IsEnum || depth > 12)
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location,
            $"{path} holds a {value.GetType().Name}.");

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertPlainData(item, $"{path}[{i++}]", depth + 1);
            }

            return;
        }

        if (value.GetType().Namespace != typeof(HistoryGenerator).Namespace)
        {
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertPlainData(property.GetValue(value), path + "." + property.Name, depth + 1);
        }
    }
}
