using System.Diagnostics;
using VersionKit.Benchmarks;

// dotnet run -c Release --project tests/VersionKit.Benchmarks [-- --quick] [--only micro,paired,http,generator] [--cases <text>] [--charts]
// --cases keeps the paired cases whose name contains the text (an A/B of one goal between two builds).
// Runs of their own, not part of the default run: --only scale (a million accounts; adds "scale" to summary.json),
// --only outbox (a PostgreSQL server; outbox.json), --only probes (the focused measurements behind the findings; probes.json).
// Writes BenchmarkDotNet's reports, summary.json, goals.md and the charts to artifacts/benchmarks. A full run also puts
// its summary.json and charts in docs/performance, which docs/performance.md shows; a quick run leaves them alone.
// --charts draws the charts in docs/performance again from the summary.json there, measuring nothing.
bool quick = args.Contains("--quick");
string[] parts = ["micro", "paired", "http", "generator"];
string[] only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? parts;
string? pairedCases = args.SkipWhile(a => a != "--cases").Skip(1).FirstOrDefault();
string root = RepositoryRoot();
string artifacts = Path.Combine(root, "artifacts", "benchmarks");
string published = Path.Combine(root, "docs", "performance");
if (only.Contains("probes"))
{
    // The focused measurements behind docs/performance.md's findings, apart from the goals' run.
    Verification.Run();
    var probes = Probes.Run(quick);
    Directory.CreateDirectory(artifacts);
    File.WriteAllText(Path.Combine(artifacts, "probes.json"), System.Text.Json.JsonSerializer.Serialize(probes, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    return;
}

if (args.Contains("--charts"))
{
    Report.WriteCharts(Report.ReadSummary(Path.Combine(published, "summary.json")), published);
    return;
}

// The scale run is a command of its own (a million accounts, a private PostgreSQL): it adds "scale" to summary.json.
if (only.Contains("scale"))
{
    var scale = await ScaleBenchmark.RunAsync(quick);
    foreach (string folder in quick ? [artifacts] : new[] { artifacts, published })
    {
        ScaleBenchmark.WriteInto(Path.Combine(folder, "summary.json"), scale);
        ScaleBenchmark.WriteChart(scale, folder);
    }

    return;
}

var started = DateTimeOffset.Now;
var clock = Stopwatch.StartNew();

Console.WriteLine($"VersionKit benchmarks ({(quick ? "quick" : "full")} job) on {Report.Machine}");
Verification.Run();
Console.WriteLine("Every payload renders alike through the compiled path, the reference chain and the naive chain.");

IReadOnlyList<CaseResult> cases = only.Contains("micro") ? MicroBenchmarks.Run(quick, artifacts) : [];
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] micro-benchmarks done");

// The goals' verdicts: each case timed together with its baseline, batch by batch (PairedRatios.cs says why).
IReadOnlyList<PairedResult> paired = only.Contains("paired") ? PairedRatios.Run(quick, pairedCases) : [];
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] paired ratios done");

HttpResult? http = only.Contains("http") ? await HttpLoad.RunAsync(quick) : null;
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] HTTP run done");

GeneratorResult? generator = only.Contains("generator") ? GeneratorBenchmark.Run(quick) : null;
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] generator run done");

// Not among the default parts: it starts a PostgreSQL server (--only outbox); its figures go to outbox.json.
if (only.Contains("outbox"))
{
    await OutboxThroughput.RunAsync(quick, artifacts);
    Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] outbox run done");
}

var summary = new RunSummary(
    quick ? "quick" : "full",
    Report.Machine,
    System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    started,
    Math.Round(clock.Elapsed.TotalSeconds, 1),
    cases,
    paired,
    http,
    generator,
    Report.Goals(paired, http, generator));
Report.WriteSummary(summary, Path.Combine(artifacts, "summary.json"));
string goals = Report.GoalsMarkdown(summary);
File.WriteAllText(Path.Combine(artifacts, "goals.md"), goals);
Report.WriteCharts(summary, artifacts);

if (!quick && parts.All(only.Contains))
{
    Report.WriteSummary(summary, Path.Combine(published, "summary.json"));
    Report.WriteCharts(summary, published);
}

Console.WriteLine();
Console.WriteLine(goals);
Console.WriteLine($"Done in {clock.Elapsed:mm\\:ss}: {Path.Combine(artifacts, "summary.json")}");

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "VersionKit.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from the VersionKit repository: no VersionKit.sln above " + AppContext.BaseDirectory);
}
