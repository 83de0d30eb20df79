using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using VersionKit.PostgreSql;
using VersionKit.Webhooks;
using VersionKit.Webhooks.Tests;
using Xunit.Abstractions;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// Webhook deliveries when things go wrong, through the sample on real Kestrel and a receiver at 127.0.0.1: the receiver
/// down for a while, the process killed in the middle of a batch (a real child process) with its outbox in SQLite or
/// PostgreSQL, two instances delivering from one PostgreSQL outbox, and PostgreSQL stopped in the middle of deliveries.
/// Every delivery must arrive at least once; the figures say how many arrived twice and how long it took.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(PostgresCollection.Name)]
public sealed class WebhookDeliveryTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    // A schedule of seconds rather than days: first retry after 0.2 s, then doubling up to 1 s, twenty attempts: 8.7 to 17.4 s of waits in all.
    private static readonly string[] Schedule =
    [
        "--Webhooks:PollInterval=00:00:00.050",
        "--Webhooks:Timeout=00:00:02",
        "--Webhooks:LeaseDuration=00:00:03",
        "--Webhooks:FirstRetryDelay=00:00:00.200",
        "--Webhooks:MaxRetryDelay=00:00:01",
        "--Webhooks:MaxAttempts=20",
        "--Webhooks:MaxConcurrency=8",
        "--Webhooks:MaxConcurrencyPerEndpoint=4",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("versionkit-webhooks-").FullName;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (!postgres.Cluster.IsRunning)
        {
            await postgres.Cluster.StartAsync();
        }

        await _receiver.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DataFile => "Data Source=" + Path.Combine(_directory, "payments.db");

    private static async Task<JsonObject> PostAsync(HttpClient instance, string path, string? account, object body)
    {
        using var request = SampleFleet.Request(HttpMethod.Post, path, account, body);
        using var response = await instance.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>An account with endpoints at /a (2011-08-01) and /b (the latest) on the receiver.</summary>
    private async Task<string> AccountWithEndpointsAsync(HttpClient instance)
    {
        string account = SampleFleet.NewAccount();
        await PostAsync(instance, "/v1/test_helpers/accounts", null, new { id = account });
        await PostAsync(instance, "/v1/webhook_endpoints", account, new { url = _receiver.Url("/a").ToString(), enabled_events = new[] { "*" }, api_version = "2011-08-01" });
        await PostAsync(instance, "/v1/webhook_endpoints", account, new { url = _receiver.Url("/b").ToString(), enabled_events = new[] { "*" } });
        return account;
    }

    private static Task ChargeAsync(HttpClient instance, string account, int i)
        => PostAsync(instance, "/v1/charges", account, new { amount = 100 + i, currency = "usd" });

    // The (endpoint, event) pairs that arrived, with how many times each did.
    private Dictionary<(string Path, string Event), int> Arrivals()
        => _receiver.Received.GroupBy(r => (r.Path, (string)JsonNode.Parse(r.Body)!["id"]!)).ToDictionary(g => g.Key, g => g.Count());

    private async Task<TimeSpan> WaitForAllAsync(int pairs, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        Assert.True(await _receiver.WaitUntilAsync(_ => Arrivals().Count == pairs, limit), $"{Arrivals().Count} of {pairs} deliveries arrived within {limit.TotalSeconds} s");
        return clock.Elapsed;
    }

    /// <summary>Every delivery of the account's events, as the outbox records them.</summary>
    private static async Task<List<JsonNode>> DeliveriesAsync(HttpClient instance, string account)
    {
        using var request = SampleFleet.Request(HttpMethod.Get, "/v1/events?limit=100", account);
        var events = (await (await instance.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsArray();
        var deliveries = new List<JsonNode>();
        foreach (var @event in events)
        {
            using var read = SampleFleet.Request(HttpMethod.Get, $"/v1/test_helpers/events/{@event!["id"]}/deliveries", account);
            deliveries.AddRange((await (await instance.SendAsync(read)).Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsArray().Select(d => d!));
        }

        return deliveries;
    }

    private static async Task<List<JsonNode>> WaitUntilRecordedAsync(HttpClient instance, string account, int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var deliveries = await DeliveriesAsync(instance, account);
            if ((deliveries.Count == count && deliveries.All(d => (string?)d["status"] == "succeeded")) || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return deliveries;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_receiver_down_for_a_while_gets_every_delivery_once_it_is_back_within_the_schedule()
    {
        await using var fleet = await SampleFleet.StartAsync(postgres.Cluster, instances: 1, (_, _) => Schedule);
        var instance = fleet.Instances[0];
        string account = await AccountWithEndpointsAsync(instance);
        await _receiver.StopAsync();
        for (int i = 0; i < 20; i++)
        {
            await ChargeAsync(instance, account, i);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var whileDown = await DeliveriesAsync(instance, account);
        await _receiver.StartAgainAsync();
        var after = await WaitForAllAsync(40, TimeSpan.FromSeconds(15));

        var deliveries = await WaitUntilRecordedAsync(instance, account, 40);
        Assert.All(deliveries, d => Assert.Equal("succeeded", (string?)d["status"]));
        Assert.All(Arrivals().Values, n => Assert.Equal(1, n));
        Assert.All(whileDown, d => Assert.Equal("pending", (string?)d["status"]));
        int failed = whileDown.Count(d => ((string?)d["last_error"])?.StartsWith("The endpoint could not be reached", StringComparison.Ordinal) == true);
        Assert.True(failed > 0, "no attempt was made while the receiver was down");
        var attempts = deliveries.Select(d => (int)d["attempts"]!).ToList();
        Assert.Empty(fleet.Errors);
        output.WriteLine($"Receiver down 2 s with 40 deliveries queued ({failed} had failed an attempt by then, none delivered): all 40 arrived {after.TotalMilliseconds:0} ms after it was back, each once; {attempts.Sum()} attempts in all, {attempts.Min()} to {attempts.Max()} per delivery.");
    }

    [Theory]
    [InlineData("SQLite")]
    [InlineData("PostgreSQL")]
    public async Task A_process_killed_in_the_middle_of_a_batch_makes_every_delivery_at_least_once_after_it_restarts(string outbox)
    {
        _receiver.Respond = async (_, cancel) =>
        {
            await Task.Delay(100, cancel);
            return 200;
        };
        string[] arguments = [.. Schedule, "--Payments:Database=" + DataFile];
        if (outbox == "PostgreSQL")
        {
            string database = await postgres.Cluster.CreateDatabaseAsync();
            arguments = [.. arguments, "--VersionKit:PostgreSql=" + database, "--Webhooks:PostgreSql=" + database];
        }

        string account;
        int atKill;
        var sample = await SampleProcess.StartAsync(arguments);
        await using (sample)
        {
            account = await AccountWithEndpointsAsync(sample.Client);
            for (int i = 0; i < 40; i++)
            {
                await ChargeAsync(sample.Client, account, i);
            }

            Assert.True(await _receiver.WaitUntilAsync(r => r.Count >= 16, TimeSpan.FromSeconds(20)), "the deliveries did not start");
            await sample.KillAsync();
            atKill = _receiver.Received.Count;
        }

        var restarted = Stopwatch.StartNew();
        await using var again = await SampleProcess.StartAsync(arguments);
        await WaitForAllAsync(80, TimeSpan.FromSeconds(30));
        var done = restarted.Elapsed;
        var deliveries = await WaitUntilRecordedAsync(again.Client, account, 80);
        Assert.All(deliveries, d => Assert.Equal("succeeded", (string?)d["status"]));

        // Only attempts in flight when the process died can be made twice: at most MaxConcurrency of them.
        int twice = Arrivals().Values.Sum(n => n - 1);
        Assert.InRange(twice, 0, 8);
        output.WriteLine($"{outbox}: killed after {atKill} of 80 deliveries had arrived; after the restart all 80 arrived within {done.TotalSeconds:0.0} s (process start included); {twice} arrived twice (attempts in flight at the kill).");
    }

    [Fact]
    public async Task Two_instances_on_one_PostgreSQL_outbox_make_each_attempt_once_and_share_the_work()
    {
        _receiver.Respond = async (_, cancel) =>
        {
            await Task.Delay(20, cancel);
            return 200;
        };
        // Nothing here fails or dies, so a second attempt could only come from a lease taken while the first was still
        // being made, or from results that were never recorded: the timeout and the lease are long enough that a machine
        // busy with the other tests cannot run out of them. Two full runs once made 7 and 5 of 120 deliveries twice. The cause
        // found: the two instances' batches of results, naming the same endpoints in other orders, deadlocked in PostgreSQL
        // and the losing batch was not recorded (the 5 were neighbours among the 120, and that run took 22 s: its 20 s lease and a little).
        // WebhookStoreContractTests.Batches_of_results_from_two_machines_for_the_same_endpoints_are_all_recorded holds the fix.
        await using var fleet = await SampleFleet.StartAsync(postgres.Cluster, instances: 2, (f, i) =>
            [.. Schedule, "--Webhooks:Timeout=00:00:05", "--Webhooks:LeaseDuration=00:00:20", "--Webhooks:PostgreSql=" + f.PinDatabase, "--Webhooks:WorkerName=instance-" + i]);
        string database = fleet.PinDatabase;
        string account = await AccountWithEndpointsAsync(fleet.Instances[0]);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => ChargeAsync(fleet.Instances[i % 2], account, i)));
        await WaitForAllAsync(120, TimeSpan.FromSeconds(30));
        var elapsed = clock.Elapsed;

        var deliveries = await WaitUntilRecordedAsync(fleet.Instances[1], account, 120);
        Assert.All(deliveries, d => Assert.Equal(("succeeded", 1), ((string?)d["status"], (int)d["attempts"]!)));
        Assert.All(Arrivals().Values, n => Assert.Equal(1, n));

        var store = new PostgreSqlWebhookStore(database);
        var byWorker = new Dictionary<string, int>();
        foreach (string eventId in _receiver.Received.Select(r => (string)JsonNode.Parse(r.Body)!["id"]!).Distinct())
        {
            foreach (var delivery in await store.GetDeliveriesAsync(eventId))
            {
                byWorker[delivery.LastAttemptBy!] = byWorker.GetValueOrDefault(delivery.LastAttemptBy!) + 1;
            }
        }

        await store.DisposeAsync();
        Assert.Equal(["instance-0", "instance-1"], byWorker.Keys.Order());
        Assert.Empty(fleet.Errors);
        Assert.DoesNotContain(fleet.Logs, l => l.Message.Contains("could not be recorded", StringComparison.Ordinal));
        output.WriteLine($"Two instances, 60 events to 2 endpoints: 120 deliveries in {elapsed.TotalSeconds:0.0} s, each made once; instance-0 made {byWorker["instance-0"]}, instance-1 {byWorker["instance-1"]}.");
    }

    [Fact]
    public async Task PostgreSQL_stopped_in_the_middle_of_deliveries_loses_none_and_they_resume_when_it_is_back()
    {
        _receiver.Respond = async (_, cancel) =>
        {
            await Task.Delay(100, cancel);
            return 200;
        };
        await using var fleet = await SampleFleet.StartAsync(postgres.Cluster, instances: 1, (f, _) => [.. Schedule, "--Webhooks:PostgreSql=" + f.PinDatabase]);
        var instance = fleet.Instances[0];
        string account = await AccountWithEndpointsAsync(instance);
        for (int i = 0; i < 40; i++)
        {
            await ChargeAsync(instance, account, i);
        }

        Assert.True(await _receiver.WaitUntilAsync(r => r.Count >= 16, TimeSpan.FromSeconds(20)), "the deliveries did not start");
        var down = Stopwatch.StartNew();
        await postgres.Cluster.StopAsync();
        int atStop = _receiver.Received.Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.Cluster.StartAsync();
        var downFor = down.Elapsed;

        var back = Stopwatch.StartNew();
        await WaitForAllAsync(80, TimeSpan.FromSeconds(30));
        var done = back.Elapsed;
        var deliveries = await WaitUntilRecordedAsync(instance, account, 80);
        Assert.All(deliveries, d => Assert.Equal("succeeded", (string?)d["status"]));
        int twice = Arrivals().Values.Sum(n => n - 1);
        Assert.InRange(twice, 0, 8);
        Assert.Empty(fleet.Errors);
        output.WriteLine($"PostgreSQL stopped for {downFor.TotalSeconds:0.0} s after {atStop} of 80 deliveries had arrived; all 80 arrived {done.TotalSeconds:0.0} s after it was back; {twice} arrived twice (results that could not be recorded while it was down).");
    }
}
