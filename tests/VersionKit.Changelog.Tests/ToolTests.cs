using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using Payments.Api;

namespace VersionKit.Changelog.Tests;

/// <summary>The changelog tool on built assemblies: the sample's, and small ones made to be wrong.</summary>
public sealed class ToolTests
{
    private static readonly string SampleAssembly = typeof(PaymentsApiHistory).Assembly.Location;
    private static readonly ApiChangelog SampleChangelog = ApiChangelog.From(PaymentsApiHistory.Default);

    private static (int Exit, string Output, string Errors) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int exit = ChangelogTool.Run(args, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    private static Dictionary<string, byte[]> ReadAll(string folder)
        => Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

    [Fact]
    public void The_tool_writes_the_changelog_the_generator_embedded_in_the_sample()
    {
        using var folder = new TempFolder();

        var (exit, output, errors) = Run("--assembly", SampleAssembly, "--output", folder.Path);

        Assert.Equal(0, exit);
        Assert.Empty(errors);
        Assert.Contains("PaymentsApiHistory", output, StringComparison.Ordinal);
        var files = Directory.GetFiles(folder.Path).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);
        Assert.Equal(PaymentsApiHistory.Default.Versions.Select(v => v + ".md").Append("CHANGELOG.html").Append("CHANGELOG.md").Order(StringComparer.Ordinal), files);

        // Read from the file's metadata, the changelog is the one the running history gives.
        Assert.Equal(SampleChangelog.ToMarkdown(), File.ReadAllText(folder["CHANGELOG.md"]));
        Assert.Equal(SampleChangelog.ToMarkdown(PaymentsApiHistory.Default.Versions[4]), File.ReadAllText(folder[PaymentsApiHistory.Default.Versions[4] + ".md"]));
        string html = File.ReadAllText(folder["CHANGELOG.html"]);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html, StringComparison.Ordinal);
        foreach (var version in PaymentsApiHistory.Default.Versions)
        {
            Assert.Matches($">{System.Text.RegularExpressions.Regex.Escape(version.ToString())}</h[23]>", html);
        }

        Assert.Contains("<td>renamed from <code>card</code></td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_build_wrote_its_changelog_into_the_sample()
    {
        // Building the sample (which this test project references) ran the targets: the folder holds what the tool writes.
        using var folder = new TempFolder();
        Assert.Equal(0, Run("--assembly", SampleAssembly, "--output", folder.Path).Exit);

        Assert.Equal(ReadAll(folder.Path), ReadAll(Repository.SampleChangelog));
    }

    [Fact]
    public void The_samples_changelog_groups_its_releases_under_their_major_with_the_preview_apart_and_no_internal_change()
    {
        string markdown = File.ReadAllText(Path.Combine(Repository.SampleChangelog, "CHANGELOG.md"));
        string[] headings = [.. markdown.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal) || l.StartsWith("### 2", StringComparison.Ordinal))];

        Assert.Equal(["## Previews", "### 2026-11-15.preview", "## Acacia", "### 2024-10-28.acacia", "### 2024-09-30.acacia", "## 2020-08-27"], headings[..6]);
        Assert.Contains("#### Customers' preferred locales", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Internal:", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("risk_score", string.Concat(Directory.GetFiles(Repository.SampleChangelog).Select(File.ReadAllText)), StringComparison.Ordinal);
        Assert.Contains(PaymentsApiHistory.Default.Changes, c => c.IsInternal && c.Description.StartsWith("Internal:", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_runs_give_the_same_bytes_and_the_second_rewrites_nothing()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        Assert.Equal(0, Run("--assembly", SampleAssembly, "--output", first.Path).Exit);
        var times = Directory.GetFiles(first.Path).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var again = Run("--assembly", SampleAssembly, "--output", first.Path);
        Assert.Equal(0, Run("--assembly", SampleAssembly, "--output", second.Path).Exit);

        Assert.Contains($" 0 written, {PaymentsApiHistory.Default.Versions.Count + 2} unchanged", again.Output, StringComparison.Ordinal);
        Assert.Equal(times, Directory.GetFiles(first.Path).ToDictionary(f => f, File.GetLastWriteTimeUtc));
        Assert.Equal(ReadAll(first.Path), ReadAll(second.Path));
    }

    [Fact]
    public void A_version_the_history_no_longer_has_loses_its_file_and_other_files_stay()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["2010-01-01.md"], "an old version");
        File.WriteAllText(folder["notes.md"], "the team's notes");
        File.WriteAllText(folder["CHANGELOG.md"], "edited by hand");

        Assert.Equal(0, Run("--assembly", SampleAssembly, "--output", folder.Path).Exit);

        Assert.False(File.Exists(folder["2010-01-01.md"]));
        Assert.Equal("the team's notes", File.ReadAllText(folder["notes.md"]));
        Assert.Equal(SampleChangelog.ToMarkdown(), File.ReadAllText(folder["CHANGELOG.md"]));
    }

    [Fact]
    public void The_tool_runs_as_a_process_on_the_assembly_file()
    {
        using var folder = new TempFolder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["exec", Repository.Tool, "--assembly", SampleAssembly, "--output", folder["out"]])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the tool did not finish in a minute");

        Assert.True(process.ExitCode == 0, output + errors);
        Assert.Equal(SampleChangelog.ToMarkdown(), File.ReadAllText(Path.Combine(folder["out"], "CHANGELOG.md")));
    }

    [Fact]
    public void An_assembly_without_a_history_writes_nothing_and_says_so()
    {
        using var folder = new TempFolder();

        var (exit, output, _) = Run("--assembly", typeof(ToolTests).Assembly.Location, "--output", folder["out"]);

        Assert.Equal(0, exit);
        Assert.Contains("declares no API history", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Theory]
    [InlineData(new string[0], "both --assembly and --output are needed")]
    [InlineData(new[] { "--assembly", "a.dll" }, "both --assembly and --output are needed")]
    [InlineData(new[] { "--assembly", "a.dll", "--output", "x", "--verbose" }, "unexpected argument '--verbose'")]
    [InlineData(new[] { "--assembly", "/nonexistent/Api.dll", "--output", "x" }, "cannot read the changelog of '/nonexistent/Api.dll'")]
    public void Bad_arguments_fail_with_a_message_in_msbuild_error_format(string[] args, string expected)
    {
        var (exit, output, errors) = Run(args);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith("VersionKit.Changelog : error : ", errors, StringComparison.Ordinal);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_fails_with_a_message()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["Api.dll"], "not a portable executable");

        var (exit, _, errors) = Run("--assembly", folder["Api.dll"], "--output", folder["out"]);

        Assert.Equal(1, exit);
        Assert.Contains("cannot read the changelog of", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Theory]
    [InlineData(new[] { "{ not json" }, "the changelog embedded in", "is not valid JSON")]
    [InlineData(new[] { """{"format":9}""" }, "the changelog embedded in", "format 9; this VersionKit reads format 2")]
    [InlineData(new[] { "{}", "{}" }, "cannot read the changelog of", "more than one 'VersionKit.Changelog'")]
    public void An_assembly_with_a_bad_changelog_fails_and_writes_nothing(string[] values, string expected, string reason)
    {
        using var folder = new TempFolder();
        string path = folder["Bad.dll"];
        SaveAssemblyWithMetadata(path, values);

        var (exit, _, errors) = Run("--assembly", path, "--output", folder["out"]);

        Assert.Equal(1, exit);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.Contains(reason, errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder["out"]));
    }

    private static void SaveAssemblyWithMetadata(string path, string[] values)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("Bad"), typeof(object).Assembly);
        var constructor = typeof(AssemblyMetadataAttribute).GetConstructor([typeof(string), typeof(string)])!;
        foreach (string value in values)
        {
            assembly.SetCustomAttribute(new CustomAttributeBuilder(constructor, [ApiChangelog.AssemblyMetadataKey, value]));
        }

        assembly.DefineDynamicModule("Bad");
        assembly.Save(path);
    }
}
