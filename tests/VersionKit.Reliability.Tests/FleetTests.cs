using System.Diagnostics;
using System.Net;
using Payments.Api;
using VersionKit.Pins;
using VersionKit.PostgreSql;
using Xunit.Abstractions;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// Two instances of the sample sharing one PostgreSQL, as two machines: first requests racing through both, a pin changed
/// on one and read on the other, and the database going down in the middle of a load run and coming back.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(PostgresCollection.Name)]
public sealed class FleetTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly ApiHistory History = PaymentsApiHistory.Default;

    private SampleFleet _fleet = null!;
    private PostgreSqlPinStore _pins = null!;

    public async Task InitializeAsync()
    {
        _fleet = await SampleFleet.StartAsync(postgres.Cluster);
        _pins = new PostgreSqlPinStore(_fleet.PinDatabase);
    }

    public async Task DisposeAsync()
    {
        if (!postgres.Cluster.IsRunning)
        {
            await postgres.Cluster.StartAsync();
        }

        await _pins.DisposeAsync();
        await _fleet.DisposeAsync();
    }

    private HttpClient A => _fleet.Instances[0];

    private HttpClient B => _fleet.Instances[1];

    private static async Task<(HttpStatusCode Status, string? Version)> GetAsync(HttpClient instance, string path, string account, string? version = null)
    {
        using var request = SampleFleet.Request(HttpMethod.Get, path, account, version: version);
        using var response = await instance.SendAsync(request);
        return (response.StatusCode, response.Headers.TryGetValues("Stripe-Version", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task Concurrent_first_requests_of_an_account_through_both_instances_pin_it_once()
    {
        var accounts = Enumerable.Range(0, 10).Select(_ => SampleFleet.NewAccount()).ToArray();
        // The list's limit is `count` at 2013-02-13, the version some of these calls name.
        static string Path(int i, bool old) => (i % 3) switch { 0 => "/v1/events", 1 => "/v1/account", _ => old ? "/v1/events?count=1" : "/v1/events?limit=1" };
        var requests = accounts.SelectMany(account => Enumerable.Range(0, 20).Select(i => (Account: account, I: i)))
            .Select(r => Task.Run(() => GetAsync(_fleet.Instances[r.I % 2], Path(r.I, r.I % 5 == 4), r.Account, r.I % 5 == 4 ? "2013-02-13" : null)))
            .ToArray();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(responses.Where((_, i) => i % 20 % 5 != 4), r => Assert.Equal(History.Latest.ToString(), r.Version));
        foreach (string account in accounts)
        {
            var change = Assert.Single(await _pins.GetChangesAsync(account));
            Assert.Equal((PinChangeReason.FirstRequest, History.Latest, ApiVersionPins.FirstRequestActor), (change.Reason, change.To, change.Actor));
        }
    }

    [Fact]
    public async Task A_pin_changed_on_one_instance_is_seen_on_the_other_within_the_cache_bound()
    {
        var old = ApiVersion.Parse("2013-02-13");
        var upgraded = ApiVersion.Parse("2017-05-25");
        string account = await SampleFleet.CreateAccountAsync(A, old);
        Assert.Equal(old.ToString(), (await GetAsync(B, "/v1/events", account)).Version);

        var upgrade = await SampleFleet.SucceedAsync(A, HttpMethod.Post, "/v1/account/api_version", account, new { api_version = upgraded.ToString() });
        var changedAt = Stopwatch.StartNew();
        Assert.Equal(upgraded.ToString(), (string?)upgrade["api_version"]);
        Assert.Equal(upgraded.ToString(), (await GetAsync(A, "/v1/events", account)).Version);
        var seenAfter = await WaitUntilSeenAsync(B, account, old, upgraded, changedAt);

        // And back: a rollback on B reaches A the same way.
        await SampleFleet.SucceedAsync(B, HttpMethod.Post, "/v1/account/api_version/rollback", account, new { });
        var rolledBackAt = Stopwatch.StartNew();
        var backAfter = await WaitUntilSeenAsync(A, account, upgraded, old, rolledBackAt);

        output.WriteLine($"upgrade seen on the other instance after {seenAfter.TotalMilliseconds:0} ms, rollback after {backAfter.TotalMilliseconds:0} ms (cache bound {SampleFleet.CacheDuration.TotalMilliseconds:0} ms)");
        Assert.Equal([PinChangeReason.Assigned, PinChangeReason.Upgrade, PinChangeReason.Rollback], (await _pins.GetChangesAsync(account)).Select(c => c.Reason));
    }

    // Until it sees the new pin the instance answers with the old one, never a third; once it has, never the old one again.
    private static async Task<TimeSpan> WaitUntilSeenAsync(HttpClient instance, string account, ApiVersion before, ApiVersion after, Stopwatch since)
    {
        TimeSpan? seen = null;
        var deadline = SampleFleet.CacheDuration + TimeSpan.FromSeconds(1);
        while (since.Elapsed < deadline + TimeSpan.FromMilliseconds(300))
        {
            string? version = (await GetAsync(instance, "/v1/events", account)).Version;
            if (version == after.ToString())
            {
                seen ??= since.Elapsed;
            }
            else
            {
                Assert.True(seen is null && version == before.ToString(), $"after the change the instance answered {version} ({since.Elapsed.TotalMilliseconds:0} ms)");
            }

            await Task.Delay(50);
        }

        Assert.True(seen is not null && seen <= deadline, $"the change was not seen within {deadline.TotalMilliseconds:0} ms");
        return seen!.Value;
    }

    [Fact]
    public async Task PostgreSQL_down_in_the_middle_of_a_load_run_changes_no_version_repins_nothing_and_service_resumes()
    {
        // Accounts at every version, read through both instances; others pinned through A but never read through B.
        var accounts = new List<(string Account, ApiVersion Version, string[] Paths)>();
        var unseenByB = new List<(string Account, ApiVersion Version)>();
        foreach (var version in History.Releases.Where(r => !r.IsPreview).Select(r => r.Version))
        {
            string account = await SampleFleet.CreateAccountAsync(A, version);
            accounts.Add((account, version, await SampleFleet.SeedAsync(A, account, version)));
            unseenByB.Add((await SampleFleet.CreateAccountAsync(A, version), version));
        }

        var targets = await LoadRun.ReferenceAsync(History, A, accounts);
        var neverPinned = Enumerable.Range(0, 6).Select(_ => SampleFleet.NewAccount()).ToArray();
        var duringOutage = new List<(string Account, HttpStatusCode Status, bool Clean)>();

        // The load runs for a fixed time; a second of it in, the database stops, and starts again two cache bounds later.
        var load = LoadRun.RunAsync(_fleet.Instances, targets, maxRequests: 200_000, maxDuration: TimeSpan.FromSeconds(8), allowUnavailable: true);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var down = Stopwatch.StartNew();
        await postgres.Cluster.StopAsync();
        foreach (var (account, _) in unseenByB)
        {
            duringOutage.Add(await FirstRequestAsync(B, account));
        }

        foreach (var (account, i) in neverPinned.Select((a, i) => (a, i)))
        {
            duringOutage.Add(await FirstRequestAsync(_fleet.Instances[i % 2], account));
        }

        await Task.Delay(SampleFleet.CacheDuration * 2);
        await postgres.Cluster.StartAsync();
        var downFor = down.Elapsed;
        var result = await load;

        output.WriteLine($"Load run with PostgreSQL stopped for {downFor.TotalSeconds:0.0} s and started again: " + result.Summary);
        output.WriteLine($"During the outage: {duringOutage.Count} first reads, {duringOutage.Count(r => r.Clean)} answered 503 with Retry-After");
        Assert.Empty(result.Mismatches);
        Assert.Empty(result.Errors);
        Assert.All(duringOutage, r => Assert.True(r.Clean, $"{r.Account} answered {(int)r.Status} while the database was down"));

        // Service resumes by itself: every account gets its own pin again, the never-pinned ones the latest, once.
        var resumed = Stopwatch.StartNew();
        foreach (var (account, version) in unseenByB.Concat(neverPinned.Select(a => (a, History.Latest))))
        {
            Assert.Equal((HttpStatusCode.OK, version.ToString()), await EventuallyAsync(B, account));
        }

        output.WriteLine($"Every account served again {resumed.ElapsedMilliseconds} ms after the checks began");
        var after = await LoadRun.RunAsync(_fleet.Instances, targets, targets.Count * 2, TimeSpan.FromSeconds(30));
        Assert.Equal((targets.Count * 2, 0, 0), (after.Served, after.Mismatches.Count, after.Errors.Count));

        foreach (var (account, version) in accounts.Select(a => (a.Account, a.Version)).Concat(unseenByB))
        {
            var change = Assert.Single(await _pins.GetChangesAsync(account));
            Assert.Equal((PinChangeReason.Assigned, version), (change.Reason, change.To));
        }

        foreach (string account in neverPinned)
        {
            Assert.Equal(PinChangeReason.FirstRequest, Assert.Single(await _pins.GetChangesAsync(account)).Reason);
        }

        Assert.Empty(_fleet.Errors);
    }

    private static async Task<(string, HttpStatusCode, bool)> FirstRequestAsync(HttpClient instance, string account)
    {
        using var request = SampleFleet.Request(HttpMethod.Get, "/v1/events", account);
        using var response = await instance.SendAsync(request);
        return (account, response.StatusCode, LoadRun.IsCleanUnavailable(response));
    }

    private static async Task<(HttpStatusCode, string?)> EventuallyAsync(HttpClient instance, string account)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (status, version) = await GetAsync(instance, "/v1/events", account);
            if (status == HttpStatusCode.OK || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return (status, version);
            }

            await Task.Delay(100);
        }
    }
}
