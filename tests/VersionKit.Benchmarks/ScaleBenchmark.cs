using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Npgsql;
using Payments.Api;
using VersionKit.Pins;
using VersionKit.PostgreSql;
using VersionKit.Reliability.Tests;
using VersionKit.Sqlite;

namespace VersionKit.Benchmarks;

/// <summary>
/// Millions of accounts through one instance's pins (issue 15): the bounded cache against the unbounded dictionary it
/// replaced, on a Zipf workload (s = 1.1) over a million accounts; what a resolution costs on a hit and on a miss with a
/// million pins in PostgreSQL and in SQLite; and two instances pinning new accounts on one PostgreSQL. Its own command
/// (<c>--only scale</c>): it writes <c>"scale"</c> into summary.json beside what the other runs wrote.
/// </summary>
public static class ScaleBenchmark
{
    private const double ZipfExponent = 1.1;

    private static readonly ApiHistory History = PaymentsApiHistory.Default;
    private static readonly DateTimeOffset Pinned = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<JsonObject> RunAsync(bool quick)
    {
        int accounts = quick ? 200_000 : 1_000_000;
        int capacity = accounts / 10;
        int requests = quick ? 600_000 : 3_000_000;
        var zipf = new Zipf(accounts, ZipfExponent, seed: 42);
        int[] trace = [.. Enumerable.Range(0, requests).Select(_ => zipf.Next())];

        var result = new JsonObject
        {
            ["accounts"] = accounts,
            ["capacity"] = capacity,
            ["requests"] = requests,
            ["zipf_exponent"] = ZipfExponent,
        };

        Console.WriteLine($"scale: {accounts:N0} accounts, capacity {capacity:N0}, {requests:N0} requests (Zipf s = {ZipfExponent})");
        var bounded = await MemoryRunAsync(new BoundedCache(capacity), accounts, trace);
        var dictionary = await MemoryRunAsync(new DictionaryCache(), accounts, trace);
        result["resident_entries"] = bounded.Resident;
        result["bytes_per_entry"] = bounded.BytesPerEntry;
        result["hit_rate"] = bounded.HitRate;
        result["working_set_mb_before"] = bounded.WorkingSetBefore;
        result["working_set_mb_after"] = bounded.WorkingSetAfter;
        result["bounded"] = bounded.ToJson();
        result["dictionary"] = dictionary.ToJson();

        await using var cluster = await PostgresCluster.StartNewAsync();
        string pinDatabase = await cluster.CreateDatabaseAsync();
        result["postgresql"] = await StoreRunAsync("PostgreSQL", new PostgreSqlPinStore(pinDatabase), accounts, capacity, zipf,
            sql => ExplainPostgreSqlAsync(pinDatabase, sql), () => PostgresCluster.QueryAsync(pinDatabase, "ANALYZE; CHECKPOINT"));
        result["two_instances_postgresql"] = await TwoInstancesAsync(cluster, accounts, quick);

        string directory = Directory.CreateTempSubdirectory("versionkit-scale-").FullName;
        try
        {
            string file = "Data Source=" + Path.Combine(directory, "pins.db");
            result["sqlite"] = await StoreRunAsync("SQLite", new SqlitePinStore(file), accounts, capacity, zipf,
                sql => ExplainSqliteAsync(file, sql), () => AnalyzeSqliteAsync(file));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        return result;
    }

    /// <summary>Puts <paramref name="scale"/> in the summary.json at <paramref name="path"/> as <c>"scale"</c>, keeping what else it holds.</summary>
    public static void WriteInto(string path, JsonObject scale)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var summary = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : [];
        summary["scale"] = scale.DeepClone();
        File.WriteAllText(path, summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine("scale results in " + path);
    }

    /// <summary>The chart of memory against distinct accounts: the unbounded dictionary grows, the bounded cache flattens.</summary>
    public static void WriteChart(JsonObject scale, string folder)
    {
        var model = new PlotModel { Title = "Pin cache memory against distinct accounts seen", TitleFontSize = 14, Background = OxyColors.White, DefaultFont = "Arial" };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "distinct accounts seen (thousands)", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "managed heap held by the cache (MB)", MajorGridlineStyle = LineStyle.Dot, Minimum = 0 });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopLeft, LegendBackground = OxyColor.FromAColor(220, OxyColors.White), LegendPadding = 36 });
        foreach (var (key, color) in new[] { ("dictionary", OxyColors.IndianRed), ("bounded", OxyColors.SteelBlue) })
        {
            var run = scale[key]!;
            var series = new LineSeries { Title = (string)run["cache"]!, Color = color, MarkerType = MarkerType.Circle, MarkerFill = color, StrokeThickness = 2 };
            series.Points.AddRange(run["memory_by_distinct_accounts"]!.AsArray().Select(p => new DataPoint((int)p!["accounts"]! / 1000.0, (double)p["megabytes"]!)));
            model.Series.Add(series);
        }

        Directory.CreateDirectory(folder);
        using var stream = File.Create(Path.Combine(folder, "pin-cache-memory.svg"));
        new SvgExporter { Width = 720, Height = 420 }.Export(model, stream);
    }

    private static string Account(int i) => "acct_" + i.ToString("x12", CultureInfo.InvariantCulture);

    private static PinChange FirstPin(int i) => new(Account(i), null, History.Versions[i % History.Versions.Count], Pinned, "operator:scale", PinChangeReason.Assigned);

    // ---- The cache alone: a store that holds nothing, so that memory is the cache's. ----

    private interface IPinCache
    {
        string Name { get; }

        int Resident { get; }

        int StoreReads { get; }

        Task<ApiVersion> ResolveAsync(string account);
    }

    /// <summary>Answers every account from its id, remembering nothing, and counts the reads.</summary>
    private sealed class SyntheticStore : IApiVersionPinStore
    {
        public int Reads;

        public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Reads);
            int i = int.Parse(accountId.AsSpan(5), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return Task.FromResult<ApiVersionPin?>(new ApiVersionPin(accountId, History.Versions[i % History.Versions.Count], null, Pinned, PinChangeReason.Assigned));
        }

        public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class BoundedCache : IPinCache
    {
        private readonly SyntheticStore _store = new();
        private readonly ApiVersionPins _pins;

        public BoundedCache(int capacity)
            => _pins = new ApiVersionPins(History, _store, TimeProvider.System, new PinOptions { CacheCapacity = capacity, CacheDuration = TimeSpan.FromHours(1) });

        public string Name => "bounded (ConcurrentLru)";

        public int Resident => _pins.CachedCount;

        public int StoreReads => _store.Reads;

        public async Task<ApiVersion> ResolveAsync(string account) => (await _pins.GetOrPinAsync(account)).Version;
    }

    /// <summary>The cache ApiVersionPins had before it was bounded: every pin read kept until the process ends.</summary>
    private sealed class DictionaryCache : IPinCache
    {
        private readonly SyntheticStore _store = new();
        private readonly ConcurrentDictionary<string, (ApiVersionPin Pin, DateTimeOffset FreshUntil)> _cache = new(StringComparer.Ordinal);

        public string Name => "unbounded (ConcurrentDictionary, before)";

        public int Resident => _cache.Count;

        public int StoreReads => _store.Reads;

        public async Task<ApiVersion> ResolveAsync(string account)
        {
            var now = DateTimeOffset.UtcNow;
            if (_cache.TryGetValue(account, out var cached) && now < cached.FreshUntil)
            {
                return cached.Pin.Version;
            }

            var pin = (await _store.FindAsync(account))!;
            _cache[account] = (pin, now + TimeSpan.FromHours(1));
            return pin.Version;
        }
    }

    private sealed record MemoryRun(string Cache, int Resident, double BytesPerEntry, double HitRate, double WorkingSetBefore, double WorkingSetAfter, IReadOnlyList<(int Accounts, double Megabytes)> Growth)
    {
        public JsonObject ToJson() => new()
        {
            ["cache"] = Cache,
            ["resident_entries"] = Resident,
            ["bytes_per_entry"] = BytesPerEntry,
            ["hit_rate"] = HitRate,
            ["working_set_mb_before"] = WorkingSetBefore,
            ["working_set_mb_after"] = WorkingSetAfter,
            ["memory_by_distinct_accounts"] = new JsonArray([.. Growth.Select(g => (JsonNode)new JsonObject { ["accounts"] = g.Accounts, ["megabytes"] = g.Megabytes })]),
        };
    }

    // Each request brings its own account id string, as a request's claims would: what a cache keeps, it keeps a copy of.
    private static async Task<MemoryRun> MemoryRunAsync(IPinCache cache, int accounts, int[] trace)
    {
        long before = Heap();
        double workingSetBefore = WorkingSetMegabytes();

        // Memory against distinct accounts seen: every account once, in order.
        var growth = new List<(int, double)>();
        int step = accounts / 20;
        for (int i = 0; i < accounts; i++)
        {
            await cache.ResolveAsync(Account(i));
            if ((i + 1) % step == 0)
            {
                growth.Add((i + 1, Math.Round((Heap() - before) / 1048576.0, 1)));
            }
        }

        // The Zipf workload: the first third warms the cache, the rest is measured.
        int warm = trace.Length / 3;
        for (int r = 0; r < warm; r++)
        {
            await cache.ResolveAsync(Account(trace[r]));
        }

        int readsBefore = cache.StoreReads;
        for (int r = warm; r < trace.Length; r++)
        {
            await cache.ResolveAsync(Account(trace[r]));
        }

        double hitRate = Math.Round(1 - (cache.StoreReads - readsBefore) / (double)(trace.Length - warm), 4);
        long after = Heap();
        var run = new MemoryRun(
            cache.Name,
            cache.Resident,
            Math.Round((after - before) / (double)cache.Resident, 1),
            hitRate,
            workingSetBefore,
            WorkingSetMegabytes(),
            growth);
        Console.WriteLine($"  {run.Cache}: {run.Resident:N0} resident, {run.BytesPerEntry:0} B per entry, hit rate {run.HitRate:P2}, heap +{(after - before) / 1048576.0:0.0} MB");
        GC.KeepAlive(cache);
        return run;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double WorkingSetMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return Math.Round(process.WorkingSet64 / 1048576.0, 1);
    }

    // ---- A million pins in a store: what a hit and a miss cost, first pins as the table grows, the query plans. ----

    private static async Task<JsonObject> StoreRunAsync(string name, IApiVersionPinStore store, int accounts, int capacity, Zipf zipf, Func<string, Task<string>> explain, Func<Task> settle)
    {
        var importer = (IApiVersionPinImporter)store;
        var emptyFirstPins = await FirstPinsAsync(store, start: accounts * 2, count: 2_000);

        var clock = Stopwatch.StartNew();
        long imported = await importer.ImportAsync(Enumerable.Range(0, accounts).Select(FirstPin));
        double importSeconds = clock.Elapsed.TotalSeconds;

        // Steady state, as a database that has run for a while is: statistics gathered, the import's writes checkpointed.
        await settle();
        var fullFirstPins = await FirstPinsAsync(store, start: accounts * 3, count: 2_000);

        var pins = new ApiVersionPins(History, store, TimeProvider.System, new PinOptions { CacheCapacity = capacity, CacheDuration = TimeSpan.FromHours(1) });
        for (int r = 0; r < 300_000; r++)
        {
            await pins.GetOrPinAsync(Account(zipf.Next()));
        }

        // Hits: the most requested accounts, cached by the warm-up. Misses: accounts the workload never asked for.
        var hits = await TimeAsync(20_000, i => pins.GetOrPinAsync(Account(i % 1_000)));
        var misses = await TimeAsync(5_000, i => pins.GetOrPinAsync(Account(accounts - 1 - i)));

        var result = new JsonObject
        {
            ["pins"] = accounts + 4_000,
            ["import_seconds"] = Math.Round(importSeconds, 1),
            ["import_per_second"] = Math.Round(imported / importSeconds),
            ["hit_p50_us"] = hits.P50,
            ["hit_p99_us"] = hits.P99,
            ["miss_p50_us"] = misses.P50,
            ["miss_p99_us"] = misses.P99,
            ["first_pin_p50_us_empty"] = emptyFirstPins.P50,
            ["first_pin_p50_us_full"] = fullFirstPins.P50,
            ["first_pin_p99_us_empty"] = emptyFirstPins.P99,
            ["first_pin_p99_us_full"] = fullFirstPins.P99,
            ["query_plans"] = new JsonObject
            {
                ["read"] = await explain($"SELECT account_id, version, previous_version, changed_at, reason FROM versionkit_pins WHERE account_id = '{Account(12_345)}'"),
                ["audit"] = await explain($"SELECT * FROM versionkit_pin_changes WHERE account_id = '{Account(12_345)}' ORDER BY id"),
            },
        };
        Console.WriteLine($"  {name}: import {imported:N0} pins in {importSeconds:0.0} s; hit p50/p99 {hits.P50}/{hits.P99} µs, miss {misses.P50}/{misses.P99} µs; first pin p50 {emptyFirstPins.P50} µs empty, {fullFirstPins.P50} µs at {accounts:N0}");
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        return result;
    }

    private static async Task<(double P50, double P99)> FirstPinsAsync(IApiVersionPinStore store, int start, int count)
        => await TimeAsync(count, i => store.PinIfAbsentAsync(new PinChange(Account(start + i), null, History.Latest, Pinned, ApiVersionPins.FirstRequestActor, PinChangeReason.FirstRequest)));

    private static async Task<(double P50, double P99)> TimeAsync<T>(int count, Func<int, Task<T>> call)
    {
        var micros = new double[count];
        for (int i = 0; i < count; i++)
        {
            long started = Stopwatch.GetTimestamp();
            await call(i);
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        Array.Sort(micros);
        return (Math.Round(micros[count / 2], 1), Math.Round(micros[(int)(count * 0.99)], 1));
    }

    // The plan of a statement on the full table, as the database chose it.
    private static async Task<string> ExplainPostgreSqlAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }

    private static async Task AnalyzeSqliteAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "ANALYZE";
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ExplainSqliteAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }

    // ---- Two instances on one PostgreSQL: first pins per second, and reads. ----

    private static async Task<JsonObject> TwoInstancesAsync(PostgresCluster cluster, int seeded, bool quick)
    {
        string database = await cluster.CreateDatabaseAsync();
        await using var seedStore = new PostgreSqlPinStore(database);
        await seedStore.ImportAsync(Enumerable.Range(0, seeded).Select(FirstPin));
        await using var a = new PostgreSqlPinStore(database);
        await using var b = new PostgreSqlPinStore(database);
        var instances = new[] { a, b }.Select(s => new ApiVersionPins(History, s, TimeProvider.System, new PinOptions { CacheCapacity = 10_000 })).ToArray();

        // New accounts, each asked for through both instances at once: one first pin each, whoever wins.
        int newcomers = quick ? 5_000 : 20_000;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, newcomers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            string account = Account(seeded * 4 + i);
            await Task.WhenAll(instances[0].GetOrPinAsync(account), instances[1].GetOrPinAsync(account));
        });
        double firstPinsPerSecond = Math.Round(newcomers / clock.Elapsed.TotalSeconds);
        long audit = (long)(await PostgresCluster.QueryAsync(database, "SELECT count(*) FROM versionkit_pin_changes WHERE reason = 'FirstRequest'"))!;

        // Reads of seeded accounts through both instances, each a miss (the instances' caches are small).
        var micros = new ConcurrentBag<double>();
        var random = new Random(7);
        int[] readAccounts = [.. Enumerable.Range(0, quick ? 20_000 : 100_000).Select(_ => random.Next(seeded))];
        await Parallel.ForEachAsync(readAccounts.Select((account, i) => (account, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (read, _) =>
        {
            long started = Stopwatch.GetTimestamp();
            await instances[read.i % 2].GetOrPinAsync(Account(read.account));
            micros.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        });
        var sorted = micros.Order().ToArray();
        var result = new JsonObject
        {
            ["seeded_pins"] = seeded,
            ["new_accounts"] = newcomers,
            ["first_pins_per_second"] = firstPinsPerSecond,
            ["first_pin_audit_rows"] = audit,
            ["reads"] = sorted.Length,
            ["read_p50_us"] = Math.Round(sorted[sorted.Length / 2], 1),
            ["read_p99_us"] = Math.Round(sorted[(int)(sorted.Length * 0.99)], 1),
        };
        Console.WriteLine($"  two instances on PostgreSQL: {newcomers:N0} new accounts at {firstPinsPerSecond:N0} first pins/s ({audit:N0} audit rows); reads p50/p99 {result["read_p50_us"]}/{result["read_p99_us"]} µs");
        return result;
    }

    /// <summary>Zipf-distributed account numbers (rank 0 the most requested), by inverse CDF over precomputed weights.</summary>
    private sealed class Zipf
    {
        private readonly double[] _cdf;
        private readonly Random _random;

        public Zipf(int n, double s, int seed)
        {
            _cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += 1 / Math.Pow(i + 1, s);
                _cdf[i] = sum;
            }

            for (int i = 0; i < n; i++)
            {
                _cdf[i] /= sum;
            }

            _random = new Random(seed);
        }

        public int Next()
        {
            int index = Array.BinarySearch(_cdf, _random.NextDouble());
            return index < 0 ? Math.Min(~index, _cdf.Length - 1) : index;
        }
    }
}
