using System.Diagnostics;
using System.Globalization;

namespace VersionKit.Benchmarks;

/// <summary>Which side of its goal a ratio must lie on; <see cref="None"/> for a case reported beside a goal, not held to one.</summary>
public enum GoalDirection
{
    None,
    AtMost,
    AtLeast,
}

/// <summary>
/// One comparison of the paired harness: a case timed against its own baseline, batch by batch. The ratio is the case's
/// time per operation over the baseline's (for the naive chain, the naive chain is the case and VersionKit the baseline,
/// so the ratio says how many times faster VersionKit is).
/// </summary>
/// <param name="Name">The goal's name, as the tables show it.</param>
/// <param name="Case">The case, as BenchmarkDotNet names it.</param>
/// <param name="Baseline">Its baseline, as BenchmarkDotNet names it.</param>
/// <param name="RunBaseline">One operation of the baseline: the same method BenchmarkDotNet measures.</param>
/// <param name="RunCase">One operation of the case.</param>
/// <param name="Goal">The ratio the goal allows (or demands), or <see langword="null"/>.</param>
/// <param name="Direction">Which side of <paramref name="Goal"/> the ratio must lie on.</param>
/// <param name="Written">The bytes of JSON the last operation wrote (both sides write into one buffer).</param>
public sealed record PairedCase(string Name, string Case, string Baseline, Action RunBaseline, Action RunCase, double? Goal, GoalDirection Direction, Func<int> Written);

/// <summary>What the paired harness measured for one comparison.</summary>
/// <param name="Name">The goal's name.</param>
/// <param name="Case">The case.</param>
/// <param name="Baseline">Its baseline.</param>
/// <param name="Goal">The goal as text ("≤ 1.05×"), or <see langword="null"/> for a case reported beside a goal.</param>
/// <param name="GoalValue">The goal's ratio.</param>
/// <param name="MedianRatio">The median of the per-pair ratios (case time per operation over baseline time per operation).</param>
/// <param name="SpreadLow">The 10th percentile of the per-pair ratios.</param>
/// <param name="SpreadHigh">The 90th percentile of the per-pair ratios.</param>
/// <param name="Pairs">How many pairs of batches were timed.</param>
/// <param name="BaselineOpsPerBatch">Operations in one baseline batch.</param>
/// <param name="CaseOpsPerBatch">Operations in one case batch.</param>
/// <param name="BaselineMedianNs">The median over batches of the baseline's time per operation.</param>
/// <param name="CaseMedianNs">The median over batches of the case's time per operation.</param>
/// <param name="BaselineAllocatedBytes">Bytes the baseline allocated per operation on this thread (median over batches).</param>
/// <param name="CaseAllocatedBytes">Bytes the case allocated per operation on this thread (median over batches).</param>
/// <param name="BaselineOutputBytes">Bytes of JSON one baseline operation writes.</param>
/// <param name="CaseOutputBytes">Bytes of JSON one case operation writes: an old shape can be larger or smaller than the current one.</param>
/// <param name="Verdict">"met" when the whole spread is on the goal's side, "missed" when it is all on the other, else "not decided"; "—" without a goal.</param>
public sealed record PairedResult(
    string Name,
    string Case,
    string Baseline,
    string? Goal,
    double? GoalValue,
    double MedianRatio,
    double SpreadLow,
    double SpreadHigh,
    int Pairs,
    int BaselineOpsPerBatch,
    int CaseOpsPerBatch,
    double BaselineMedianNs,
    double CaseMedianNs,
    double BaselineAllocatedBytes,
    double CaseAllocatedBytes,
    int BaselineOutputBytes,
    int CaseOutputBytes,
    string Verdict)
{
    /// <summary>Which percentiles <see cref="SpreadLow"/> and <see cref="SpreadHigh"/> are.</summary>
    public const string SpreadName = "10th–90th percentile of the per-pair ratios";
}

/// <summary>
/// Ratios measured so that the load of other work on a shared machine falls on a case and its baseline alike. Two
/// BenchmarkDotNet runs an hour apart once put the same case at 1.03× and 0.69× its baseline, because the baseline was
/// measured minutes before the case and the neighbours' load moved in between (its median went from 2.3 µs to 5.1 µs).
/// Here each goal's case is timed together with its baseline, in batches of a few milliseconds that alternate
/// baseline, case, case, baseline, ... (ABBA: a drift within a pair favours each side equally often), each pair giving
/// one ratio. The median of those ratios is the figure; the 10th–90th percentiles say how much one pair can be trusted;
/// a goal is decided only when that whole spread is on one side of it.
/// </summary>
public static class PairedRatios
{
    /// <summary>How long the harness runs each comparison.</summary>
    /// <param name="WarmUp">Both sides, alternating, before anything is timed: every method at its final JIT tier.</param>
    /// <param name="Batch">The time one batch aims at: long enough for the Stopwatch, short enough that load changes little within a pair.</param>
    /// <param name="MaxPairs">At most this many pairs...</param>
    /// <param name="Budget">...and no more than this long per comparison.</param>
    public sealed record Settings(TimeSpan WarmUp, TimeSpan Batch, int MaxPairs, TimeSpan Budget);

    public static Settings SettingsFor(bool quick)
        => quick
            ? new Settings(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(5), 40, TimeSpan.FromSeconds(2))
            : new Settings(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5), 800, TimeSpan.FromSeconds(10));

    /// <summary>Every comparison of issue 10's goals, and the cases reported beside them.</summary>
    public static IReadOnlyList<PairedCase> Cases()
    {
        var charge = new ChargeBenchmarks();
        charge.Setup();
        var cases = new List<PairedCase>
        {
            new("latest version", "ChargeBenchmarks.Latest", "ChargeBenchmarks.Serialize", charge.Serialize, charge.Latest, 1.03, GoalDirection.AtMost, charge.Written),
            new("100 versions back, all declarative (A)", "ChargeBenchmarks.Declarative100Back", "ChargeBenchmarks.Serialize", charge.Serialize, charge.Declarative100Back, 1.05, GoalDirection.AtMost, charge.Written),
            new("100 back, 10 typed field-scoped code steps (B)", "ChargeBenchmarks.TypedFieldCode100Back", "ChargeBenchmarks.Serialize", charge.Serialize, charge.TypedFieldCode100Back, 1.5, GoalDirection.AtMost, charge.Written),
            new("100 back, the same code in JSON form on its field (B-json)", "ChargeBenchmarks.JsonFieldCode100Back", "ChargeBenchmarks.Serialize", charge.Serialize, charge.JsonFieldCode100Back, null, GoalDirection.None, charge.Written),
            new("100 back, the same code on the whole resource (B')", "ChargeBenchmarks.ObjectCode100Back", "ChargeBenchmarks.Serialize", charge.Serialize, charge.ObjectCode100Back, null, GoalDirection.None, charge.Written),
            new("100 back, 10 typed computed values (E)", "ChargeBenchmarks.TypedComputed100Back", "ChargeBenchmarks.Serialize", charge.Serialize, charge.TypedComputed100Back, 1.1, GoalDirection.AtMost, charge.Written),
            new("500 versions that do not touch the resource (C)", "ChargeBenchmarks.Quiet500Back", "ChargeBenchmarks.Serialize", charge.Serialize, charge.Quiet500Back, null, GoalDirection.None, charge.Written),
        };

        foreach (string name in StripePayload.Objects)
        {
            var stripe = new StripeBenchmarks { Object = name };
            stripe.Setup();
            cases.Add(new($"Stripe {name} at its oldest version (2014-05-19)", $"StripeBenchmarks.Oldest(Object={name})", $"StripeBenchmarks.Serialize(Object={name})",
                stripe.Serialize, stripe.Oldest, 1.3, GoalDirection.AtMost, stripe.Written));
        }

        // The naive chain is the case and VersionKit the baseline: the ratio is how many times faster VersionKit is.
        cases.Add(new("naive JsonNode chain vs VersionKit, 100 back (A)", "ChargeBenchmarks.NaiveChain100Back", "ChargeBenchmarks.Declarative100Back",
            charge.Declarative100Back, charge.NaiveChain100Back, 10, GoalDirection.AtLeast, charge.Written));
        return cases;
    }

    public static IReadOnlyList<PairedResult> Run(bool quick, string? nameContains = null)
    {
        var settings = SettingsFor(quick);
        var results = new List<PairedResult>();
        foreach (var pairedCase in Cases().Where(c => nameContains is null || c.Name.Contains(nameContains, StringComparison.OrdinalIgnoreCase)))
        {
            var result = Measure(pairedCase, settings);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.Name}: {result.MedianRatio:0.000}× ({result.SpreadLow:0.000}–{result.SpreadHigh:0.000}, {result.Pairs} pairs), {result.Verdict}"));
            results.Add(result);
        }

        return results;
    }

    /// <summary>Times one case against its baseline, pair after pair.</summary>
    public static PairedResult Measure(PairedCase pairedCase, Settings settings)
    {
        var baseline = pairedCase.RunBaseline;
        var run = pairedCase.RunCase;
        baseline();
        int baselineOutput = pairedCase.Written();
        run();
        int caseOutput = pairedCase.Written();

        // Warm-up: both sides in turn, so that both reach their final JIT tier before a batch is timed.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < settings.WarmUp)
        {
            RunFor(baseline, TimeSpan.FromMilliseconds(25));
            RunFor(run, TimeSpan.FromMilliseconds(25));
        }

        int baselineOps = OpsPerBatch(baseline, settings.Batch);
        int caseOps = OpsPerBatch(run, settings.Batch);

        var ratios = new List<double>();
        var baselineNs = new List<double>();
        var caseNs = new List<double>();
        var baselineBytes = new List<double>();
        var caseBytes = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int pair = 0; pair < settings.MaxPairs && clock.Elapsed < settings.Budget; pair++)
        {
            // ABBA: even pairs time the baseline first, odd pairs the case first.
            Sample a, b;
            if (pair % 2 == 0)
            {
                a = Batch(baseline, baselineOps);
                b = Batch(run, caseOps);
            }
            else
            {
                b = Batch(run, caseOps);
                a = Batch(baseline, baselineOps);
            }

            ratios.Add(b.NsPerOp / a.NsPerOp);
            baselineNs.Add(a.NsPerOp);
            caseNs.Add(b.NsPerOp);
            baselineBytes.Add(a.BytesPerOp);
            caseBytes.Add(b.BytesPerOp);
        }

        double median = Percentile(ratios, 0.5), low = Percentile(ratios, 0.1), high = Percentile(ratios, 0.9);
        return new PairedResult(
            pairedCase.Name,
            pairedCase.Case,
            pairedCase.Baseline,
            GoalText(pairedCase.Goal, pairedCase.Direction),
            pairedCase.Goal,
            median,
            low,
            high,
            ratios.Count,
            baselineOps,
            caseOps,
            Percentile(baselineNs, 0.5),
            Percentile(caseNs, 0.5),
            Percentile(baselineBytes, 0.5),
            Percentile(caseBytes, 0.5),
            baselineOutput,
            caseOutput,
            Verdict(pairedCase.Goal, pairedCase.Direction, low, high));
    }

    /// <summary>
    /// "met" when the whole spread lies on the goal's side, "missed" when it lies wholly on the other, "not decided" when
    /// the goal falls inside it; "—" for a case with no goal.
    /// </summary>
    public static string Verdict(double? goal, GoalDirection direction, double low, double high) => (goal, direction) switch
    {
        (null, _) or (_, GoalDirection.None) => "—",
        ({ } g, GoalDirection.AtMost) => high <= g ? "met" : low > g ? "missed" : "not decided",
        ({ } g, _) => low >= g ? "met" : high < g ? "missed" : "not decided",
    };

    public static string? GoalText(double? goal, GoalDirection direction) => (goal, direction) switch
    {
        (null, _) or (_, GoalDirection.None) => null,
        ({ } g, GoalDirection.AtMost) => string.Create(CultureInfo.InvariantCulture, $"≤ {g:0.00}×"),
        ({ } g, _) => string.Create(CultureInfo.InvariantCulture, $"≥ {g:0.##}×"),
    };

    /// <summary>The p-th quantile of <paramref name="values"/>, linearly interpolated between order statistics.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        double position = p * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private readonly record struct Sample(double NsPerOp, double BytesPerOp);

    private static Sample Batch(Action action, int ops)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < ops; i++)
        {
            action();
        }

        long end = Stopwatch.GetTimestamp();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return new Sample((end - start) * (1e9 / Stopwatch.Frequency) / ops, (double)allocated / ops);
    }

    // How many operations fill one batch: three estimates, each from about one batch's worth, the fastest kept (the
    // others met more load).
    private static int OpsPerBatch(Action action, TimeSpan batch)
    {
        double best = double.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            best = Math.Min(best, Batch(action, RunFor(action, batch)).NsPerOp);
        }

        return (int)Math.Clamp(batch.TotalNanoseconds / best, 1, int.MaxValue);
    }

    // Runs the action for about the given time; how many times it ran.
    private static int RunFor(Action action, TimeSpan time)
    {
        long end = Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency);
        int count = 0;
        do
        {
            action();
            count++;
        }
        while (Stopwatch.GetTimestamp() < end);
        return count;
    }
}
