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

/// <summary>One goal of issue 6, its measured figure, and whether the figure meets it.</summary>
public sealed record Goal(string Case, string Target, double Measured, string Figure, bool Met);

/// <summary>Everything one run of the command measured: what <c>artifacts/benchmarks/summary.json</c> holds.</summary>
public sealed record RunSummary(
    string Job,
    string Machine,
    string Runtime,
    DateTimeOffset Started,
    double DurationSeconds,
    IReadOnlyList<CaseResult> Cases,
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
    };

    public static string Machine
        => $"{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, "
            + $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB; {CpuModel()}";

    public static IReadOnlyList<Goal> Goals(IReadOnlyList<CaseResult> cases, HttpResult? http, GeneratorResult? generator)
    {
        var goals = new List<Goal>();
        CaseResult? Find(string name) => cases.FirstOrDefault(c => c.Name == name);
        string X(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

        if (Find("ChargeBenchmarks.Serialize") is { } baseline)
        {
            var latest = Find("ChargeBenchmarks.Latest")!;
            var declarative = Find("ChargeBenchmarks.Declarative100Back")!;
            var code = Find("ChargeBenchmarks.TypedFieldCode100Back")!;
            var naive = Find("ChargeBenchmarks.NaiveChain100Back")!;
            var quietLatest = Find("ChargeBenchmarks.QuietLatest")!;
            var quiet500 = Find("ChargeBenchmarks.Quiet500Back")!;
            goals.Add(new("render at the latest version through VersionKit", "≤ 1.05× baseline", latest.RatioToBaseline, X(latest.RatioToBaseline), latest.RatioToBaseline <= 1.05));
            goals.Add(new("100 versions back, all declarative", "≤ 1.15× baseline", declarative.RatioToBaseline, X(declarative.RatioToBaseline), declarative.RatioToBaseline <= 1.15));
            var objectCode = Find("ChargeBenchmarks.ObjectCode100Back")!;
            goals.Add(new("100 versions back, 10 of them code (each declaring its one field)", "≤ 2× baseline", code.RatioToBaseline,
                $"{X(code.RatioToBaseline)} (code on the whole resource: {X(objectCode.RatioToBaseline)})", code.RatioToBaseline <= 2));
            double untouched = quiet500.MedianNs / quietLatest.MedianNs;
            goals.Add(new("500 versions that do not touch the resource", "≤ 1.05× the same render with none", untouched, X(untouched) + $" ({X(quiet500.RatioToBaseline)} baseline)", untouched <= 1.05));
            double speedup = naive.MedianNs / declarative.MedianNs;
            goals.Add(new("naive chain (JsonNode DOM, every change in turn), 100 versions back", "VersionKit ≥ 5× faster", speedup, $"{X(speedup)} faster (naive {X(naive.RatioToBaseline)} baseline)", speedup >= 5));
            double bytes = (double)declarative.AllocatedBytes / baseline.AllocatedBytes;
            goals.Add(new("bytes allocated per render, 100 declarative versions back", "≤ 1.2× baseline", bytes, $"{X(bytes)} ({declarative.AllocatedBytes} B vs {baseline.AllocatedBytes} B)", bytes <= 1.2));
        }

        if (http is not null)
        {
            goals.Add(new($"HTTP: GET {http.Path}, 2011-08-01 vs the latest", "≥ 0.9× the requests per second", http.Ratio,
                $"{X(http.Ratio)} ({http.Old.RequestsPerSecond:0} vs {http.Latest.RequestsPerSecond:0} req/s)", http.Ratio >= 0.9));
        }

        if (generator is not null)
        {
            double seconds = generator.MedianRunMs / 1000;
            goals.Add(new($"generator: {generator.Resources} resources, {generator.Versions} versions, {generator.Changes} changes", "≤ 1 s per build",
                seconds, string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s (processor time {generator.MedianRunCpuMs / 1000:0.00} s; first run in the process {generator.FirstRunMs / 1000:0.00} s)"), seconds <= 1));
            goals.Add(new("generator: an edit elsewhere", "re-emits nothing", generator.EditReEmitsNothing ? 1 : 0,
                (generator.EditReEmitsNothing ? "nothing re-emitted: " : "re-emitted: ") + string.Join(", ", generator.EditStepReasons.Select(r => $"{r.Value} {r.Key}")), generator.EditReEmitsNothing));
        }

        return goals;
    }

    /// <summary>The cases of a summary.json written by an earlier run, to draw its charts again.</summary>
    public static IReadOnlyList<CaseResult> ReadCases(string path)
        => JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), JsonOptions)!.Cases;

    public static void WriteSummary(RunSummary summary, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(summary, JsonOptions) + "\n");
    }

    public static string GoalsMarkdown(RunSummary summary)
    {
        var text = new StringBuilder("| case | goal | measured | met |\n|---|---|---|---|\n");
        foreach (var goal in summary.Goals)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {goal.Case} | {goal.Target} | {goal.Figure} | {(goal.Met ? "yes" : "**no**")} |\n");
        }

        text.Append("\n| benchmark | median | mean | allocated | ratio to baseline |\n|---|---:|---:|---:|---:|\n");
        foreach (var result in summary.Cases)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {result.Name} | {Time(result.MedianNs)} | {Time(result.MeanNs)} | {result.AllocatedBytes:N0} B | {result.RatioToBaseline:0.00} |\n");
        }

        return text.ToString();
    }

    /// <summary>Two charts: time against versions back (resource D) and against payload size (the invoice's line items).</summary>
    public static void WriteCharts(IReadOnlyList<CaseResult> cases, string folder)
    {
        Directory.CreateDirectory(folder);
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

    private static void Export(PlotModel model, string path)
    {
        using var stream = File.Create(path);
        new SvgExporter { Width = 720, Height = 420 }.Export(model, stream);
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
