using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace VersionKit.Benchmarks;

/// <summary>One measured benchmark: medians and means in nanoseconds, bytes allocated per operation, and the ratio of its median to its class's baseline in the same run.</summary>
public sealed record CaseResult(string Name, double MeanNs, double MedianNs, long AllocatedBytes, double RatioToBaseline);

/// <summary>Runs the BenchmarkDotNet classes with one job and turns their reports into <see cref="CaseResult"/>s.</summary>
public static class MicroBenchmarks
{
    public static readonly Type[] Classes = [typeof(ChargeBenchmarks), typeof(VersionsBackBenchmarks), typeof(PayloadSizeBenchmarks), typeof(EventListBenchmarks), typeof(StripeBenchmarks), typeof(PinCacheBenchmarks), typeof(WebhookFanOutBenchmarks)];

    /// <summary>
    /// Both jobs run in this process (no per-run build of a separate project, which the shared work tree would make
    /// fragile), one launch. Quick: a few short iterations, to check in minutes. Full: enough iterations for stable
    /// medians of the absolute figures, bounded so that the whole command (49 cases, then the paired harness, HTTP and
    /// the generator) stays well under 20 minutes on 2 cores; the goals' verdicts come from the paired harness.
    /// </summary>
    public static Job JobFor(bool quick)
        => (quick
                ? Job.ShortRun.WithId("Quick").WithWarmupCount(3).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(100))
                : Job.Default.WithId("Full").WithWarmupCount(6).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(200)))
            .WithLaunchCount(1)
            .WithToolchain(InProcessEmitToolchain.Instance);

    public static IReadOnlyList<CaseResult> Run(bool quick, string artifacts)
    {
        var config = DefaultConfig.Instance
            .AddJob(JobFor(quick))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .AddExporter(JsonExporter.Brief)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        WarmUp();
        var summaries = BenchmarkRunner.Run(Classes, config);
        return [.. summaries.SelectMany(Results)];
    }

    /// <summary>
    /// The benchmarks run in this process, one after another: without this, the first ones would meet code the JIT has
    /// not yet recompiled at its final tier, and a baseline would be measured against a better-compiled case. Every
    /// benchmark runs for a moment first, with every parameter value.
    /// </summary>
    private static void WarmUp()
    {
        foreach (var type in Classes)
        {
            var parameter = type.GetProperties().SingleOrDefault(p => p.GetCustomAttributes(typeof(ParamsAttribute), false).Length > 0);
            object?[] values = parameter is null ? [null] : ((ParamsAttribute)parameter.GetCustomAttributes(typeof(ParamsAttribute), false)[0]).Values;
            foreach (object? value in values)
            {
                object instance = Activator.CreateInstance(type)!;
                parameter?.SetValue(instance, value);
                type.GetMethods().Single(m => m.GetCustomAttributes(typeof(GlobalSetupAttribute), false).Length > 0).Invoke(instance, null);
                foreach (var method in type.GetMethods().Where(m => m.GetCustomAttributes(typeof(BenchmarkAttribute), false).Length > 0))
                {
                    var run = method.CreateDelegate<Action>(instance);
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    for (int i = 0; i < 20_000 && clock.ElapsedMilliseconds < 150; i++)
                    {
                        run();
                    }
                }
            }
        }
    }

    private static IEnumerable<CaseResult> Results(Summary summary)
    {
        foreach (var report in summary.Reports)
        {
            var benchmark = report.BenchmarkCase;
            if (report.ResultStatistics is not { } statistics)
            {
                throw new InvalidOperationException($"{benchmark.DisplayInfo} gave no result; see the log above.");
            }

            var baseline = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.Baseline
                && r.BenchmarkCase.Descriptor.Type == benchmark.Descriptor.Type
                && r.BenchmarkCase.Parameters.DisplayInfo == benchmark.Parameters.DisplayInfo);
            string parameters = benchmark.HasParameters ? "(" + benchmark.Parameters.DisplayInfo.Trim('[', ']') + ")" : "";
            yield return new CaseResult(
                $"{benchmark.Descriptor.Type.Name}.{benchmark.Descriptor.WorkloadMethod.Name}{parameters}",
                statistics.Mean,
                statistics.Median,
                report.GcStats.GetBytesAllocatedPerOperation(benchmark) ?? 0,
                statistics.Median / baseline.ResultStatistics!.Median);
        }
    }
}
