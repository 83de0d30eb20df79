using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using VersionKit.PostgreSql;
using VersionKit.Sqlite;
using VersionKit.Webhooks;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// What every <see cref="IWebhookStore"/> promises, run against SQLite and PostgreSQL: an event and its deliveries are
/// written together once, the first rendering of an event at a version is kept, each due delivery is leased to one worker
/// however many race for it, a result is recorded only under its attempt's lease, and a lease that runs out makes the
/// delivery due again.
/// </summary>
[Trait("Category", "Reliability")]
public abstract class WebhookStoreContractTests : IAsyncLifetime
{
    protected static readonly ApiVersion V2011 = ApiVersion.Parse("2011-08-01");
    private static readonly ApiVersion V2024 = ApiVersion.Parse("2024-09-30.acacia");
    protected static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IWebhookStore> _stores = [];

    /// <summary>Makes a store over the data of this test; stores made by one test share their data, as machines share a database.</summary>
    protected abstract IWebhookStore CreateStore();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }
    }

    protected IWebhookStore Store()
    {
        var store = CreateStore();
        _stores.Add(store);
        return store;
    }

    protected static WebhookEndpoint Endpoint(string id, ApiVersion version, string account = "acct_1")
        => new(id, account, new Uri("https://example.com/" + id), ["*"], version, "whsec_" + id, Now);

    protected static ApiEvent Event(string id, ApiVersion version, string account = "acct_1")
        => new(id, account, "charge.succeeded", version, Now, "{\"payload\":1}"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes($"{{\"at\":\"{version}\"}}"));

    protected static EventRendering[] Renderings(params ApiVersion[] versions)
        => [.. versions.Select(v => new EventRendering(v, System.Text.Encoding.UTF8.GetBytes($"{{\"at\":\"{v}\"}}")))];

    protected static WebhookLeaseRequest Lease(string worker, int max = 100, int perEndpoint = 100, DateTimeOffset? now = null, IReadOnlyCollection<string>? busy = null)
        => new(worker, max, perEndpoint, busy ?? [], now ?? Now.AddSeconds(1), TimeSpan.FromMinutes(1));

    protected static WebhookAttemptResult Succeeded(LeasedDelivery delivery, string worker = "w1") => new(delivery, true, 200, null, Now.AddSeconds(2), null, worker);

    private static async Task<bool> CompleteAsync(IWebhookStore store, WebhookAttemptResult result) => Assert.Single(await store.CompleteAsync([result]));

    [Fact]
    public async Task An_event_its_renderings_and_deliveries_are_recorded_together_once()
    {
        var store = Store();
        WebhookEndpoint[] endpoints = [Endpoint("we_old", V2011), Endpoint("we_new", V2024)];
        foreach (var endpoint in endpoints)
        {
            await store.AddEndpointAsync(endpoint);
        }

        Assert.True(await store.AddEventAsync(Event("evt_1", V2024), Renderings(V2024, V2011), endpoints));
        Assert.False(await store.AddEventAsync(Event("evt_1", V2011), Renderings(V2011), [endpoints[0]]));

        var stored = (await store.FindEventAsync("acct_1", "evt_1"))!;
        Assert.Equal((V2024, "{\"at\":\"2024-09-30.acacia\"}", "{\"payload\":1}"), (stored.ApiVersion, System.Text.Encoding.UTF8.GetString(stored.Body.Span), System.Text.Encoding.UTF8.GetString(stored.Payload.Span)));
        Assert.Equal(Now, stored.Created);
        Assert.Null(await store.FindEventAsync("acct_2", "evt_1"));
        var deliveries = await store.GetDeliveriesAsync("evt_1");
        Assert.Equal([("we_old", V2011), ("we_new", V2024)], deliveries.Select(d => (d.EndpointId, d.ApiVersion)));
        Assert.All(deliveries, d => Assert.Equal((WebhookDeliveryStatus.Pending, 0), (d.Status, d.Attempts)));

        // A delivery at a version the event has no rendering at is refused, and nothing is written.
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddEventAsync(Event("evt_2", V2024), Renderings(V2024), endpoints));
        Assert.Null(await store.FindEventAsync("acct_1", "evt_2"));
        Assert.Equal(["evt_1"], (await store.ListEventsAsync("acct_1", 10)).Select(e => e.Id));
    }

    [Fact]
    public async Task Events_list_newest_first_within_the_limit_and_per_account()
    {
        var store = Store();
        for (int i = 0; i < 5; i++)
        {
            await store.AddEventAsync(Event("evt_" + i, V2011), Renderings(V2011), []);
        }

        await store.AddEventAsync(Event("evt_other", V2011, "acct_2"), Renderings(V2011), []);
        Assert.Equal(["evt_4", "evt_3", "evt_2"], (await store.ListEventsAsync("acct_1", 3)).Select(e => e.Id));
        Assert.Equal(["evt_other"], (await store.ListEventsAsync("acct_2", 3)).Select(e => e.Id));
    }

    [Fact]
    public async Task The_first_rendering_of_an_event_at_a_version_is_kept_whoever_offers_another()
    {
        var store = Store();
        await store.AddEventAsync(Event("evt_1", V2024), Renderings(V2024), []);
        var offers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Store().AddRenderingAsync("evt_1", new EventRendering(V2011, System.Text.Encoding.UTF8.GetBytes($"{{\"offer\":{i}}}")))));
        string kept = System.Text.Encoding.UTF8.GetString((await store.FindRenderingAsync("evt_1", V2011))!.Value.Span);
        Assert.All(offers, o => Assert.Equal(kept, System.Text.Encoding.UTF8.GetString(o.Span)));
        Assert.Null(await store.FindRenderingAsync("evt_1", ApiVersion.Parse("2014-05-19")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddRenderingAsync("evt_missing", new EventRendering(V2011, "{}"u8.ToArray())));
    }

    [Fact]
    public async Task Workers_racing_through_two_stores_lease_each_due_delivery_once()
    {
        var store = Store();
        var endpoints = Enumerable.Range(0, 4).Select(i => Endpoint("we_" + i, V2011)).ToArray();
        foreach (var endpoint in endpoints)
        {
            await store.AddEndpointAsync(endpoint);
        }

        for (int i = 0; i < 50; i++)
        {
            await store.AddEventAsync(Event("evt_" + i, V2011), Renderings(V2011), endpoints);
        }

        // Eight workers on two stores ("machines") lease in rounds of up to 7 until nothing is due: 200 deliveries.
        var leased = new ConcurrentBag<(long Id, string Worker)>();
        IWebhookStore[] machines = [store, Store()];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            while ((await machines[w % 2].LeaseAsync(Lease("w" + w, max: 7))) is { Count: > 0 } batch)
            {
                foreach (var delivery in batch)
                {
                    leased.Add((delivery.Id, "w" + w));
                }
            }
        })));

        Assert.Equal(200, leased.Count);
        Assert.Equal(200, leased.Select(l => l.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_lease_respects_its_limits_and_skips_busy_endpoints()
    {
        var store = Store();
        WebhookEndpoint[] endpoints = [Endpoint("we_a", V2011), Endpoint("we_b", V2024)];
        foreach (var endpoint in endpoints)
        {
            await store.AddEndpointAsync(endpoint);
        }

        for (int i = 0; i < 5; i++)
        {
            await store.AddEventAsync(Event("evt_" + i, V2024), Renderings(V2024, V2011), endpoints);
        }

        var first = await store.LeaseAsync(Lease("w1", max: 3, perEndpoint: 1));
        Assert.Equal(["we_a", "we_b"], first.Select(d => d.EndpointId).Order());
        var second = await store.LeaseAsync(Lease("w1", max: 10, busy: ["we_a"]));
        Assert.Equal(4, second.Count);
        Assert.All(second, d => Assert.Equal("we_b", d.EndpointId));

        var leased = first.Single(d => d.EndpointId == "we_a");
        Assert.Equal((1, V2011, "whsec_we_a", "https://example.com/we_a"), (leased.Attempt, leased.ApiVersion, leased.Secret, leased.Url.ToString()));
        Assert.Equal("{\"at\":\"2011-08-01\"}", System.Text.Encoding.UTF8.GetString(leased.Body.Span));
        Assert.Empty(await store.LeaseAsync(Lease("w1", now: Now.AddSeconds(-10))));
    }

    [Fact]
    public async Task A_result_is_recorded_only_under_its_lease_and_a_lease_that_runs_out_makes_the_delivery_due_again()
    {
        var store = Store();
        var endpoint = Endpoint("we_1", V2011);
        await store.AddEndpointAsync(endpoint);
        await store.AddEventAsync(Event("evt_1", V2011), Renderings(V2011), [endpoint]);

        var first = Assert.Single(await store.LeaseAsync(Lease("w1")));
        Assert.Empty(await store.LeaseAsync(Lease("w2", now: Now.AddSeconds(30))));

        // The worker died: after its minute, another worker gets the delivery, and the first one's result is dropped.
        var second = Assert.Single(await store.LeaseAsync(Lease("w2", now: Now.AddMinutes(2))));
        Assert.Equal((first.Id, 2), (second.Id, second.Attempt));
        Assert.False(await CompleteAsync(store, Succeeded(first, "w1")));
        Assert.True(await CompleteAsync(store, Succeeded(second, "w2")));
        Assert.False(await CompleteAsync(store, Succeeded(second, "w2")));

        var delivery = Assert.Single(await store.GetDeliveriesAsync("evt_1"));
        Assert.Equal((WebhookDeliveryStatus.Succeeded, 2, 200, "w2"), (delivery.Status, delivery.Attempts, delivery.LastStatusCode, delivery.LastAttemptBy));
        Assert.Equal(Now.AddSeconds(2), delivery.DeliveredAt);
        Assert.Empty(await store.LeaseAsync(Lease("w3", now: Now.AddHours(1))));
    }

    [Fact]
    public async Task Results_recorded_together_are_each_recorded_or_not_by_their_own_lease()
    {
        var store = Store();
        WebhookEndpoint[] endpoints = [Endpoint("we_1", V2011), Endpoint("we_2", V2011)];
        foreach (var endpoint in endpoints)
        {
            await store.AddEndpointAsync(endpoint);
        }

        for (int i = 0; i < 3; i++)
        {
            await store.AddEventAsync(Event("evt_" + i, V2011), Renderings(V2011), endpoints);
        }

        var leased = await store.LeaseAsync(Lease("w1"));
        Assert.Equal(6, leased.Count);
        var stale = leased[0] with { Lease = Guid.NewGuid() };
        var recorded = await store.CompleteAsync([Succeeded(stale), .. leased.Skip(1).Select(d => new WebhookAttemptResult(d, d.EndpointId == "we_1", d.EndpointId == "we_1" ? 204 : 500, d.EndpointId == "we_1" ? null : "The endpoint answered 500.", Now.AddSeconds(2), Now.AddSeconds(60), "w1"))]);
        Assert.Equal([false, true, true, true, true, true], recorded);
        Assert.Equal(("we_1", "we_2"), (leased[0].EndpointId, leased[1].EndpointId));
        Assert.Equal((0, 3), ((await store.FindEndpointAsync("acct_1", "we_1"))!.ConsecutiveFailures, (await store.FindEndpointAsync("acct_1", "we_2"))!.ConsecutiveFailures));
        Assert.Equal(WebhookDeliveryStatus.Pending, (await store.GetDeliveriesAsync("evt_0"))[0].Status);
        Assert.Empty(await store.CompleteAsync([]));
    }

    [Fact]
    public async Task Batches_of_results_from_two_machines_for_the_same_endpoints_are_all_recorded()
    {
        // Two machines record, at the same moment, batches whose results name the same endpoints in opposite orders, as
        // two instances' workers do. A batch that is not recorded has its deliveries made again when their leases run out
        // (a full run once made 5 of 120 deliveries twice this way), so each must be recorded, whatever its order. Failures
        // write their endpoint, so two failing endpoints in opposite orders are what could deadlock; the PostgreSQL stores
        // here wait 10 s before they look for a deadlock, so one would show as a round over its bound, not be retried away.
        var store = Store();
        WebhookEndpoint[] endpoints = [Endpoint("we_1", V2011), Endpoint("we_2", V2011), Endpoint("we_3", V2011)];
        foreach (var endpoint in endpoints)
        {
            await store.AddEndpointAsync(endpoint);
        }

        for (int i = 0; i < 80; i++)
        {
            await store.AddEventAsync(Event("evt_" + i, V2011), Renderings(V2011), endpoints);
        }

        IWebhookStore[] machines = [store, Store()];
        var leased = await store.LeaseAsync(Lease("w1", max: 240));
        Assert.Equal(240, leased.Count);
        for (int round = 0; round < 8; round++)
        {
            var chunk = leased.Skip(round * 30).Take(30).ToArray();
            WebhookAttemptResult Result(LeasedDelivery d, int machine)
                => d.EndpointId == "we_2"
                    ? Succeeded(d, "w" + machine)
                    : new(d, false, 500, "The endpoint answered 500.", Now.AddSeconds(2), Now.AddSeconds(60), "w" + machine);

            var recorded = await Task.WhenAll(
                Task.Run(() => machines[0].CompleteAsync([.. chunk.Where((_, i) => i % 2 == 0).OrderBy(d => d.EndpointId, StringComparer.Ordinal).Select(d => Result(d, 0))])),
                Task.Run(() => machines[1].CompleteAsync([.. chunk.Where((_, i) => i % 2 == 1).OrderByDescending(d => d.EndpointId, StringComparer.Ordinal).Select(d => Result(d, 1))])))
                .WaitAsync(TimeSpan.FromSeconds(8));
            Assert.All(recorded.SelectMany(r => r), Assert.True);
        }

        Assert.Equal(80, (await store.FindEndpointAsync("acct_1", "we_1"))!.ConsecutiveFailures);
        Assert.Equal(80, (await store.FindEndpointAsync("acct_1", "we_3"))!.ConsecutiveFailures);
        Assert.Equal(0, (await store.FindEndpointAsync("acct_1", "we_2"))!.ConsecutiveFailures);
    }

    [Fact]
    public async Task Results_for_one_endpoint_apply_in_the_order_given_so_the_endpoint_ends_as_its_last_attempt_left_it()
    {
        var store = Store();
        var endpoint = Endpoint("we_1", V2011);
        await store.AddEndpointAsync(endpoint);
        await store.AddEventAsync(Event("evt_1", V2011), Renderings(V2011), [endpoint]);
        await store.AddEventAsync(Event("evt_2", V2011), Renderings(V2011), [endpoint]);
        var leased = await store.LeaseAsync(Lease("w1"));
        Assert.Equal(2, leased.Count);

        // The later delivery failed first, then the earlier one succeeded: the endpoint is healthy.
        var recorded = await store.CompleteAsync(
        [
            new WebhookAttemptResult(leased[1], false, 500, "The endpoint answered 500.", Now.AddSeconds(2), Now.AddSeconds(60), "w1"),
            Succeeded(leased[0]),
        ]);
        Assert.Equal([true, true], recorded);
        var healthy = (await store.FindEndpointAsync("acct_1", "we_1"))!;
        Assert.Equal((0, (DateTimeOffset?)null), (healthy.ConsecutiveFailures, healthy.FailingSince));
    }

    [Fact]
    public async Task Failures_count_on_the_endpoint_a_retry_waits_and_a_spent_schedule_disables_the_endpoint()
    {
        var store = Store();
        var endpoint = Endpoint("we_1", V2011);
        await store.AddEndpointAsync(endpoint);
        await store.AddEventAsync(Event("evt_1", V2011), Renderings(V2011), [endpoint]);

        var first = Assert.Single(await store.LeaseAsync(Lease("w1")));
        Assert.True(await CompleteAsync(store, new WebhookAttemptResult(first, false, 500, "The endpoint answered 500.", Now.AddSeconds(2), Now.AddSeconds(30), "w1")));
        Assert.Empty(await store.LeaseAsync(Lease("w1", now: Now.AddSeconds(29))));
        var failing = (await store.FindEndpointAsync("acct_1", "we_1"))!;
        Assert.Equal((WebhookEndpointStatus.Enabled, 1, Now.AddSeconds(2)), (failing.Status, failing.ConsecutiveFailures, failing.FailingSince));

        var second = Assert.Single(await store.LeaseAsync(Lease("w1", now: Now.AddSeconds(31))));
        Assert.True(await CompleteAsync(store, new WebhookAttemptResult(second, false, null, "No answer.", Now.AddSeconds(40), null, "w1")));
        var delivery = Assert.Single(await store.GetDeliveriesAsync("evt_1"));
        Assert.Equal((WebhookDeliveryStatus.Failed, 2, null, "No answer."), (delivery.Status, delivery.Attempts, delivery.LastStatusCode, delivery.LastError));
        var disabled = (await store.FindEndpointAsync("acct_1", "we_1"))!;
        Assert.Equal((WebhookEndpointStatus.Disabled, 2, Now.AddSeconds(2)), (disabled.Status, disabled.ConsecutiveFailures, disabled.FailingSince));
    }

    [Fact]
    public async Task An_endpoint_disabled_by_a_spent_schedule_is_enabled_again_with_its_failures_cleared_and_only_by_its_account()
    {
        var store = Store();
        var endpoint = Endpoint("we_1", V2011);
        await store.AddEndpointAsync(endpoint);
        await store.AddEventAsync(Event("evt_1", V2011), Renderings(V2011), [endpoint]);
        var only = Assert.Single(await store.LeaseAsync(Lease("w1")));
        Assert.True(await CompleteAsync(store, new WebhookAttemptResult(only, false, 500, "The endpoint answered 500.", Now.AddSeconds(2), null, "w1")));
        Assert.Equal(WebhookEndpointStatus.Disabled, (await store.FindEndpointAsync("acct_1", "we_1"))!.Status);

        Assert.False(await store.SetEndpointStatusAsync("acct_2", "we_1", WebhookEndpointStatus.Enabled));
        Assert.False(await store.SetEndpointStatusAsync("acct_1", "we_9", WebhookEndpointStatus.Enabled));
        var untouched = (await store.FindEndpointAsync("acct_1", "we_1"))!;
        Assert.Equal((WebhookEndpointStatus.Disabled, 1, (DateTimeOffset?)Now.AddSeconds(2)), (untouched.Status, untouched.ConsecutiveFailures, untouched.FailingSince));

        // Disabled by hand (again), it keeps its count of failures; enabled, they are cleared.
        Assert.True(await store.SetEndpointStatusAsync("acct_1", "we_1", WebhookEndpointStatus.Disabled));
        var kept = (await store.FindEndpointAsync("acct_1", "we_1"))!;
        Assert.Equal((WebhookEndpointStatus.Disabled, 1, (DateTimeOffset?)Now.AddSeconds(2)), (kept.Status, kept.ConsecutiveFailures, kept.FailingSince));
        Assert.True(await store.SetEndpointStatusAsync("acct_1", "we_1", WebhookEndpointStatus.Enabled));

        var enabled = (await store.FindEndpointAsync("acct_1", "we_1"))!;
        Assert.Equal((WebhookEndpointStatus.Enabled, 0, (DateTimeOffset?)null), (enabled.Status, enabled.ConsecutiveFailures, enabled.FailingSince));
        Assert.Equal(WebhookDeliveryStatus.Failed, Assert.Single(await store.GetDeliveriesAsync("evt_1")).Status);
    }

    [Fact]
    public async Task A_status_that_is_not_defined_or_a_missing_id_is_refused_and_changes_nothing()
    {
        var store = Store();
        await store.AddEndpointAsync(Endpoint("we_1", V2011));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetEndpointStatusAsync("acct_1", "we_1", (WebhookEndpointStatus)42));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetEndpointStatusAsync("acct_1", "", WebhookEndpointStatus.Disabled));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.SetEndpointStatusAsync(null!, "we_1", WebhookEndpointStatus.Disabled));
        Assert.Equal(WebhookEndpointStatus.Enabled, (await store.FindEndpointAsync("acct_1", "we_1"))!.Status);
    }

    [Fact]
    public async Task Deleting_an_endpoint_fails_its_pending_deliveries_and_only_its_accounts_delete_counts()
    {
        var store = Store();
        WebhookEndpoint[] endpoints = [Endpoint("we_1", V2011), Endpoint("we_2", V2011)];
        foreach (var endpoint in endpoints)
        {
            await store.AddEndpointAsync(endpoint);
        }

        await store.AddEventAsync(Event("evt_1", V2011), Renderings(V2011), endpoints);
        Assert.False(await store.DeleteEndpointAsync("acct_2", "we_1"));
        Assert.True(await store.DeleteEndpointAsync("acct_1", "we_1"));
        Assert.False(await store.DeleteEndpointAsync("acct_1", "we_1"));

        Assert.Equal(["we_2"], (await store.ListEndpointsAsync("acct_1")).Select(e => e.Id));
        var deliveries = await store.GetDeliveriesAsync("evt_1");
        Assert.Equal([WebhookDeliveryStatus.Failed, WebhookDeliveryStatus.Pending], deliveries.Select(d => d.Status));
        Assert.Equal("we_2", Assert.Single(await store.LeaseAsync(Lease("w1"))).EndpointId);
    }

    [Fact]
    public async Task An_endpoint_reads_back_as_it_was_written()
    {
        var store = Store();
        var endpoint = new WebhookEndpoint("we_1", "acct_1", new Uri("https://example.com/hooks?a=1&b=%20"), ["charge.succeeded", "*"], V2024, "whsec_x", Now);
        await store.AddEndpointAsync(endpoint);
        var read = (await store.FindEndpointAsync("acct_1", "we_1"))!;
        Assert.Equal((endpoint.Url, endpoint.ApiVersion, endpoint.Secret, endpoint.Created, WebhookEndpointStatus.Enabled, 0), (read.Url, read.ApiVersion, read.Secret, read.Created, read.Status, read.ConsecutiveFailures));
        Assert.Equal(endpoint.EnabledEvents, read.EnabledEvents);
        Assert.Null(await store.FindEndpointAsync("acct_2", "we_1"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddEndpointAsync(endpoint with { Id = "we_2", EnabledEvents = ["charge succeeded"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddEndpointAsync(endpoint with { Id = "we_3", EnabledEvents = [] }));
    }
}

public sealed class SqliteWebhookStoreContractTests : WebhookStoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("versionkit-sqlite-").FullName;

    protected override IWebhookStore CreateStore() => new SqliteWebhookStore("Data Source=" + Path.Combine(_directory, "app.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlWebhookStoreContractTests(PostgresFixture postgres) : WebhookStoreContractTests
{
    private string _database = null!;

    public override async Task InitializeAsync() => _database = await postgres.Cluster.CreateDatabaseAsync();

    // A store's session waits 10 s, not PostgreSQL's 1 s, before it looks for a deadlock: a deadlock between two stores
    // then shows as a test over its bound instead of being retried away, and in the deadlock made by hand below the store
    // is always the one that finds it (the test's own session waits 60 s).
    protected override IWebhookStore CreateStore() => new PostgreSqlWebhookStore(new Npgsql.NpgsqlConnectionStringBuilder(_database) { Options = "-c deadlock_timeout=10s" }.ConnectionString);

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_unavailable_not_an_error_of_another_kind()
    {
        var store = new PostgreSqlWebhookStore(new Npgsql.NpgsqlConnectionStringBuilder(_database) { Port = 1, Timeout = 2 }.ConnectionString);
        await Assert.ThrowsAsync<WebhookStoreUnavailableException>(() => store.ListEventsAsync("acct_1", 1));
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Results_that_meet_a_deadlock_are_recorded_on_a_second_try()
    {
        // Deleting an endpoint locks it, then its deliveries; recording a result locks the delivery, then its endpoint. Here
        // a transaction of the test takes that order, step by step, so that PostgreSQL must abort one of the two: the
        // recording (the test's session waits 60 s before it looks for a deadlock, the store's 10 s). The result is a
        // failure, since a success on an endpoint with no failures leaves the endpoint alone.
        var store = Store();
        var endpoint = Endpoint("we_1", V2011);
        await store.AddEndpointAsync(endpoint);
        await store.AddEventAsync(Event("evt_1", V2011), Renderings(V2011), [endpoint]);
        var delivery = Assert.Single(await store.LeaseAsync(Lease("w1")));

        await using var other = new Npgsql.NpgsqlConnection(_database);
        await other.OpenAsync();
        await using (var slow = new Npgsql.NpgsqlCommand("SET deadlock_timeout = '60s'", other))
        {
            await slow.ExecuteNonQueryAsync();
        }

        await using var transaction = await other.BeginTransactionAsync();
        await Execute(other, "UPDATE versionkit_webhook_endpoints SET url = url WHERE id = 'we_1'");
        var recording = store.CompleteAsync([new WebhookAttemptResult(delivery, false, 500, "The endpoint answered 500.", Now.AddSeconds(2), Now.AddSeconds(60), "w1")]);
        await WaitForLockWaitsAsync(1);
        var conflicting = Execute(other, "UPDATE versionkit_webhook_deliveries SET attempts = attempts WHERE id = " + delivery.Id);

        // The recording is aborted as the deadlock's victim, tries again and waits for the endpoint; the test's update
        // gets the delivery. Once the test's transaction ends, the second try records the result.
        await conflicting.WaitAsync(TimeSpan.FromSeconds(40));
        await transaction.RollbackAsync();
        Assert.Equal([true], await recording.WaitAsync(TimeSpan.FromSeconds(40)));
        var recorded = Assert.Single(await store.GetDeliveriesAsync("evt_1"));
        Assert.Equal((WebhookDeliveryStatus.Pending, 500), (recorded.Status, recorded.LastStatusCode));
        Assert.Equal(1, (await store.FindEndpointAsync("acct_1", "we_1"))!.ConsecutiveFailures);
    }

    private static async Task Execute(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitForLockWaitsAsync(int count)
    {
        await using var watcher = new Npgsql.NpgsqlConnection(_database);
        await watcher.OpenAsync();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, "the recording never waited for the endpoint's lock");
            await Task.Delay(20);
        }
    }
}
