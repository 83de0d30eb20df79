using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace VersionKit.Benchmarks;

/// <summary>One goal of issue 10, what the run measured for it, and the verdict.</summary>
/// <param name="Case">What is measured.</param>
/// <param name="Target">The goal.</param>
/// <param name="Figure">The measured figure (for a paired ratio, its median).</param>
/// <param name="Spread">How far the figure moved: for a ratio, the 10th–90th percentile of its per-pair (or per-round, per-build) values.</param>
/// <param name="Verdict">"met" when the whole spread is on the goal's side, "missed" when it is all on the other, "not decided" otherwise; "—" for a figure only reported.</param>
public sealed record Goal(string Case, string Target, string Figure, string Spread, string Verdict);

/// <summary>Everything one run of the command measured: what <c>artifacts/benchmarks/summary.json</c> holds.</summary>
/// <param name="Cases">BenchmarkDotNet's cases: absolute times and allocations, each case's ratio to its class's baseline.</param>
/// <param name="Paired">The paired harness's comparisons, which decide the goals.</param>
public sealed record RunSummary(
    string Job,
    string Machine,
    string Runtime,
    DateTimeOffset Started,
    double DurationSeconds,
    IReadOnlyList<CaseResult> Cases,
    IReadOnlyList<PairedResult> Paired,
    HttpResult? Http,
    GeneratorResult? Generator,
    IReadOnlyList<Goal> Goals);

/// <summary>Writes the run's results: summary.json, the goals table as Markdown, and the two charts as SVG.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The goals' texts carry ≤, ≥ and ×: written as they are, not as \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Machine
        => $"{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, "
            + $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB; {CpuModel()}";

    /// <summary>The goals of issue 10, every verdict from a paired figure: the harness's pairs, the HTTP run's rounds, the generator's builds.</summary>
    public static IReadOnlyList<Goal> Goals(IReadOnlyList<PairedResult> paired, HttpResult? http, GeneratorResult? generator)
    {
        var goals = new List<Goal>();
        foreach (var result in paired.Where(p => p.Goal is not null))
        {
            goals.Add(new(result.Name, result.Goal!, X(result.MedianRatio), $"{X(result.SpreadLow)}–{X(result.SpreadHigh)}", result.Verdict));

            // Allocations are counted, not sampled: the goal is the baseline's bytes (the Utf8JsonWriter), to the byte.
            if (result.Case == "ChargeBenchmarks.Declarative100Back" && result.Baseline == "ChargeBenchmarks.Serialize")
            {
                goals.Add(new("bytes allocated per render, 100 back all declarative (A)", "= baseline",
                    string.Create(CultureInfo.InvariantCulture, $"{result.CaseAllocatedBytes:0.#} B vs {result.BaselineAllocatedBytes:0.#} B"),
                    "exact count", result.CaseAllocatedBytes < result.BaselineAllocatedBytes + 1 ? "met" : "missed"));
            }
        }

        if (http is not null)
        {
            goals.Add(new($"HTTP: GET {http.Path}, 2011-08-01 vs the latest", "≥ 0.95× the requests per second",
                string.Create(CultureInfo.InvariantCulture,
                    $"{X(http.RoundRatioMedian)} ({http.Old.RequestsPerSecond:0} vs {http.Latest.RequestsPerSecond:0} req/s over all rounds: {X(http.Ratio)}); the page rendered alone, no HTTP: 2011-08-01 takes {X(http.Render.MedianRatio)} the latest's time ({X(http.Render.SpreadLow)}–{X(http.Render.SpreadHigh)})"),
                $"{X(http.RoundRatioLow)}–{X(http.RoundRatioHigh)} over {http.Rounds} rounds",
                PairedRatios.Verdict(0.95, GoalDirection.AtLeast, http.RoundRatioLow, http.RoundRatioHigh)));
        }

        if (generator is not null)
        {
            double low = PairedRatios.Percentile(generator.RunsMs, 0.1) / 1000, high = PairedRatios.Percentile(generator.RunsMs, 0.9) / 1000;
            goals.Add(new($"generator: {generator.Resources} resources, {generator.Versions} versions, {generator.Changes:N0} changes", "≤ 0.5 s a build",
                string.Create(CultureInfo.InvariantCulture,
                    $"{generator.MedianRunMs / 1000:0.00} s (processor time {generator.MedianRunCpuMs / 1000:0.00} s; first build in the process {generator.FirstRunMs / 1000:0.00} s; finding and binding the attributes alone {generator.FloorMs / 1000:0.00} s)"),
                string.Create(CultureInfo.InvariantCulture, $"{low:0.00}–{high:0.00} s over {generator.RunsMs.Count} builds"),
                PairedRatios.Verdict(0.5, GoalDirection.AtMost, low, high)));
            goals.Add(new("generator: an edit elsewhere", "re-emits nothing",
                (generator.EditReEmitsNothing ? "nothing re-emitted: " : "re-emitted: ") + string.Join(", ", generator.EditStepReasons.Select(r => $"{r.Value} {r.Key}")),
                "—", generator.EditReEmitsNothing ? "met" : "missed"));
            goals.Add(new("generator: emitted size against changes", "report",
                string.Join("; ", generator.Sizes.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Changes:N0} changes: {e.GeneratedChars:N0} chars"))),
                Growth(generator.Sizes), "—"));
        }

        return goals;
    }

    // How the emitted size grows between the measured projects: characters per added change, step by step.
    private static string Growth(IReadOnlyList<EmittedSize> sizes)
    {
        var ordered = sizes.OrderBy(s => s.Changes).ToList();
        var steps = ordered.Zip(ordered.Skip(1), (a, b) => (double)(b.GeneratedChars - a.GeneratedChars) / (b.Changes - a.Changes));
        return "+" + string.Join(", +", steps.Select(c => c.ToString("N0", CultureInfo.InvariantCulture))) + " chars per added change";
    }

    private static string X(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>A summary.json written by an earlier run, to draw its charts again.</summary>
    public static RunSummary ReadSummary(string path)
        => JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), JsonOptions)!;

    // The runs of their own (--only scale) add their parts to the same file: a run of the goals keeps them.
    public static void WriteSummary(RunSummary summary, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var written = JsonSerializer.SerializeToNode(summary, JsonOptions)!.AsObject();
        if (File.Exists(path) && System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) is System.Text.Json.Nodes.JsonObject previous)
        {
            foreach (var (key, value) in previous.Where(p => !written.ContainsKey(p.Key)).ToList())
            {
                written[key] = value?.DeepClone();
            }
        }

        File.WriteAllText(path, written.ToJsonString(JsonOptions) + "\n");
    }

    public static string GoalsMarkdown(RunSummary summary)
    {
        var text = new StringBuilder("| goal | target | measured (median) | spread | verdict |\n|---|---|---|---|---|\n");
        foreach (var goal in summary.Goals)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {goal.Case} | {goal.Target} | {goal.Figure} | {goal.Spread} | {Bold(goal.Verdict)} |\n");
        }

        if (summary.Paired.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nPaired harness: ratio = case time per operation / baseline time per operation, one per pair of batches; spread = {PairedResult.SpreadName}.\n\n");
            text.Append("An old shape can write more or fewer bytes than the current one: \"per byte\" is the ratio of time per byte written (medians), for reading only.\n\n");
            text.Append("| comparison | case | baseline | pairs | ops per batch (case, baseline) | case median | baseline median | ratio median | spread | allocated (case, baseline) | JSON written (case, baseline) | per byte | goal | verdict |\n");
            text.Append("|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|\n");
            foreach (var p in summary.Paired)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {p.Name} | {p.Case} | {p.Baseline} | {p.Pairs} | {p.CaseOpsPerBatch:N0}, {p.BaselineOpsPerBatch:N0} | {Time(p.CaseMedianNs)} | {Time(p.BaselineMedianNs)} | {p.MedianRatio:0.000} | {p.SpreadLow:0.000}–{p.SpreadHigh:0.000} | {p.CaseAllocatedBytes:N0} B, {p.BaselineAllocatedBytes:N0} B | {p.CaseOutputBytes:N0} B, {p.BaselineOutputBytes:N0} B | {p.CaseMedianNs / p.CaseOutputBytes / (p.BaselineMedianNs / p.BaselineOutputBytes):0.00} | {p.Goal ?? "—"} | {Bold(p.Verdict)} |\n");
            }
        }

        if (summary.Cases.Count > 0)
        {
            text.Append("\nBenchmarkDotNet (absolute figures; each ratio is to its class's baseline in the same run, measured minutes apart):\n\n");
            text.Append("| benchmark | median | mean | allocated | ratio to baseline |\n|---|---:|---:|---:|---:|\n");
            foreach (var result in summary.Cases)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {result.Name} | {Time(result.MedianNs)} | {Time(result.MeanNs)} | {result.AllocatedBytes:N0} B | {result.RatioToBaseline:0.00} |\n");
            }
        }

        return text.ToString();
    }

    private static string Bold(string verdict) => verdict is "missed" or "not decided" ? $"**{verdict}**" : verdict;

    /// <summary>
    /// The charts of what the run measured: the paired ratios against their goals; time against versions back (resource D)
    /// and against payload size (the invoice's line items), from BenchmarkDotNet.
    /// </summary>
    public static void WriteCharts(RunSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        if (summary.Paired.Count > 0)
        {
            Export(PairedChart(summary.Paired), Path.Combine(folder, "paired-ratios.svg"), width: 960, height: 130 + (30 * summary.Paired.Count));
        }

        if (summary.Cases.Count > 0)
        {
            WriteCaseCharts(summary.Cases, folder);
        }
    }

    // One row per comparison: the median ratio, a bar from the 10th to the 90th percentile, the goal as a diamond.
    private static PlotModel PairedChart(IReadOnlyList<PairedResult> paired)
    {
        // The names are long and the exporter measures text narrower than browsers draw it: the margin is set, not measured.
        var model = new PlotModel
        {
            Title = "Paired ratio to the baseline: median, 10th–90th percentile, goal",
            TitleFontSize = 14,
            Background = OxyColors.White,
            DefaultFont = "Arial",
            PlotMargins = new OxyThickness(340, double.NaN, 20, double.NaN),
        };
        var rows = paired.Reverse().ToList();
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Bottom,
            Title = "case time / baseline time (log scale)",
            MajorGridlineStyle = LineStyle.Dot,
            Minimum = Math.Min(0.5, rows.Min(r => r.SpreadLow) * 0.9),
            Maximum = Math.Max(2, rows.Max(r => Math.Max(r.SpreadHigh, r.GoalValue ?? 0)) * 1.1),
        });
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Left,
            Minimum = -0.7,
            Maximum = rows.Count - 0.3,
            MajorStep = 1,
            MinorStep = 1,
            LabelFormatter = v => Math.Abs(v - Math.Round(v)) < 0.01 && v >= 0 && v < rows.Count ? rows[(int)Math.Round(v)].Name : "",
        });
        var median = new ScatterSeries { Title = "median", MarkerType = MarkerType.Circle, MarkerFill = OxyColors.SteelBlue, MarkerSize = 4 };
        var goal = new ScatterSeries { Title = "goal", MarkerType = MarkerType.Diamond, MarkerFill = OxyColors.IndianRed, MarkerSize = 5 };
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var spread = new LineSeries { Color = OxyColors.SteelBlue, StrokeThickness = 3 };
            spread.Points.Add(new DataPoint(row.SpreadLow, i));
            spread.Points.Add(new DataPoint(row.SpreadHigh, i));
            model.Series.Add(spread);
            median.Points.Add(new ScatterPoint(row.MedianRatio, i));
            if (row.GoalValue is { } value)
            {
                goal.Points.Add(new ScatterPoint(value, i));
            }
        }

        model.Series.Add(median);
        model.Series.Add(goal);
        model.Legends.Add(new Legend { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.BottomCenter, LegendOrientation = LegendOrientation.Horizontal, LegendPadding = 12 });
        return model;
    }

    private static void WriteCaseCharts(IReadOnlyList<CaseResult> cases, string folder)
    {
        int[] back = [0, 1, 10, 100, 500];
        var versions = NewModel("Rendering one charge (43 fields) n versions back", "versions back", "median time per render (µs)");
        var x = (LinearAxis)versions.Axes[0];
        x.Minimum = -0.2;
        x.Maximum = back.Length - 0.8;
        x.MajorStep = 1;
        x.MinorStep = 1;
        x.LabelFormatter = v => Math.Abs(v - Math.Round(v)) < 0.01 && v >= 0 && v < back.Length ? back[(int)Math.Round(v)].ToString(CultureInfo.InvariantCulture) : "";
        AddSeries(versions, "baseline: System.Text.Json", OxyColors.Gray, back.Select((n, i) => ((double)i, Median(cases, $"VersionsBackBenchmarks.Serialize(VersionsBack={n})"))));
        AddSeries(versions, "VersionKit", OxyColors.SteelBlue, back.Select((n, i) => ((double)i, Median(cases, $"VersionsBackBenchmarks.VersionKit(VersionsBack={n})"))));
        AddSeries(versions, "naive chain (DOM)", OxyColors.IndianRed, back.Select((n, i) => ((double)i, Median(cases, $"VersionsBackBenchmarks.NaiveChain(VersionsBack={n})"))));
        Export(versions, Path.Combine(folder, "versions-back.svg"));

        int[] lines = [1, 10, 100, 1000];
        var size = NewModel("Rendering an invoice with n line items, 100 versions back", "line items", "median time per render (µs)");
        size.Axes[0] = new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "line items", MajorGridlineStyle = LineStyle.Dot, Minimum = 0.7, Maximum = 1500 };
        AddSeries(size, "baseline: System.Text.Json", OxyColors.Gray, lines.Select(n => ((double)n, Median(cases, $"PayloadSizeBenchmarks.Serialize(Lines={n})"))));
        AddSeries(size, "VersionKit", OxyColors.SteelBlue, lines.Select(n => ((double)n, Median(cases, $"PayloadSizeBenchmarks.Declarative100Back(Lines={n})"))));
        Export(size, Path.Combine(folder, "payload-size.svg"));
    }

    private static PlotModel NewModel(string title, string xTitle, string yTitle)
    {
        // Arial: the exporter measures text with Helvetica's metrics, which browsers' Arial (or its stand-in) matches.
        var model = new PlotModel { Title = title, TitleFontSize = 14, Background = OxyColors.White, DefaultFont = "Arial" };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = yTitle, MajorGridlineStyle = LineStyle.Dot, MinorGridlineStyle = LineStyle.None });
        // The exporter measures text narrower than browsers draw it, and clips the legend to what it measured: room to spare.
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopLeft, LegendBackground = OxyColor.FromAColor(220, OxyColors.White), LegendPadding = 36 });
        return model;
    }

    private static void AddSeries(PlotModel model, string title, OxyColor color, IEnumerable<(double X, double Ns)> points)
    {
        var series = new LineSeries { Title = title, Color = color, MarkerType = MarkerType.Circle, MarkerFill = color, StrokeThickness = 2 };
        series.Points.AddRange(points.Select(p => new DataPoint(p.X, p.Ns / 1000)));
        model.Series.Add(series);
    }

    private static void Export(PlotModel model, string path, int width = 720, int height = 420)
    {
        using var stream = File.Create(path);
        new SvgExporter { Width = width, Height = height }.Export(model, stream);
    }

    private static double Median(IReadOnlyList<CaseResult> cases, string name)
        => cases.FirstOrDefault(c => c.Name == name)?.MedianNs ?? throw new InvalidOperationException($"No result for {name}.");

    private static string Time(double ns)
        => ns >= 1_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000:0.00} ms")
            : ns >= 1_000 ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000:0.00} µs")
            : string.Create(CultureInfo.InvariantCulture, $"{ns:0} ns");

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown processor";
        }
        catch (IOException)
        {
            return "unknown processor";
        }
    }
}
