using System.Diagnostics;
using VersionKit.Benchmarks;

// dotnet run -c Release --project tests/VersionKit.Benchmarks [-- --quick] [--only micro,http,generator]
// Writes BenchmarkDotNet's reports and summary.json to artifacts/benchmarks, and the charts to docs/performance.
bool quick = args.Contains("--quick");
string[] only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? ["micro", "http", "generator"];
string root = RepositoryRoot();
string artifacts = Path.Combine(root, "artifacts", "benchmarks");
var started = DateTimeOffset.Now;
var clock = Stopwatch.StartNew();

Console.WriteLine($"VersionKit benchmarks ({(quick ? "quick" : "full")} job) on {Report.Machine}");
Verification.Run();
Console.WriteLine("Every payload renders alike through the compiled path, the reference chain and the naive chain.");

IReadOnlyList<CaseResult> cases = only.Contains("micro") ? MicroBenchmarks.Run(quick, artifacts) : [];
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] micro-benchmarks done");

HttpResult? http = only.Contains("http") ? await HttpLoad.RunAsync(quick) : null;
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] HTTP run done");

GeneratorResult? generator = only.Contains("generator") ? GeneratorBenchmark.Run(quick) : null;
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] generator run done");

var summary = new RunSummary(
    quick ? "quick" : "full",
    Report.Machine,
    System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    started,
    Math.Round(clock.Elapsed.TotalSeconds, 1),
    cases,
    http,
    generator,
    Report.Goals(cases, http, generator));
Report.WriteSummary(summary, Path.Combine(artifacts, "summary.json"));
string goals = Report.GoalsMarkdown(summary);
File.WriteAllText(Path.Combine(artifacts, "goals.md"), goals);
if (cases.Count > 0)
{
    Report.WriteCharts(cases, Path.Combine(root, "docs", "performance"));
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
