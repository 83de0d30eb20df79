using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api;

namespace VersionKit.Benchmarks;

/// <summary>Requests per second of one version in the HTTP run.</summary>
public sealed record VersionThroughput(string Version, int Requests, double Seconds, double RequestsPerSecond, double P50Ms, double P99Ms, int ResponseBytes);

/// <summary>What the HTTP run measured: both versions, and the old one's requests per second as a share of the latest's.</summary>
/// <param name="Ratio">The old version's requests per second over the latest's, over all rounds.</param>
/// <param name="RoundRatios">The same ratio in each round (its old and its latest phase, back to back).</param>
/// <param name="RoundRatioMedian">The median of <paramref name="RoundRatios"/>.</param>
/// <param name="RoundRatioLow">Their 10th percentile.</param>
/// <param name="RoundRatioHigh">Their 90th percentile.</param>
/// <param name="Render">The same page rendered by the app's renderer without HTTP, at 2011-08-01 (the case) against the latest (the baseline), paired.</param>
public sealed record HttpResult(
    string Path,
    int Workers,
    int Rounds,
    int RequestsPerPhase,
    VersionThroughput Old,
    VersionThroughput Latest,
    double Ratio,
    IReadOnlyList<double> RoundRatios,
    double RoundRatioMedian,
    double RoundRatioLow,
    double RoundRatioHigh,
    PairedResult Render);

/// <summary>
/// A bounded load run on 127.0.0.1 against the sample on Kestrel: two accounts, pinned at 2011-08-01 and at the latest,
/// each with 100 events (from 100 charges), and <c>GET /v1/events?limit=100</c> for each. After a warm-up, phases of a
/// fixed number of requests alternate between the two versions (old, latest, latest, old, ...) so that drift on a
/// shared machine falls on both alike; each version's requests per second is its requests over its phases' time.
/// </summary>
public static class HttpLoad
{
    private const string Path = "/v1/events?limit=100"; // `count=100` at versions before 2013-08-12
    private const string OldVersion = "2011-08-01";

    public static async Task<HttpResult> RunAsync(bool quick)
    {
        int workers = 8, rounds = quick ? 4 : 10, perPhase = quick ? 200 : 800, warmUp = quick ? 200 : 500;
        var limit = TimeSpan.FromMinutes(quick ? 1 : 4);
        string directory = Directory.CreateTempSubdirectory("versionkit-bench-").FullName;
        var app = PaymentsApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--environment", "Production", "--Logging:LogLevel:Default=Warning",
            "--Payments:Database=Data Source=" + System.IO.Path.Combine(directory, "payments.db"),
        ]);
        await app.StartAsync();
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { BaseAddress = new Uri(address) };
            string latest = Payments.Api.PaymentsApiHistory.Default.Latest.ToString();
            string oldAccount = await CreateAccountAsync(client, "acct_bench_old", OldVersion);
            string latestAccount = await CreateAccountAsync(client, "acct_bench_latest", latest);
            int oldBytes = await CheckAsync(client, oldAccount, OldVersion, requestIsObject: false);
            int latestBytes = await CheckAsync(client, latestAccount, latest, requestIsObject: true);

            await PhaseAsync(client, oldAccount, OldVersion, warmUp, workers);
            await PhaseAsync(client, latestAccount, latest, warmUp, workers);

            var oldPhases = new List<(TimeSpan Elapsed, double[] Latencies)>();
            var latestPhases = new List<(TimeSpan Elapsed, double[] Latencies)>();
            var clock = Stopwatch.StartNew();
            for (int round = 0; round < rounds && clock.Elapsed < limit; round++)
            {
                bool oldFirst = round % 2 == 0;
                foreach (bool old in oldFirst ? new[] { true, false } : [false, true])
                {
                    var phase = await PhaseAsync(client, old ? oldAccount : latestAccount, old ? OldVersion : latest, perPhase, workers);
                    (old ? oldPhases : latestPhases).Add(phase);
                }
            }

            var oldResult = Throughput(OldVersion, oldPhases, oldBytes);
            var latestResult = Throughput(latest, latestPhases, latestBytes);

            // Each round's two phases ran back to back with the same number of requests: the latest's time over the old's
            // is the old version's requests per second as a share of the latest's, paired as the micro-benchmarks are.
            var roundRatios = oldPhases.Zip(latestPhases, (o, l) => l.Elapsed.TotalSeconds / o.Elapsed.TotalSeconds).ToList();
            var render = await RenderAloneAsync(app.Services, oldAccount, latest, quick);
            return new HttpResult(Path, workers, oldPhases.Count, perPhase, oldResult, latestResult, oldResult.RequestsPerSecond / latestResult.RequestsPerSecond,
                roundRatios, PairedRatios.Percentile(roundRatios, 0.5), PairedRatios.Percentile(roundRatios, 0.1), PairedRatios.Percentile(roundRatios, 0.9), render);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    // What a request's rendering costs apart from Kestrel, the client and the store: one page of the account's 100 events,
    // as the endpoint returns it, rendered by the app's own renderer at 2011-08-01 and at the latest, paired batch by batch.
    private static async Task<PairedResult> RenderAloneAsync(IServiceProvider services, string account, string latest, bool quick)
    {
        var renderer = services.GetRequiredService<ApiRenderer>();
        var old = ApiVersion.Parse(OldVersion);
        var newest = ApiVersion.Parse(latest);
        var stored = await services.GetRequiredService<VersionKit.Webhooks.ApiEvents>().Store.ListEventsAsync(account, 100);
        var page = new ApiList<Payments.Api.Event>([.. stored.Select(e => PaymentsEvents.ReadEvent(e, newest))], "/v1/events", hasMore: false);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        return PairedRatios.Measure(
            new PairedCase("the events page rendered alone, 2011-08-01 vs the latest", "render at " + OldVersion, "render at " + latest,
                () =>
                {
                    buffer.ResetWrittenCount();
                    renderer.Render(buffer, page, newest);
                },
                () =>
                {
                    buffer.ResetWrittenCount();
                    renderer.Render(buffer, page, old);
                },
                null,
                GoalDirection.None,
                () => buffer.WrittenCount),
            PairedRatios.SettingsFor(quick));
    }

    private static async Task<string> CreateAccountAsync(HttpClient client, string id, string version)
    {
        using (var response = await client.PostAsJsonAsync("/v1/test_helpers/accounts", new { id, api_version = version }))
        {
            await EnsureAsync(response, "creating an account");
        }

        for (int i = 0; i < 100; i++)
        {
            // Each account sends what its version has: `receipt_email` only since 2019-12-03 (older callers are refused it).
            object body = ApiVersion.Parse(version) >= ApiVersion.Parse("2019-12-03")
                ? new { amount = 1000 + i, currency = "usd", receipt_email = $"buyer{i}@example.com" }
                : new { amount = 1000 + i, currency = "usd" };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/charges") { Content = JsonContent.Create(body) };
            Authorize(request, id);
            using var response = await client.SendAsync(request);
            await EnsureAsync(response, "creating a charge");
        }

        return id;
    }

    // The run measures what it claims: each account gets its own version, 100 events, in that version's shape.
    private static async Task<int> CheckAsync(HttpClient client, string account, string version, bool requestIsObject)
    {
        using var request = Get(account, version);
        using var response = await client.SendAsync(request);
        await EnsureAsync(response, "listing events");
        string served = response.Headers.GetValues("Stripe-Version").Single();
        string body = await response.Content.ReadAsStringAsync();
        var events = JsonNode.Parse(body)!["data"]!.AsArray();
        if (served != version || events.Count != 100 || (events[0]!["request"] is JsonObject) != requestIsObject)
        {
            throw new InvalidOperationException($"GET {Path} as {account} gave version {served} and {events.Count} events ({body[..Math.Min(300, body.Length)]}); expected {version} and 100.");
        }

        return System.Text.Encoding.UTF8.GetByteCount(body);
    }

    private static async Task<(TimeSpan Elapsed, double[] Latencies)> PhaseAsync(HttpClient client, string account, string version, int count, int workers)
    {
        var latencies = new double[count];
        int next = -1;
        var clock = Stopwatch.StartNew();

        async Task WorkAsync()
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                long start = Stopwatch.GetTimestamp();
                using var request = Get(account, version);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                if (!response.IsSuccessStatusCode || response.Headers.GetValues("Stripe-Version").Single() != version)
                {
                    throw new InvalidOperationException($"GET {Path} as {account} answered {(int)response.StatusCode}.");
                }

                latencies[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)));
        return (clock.Elapsed, latencies);
    }

    private static VersionThroughput Throughput(string version, List<(TimeSpan Elapsed, double[] Latencies)> phases, int bytes)
    {
        var latencies = phases.SelectMany(p => p.Latencies).Order().ToArray();
        double seconds = phases.Sum(p => p.Elapsed.TotalSeconds);
        return new VersionThroughput(version, latencies.Length, seconds, latencies.Length / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99), bytes);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    // The page size by its name at the caller's version: `count` before 2013-08-12.
    private static HttpRequestMessage Get(string account, string version)
    {
        string limit = Payments.Api.PaymentsApiHistory.Default.GetRequestFieldName(typeof(Payments.Api.ListEvents), "limit", ApiVersion.Parse(version));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/events?{limit}=100");
        Authorize(request, account);
        return request;
    }

    private static void Authorize(HttpRequestMessage request, string account) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_" + account);

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
