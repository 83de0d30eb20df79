using Microsoft.Data.Sqlite;
using VersionKit.Pins;
using VersionKit.PostgreSql;
using VersionKit.Sqlite;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// What every <see cref="IApiVersionPinStore"/> promises, run against each store: a first pin is made once however many
/// callers race for it, a change happens only from the pin it started from, and every pin change has its audit row.
/// </summary>
[Trait("Category", "Reliability")]
public abstract class PinStoreContractTests : IAsyncLifetime
{
    private static readonly ApiVersion V2011 = ApiVersion.Parse("2011-08-01");
    private static readonly ApiVersion V2014 = ApiVersion.Parse("2014-05-19");
    private static readonly ApiVersion V2017 = ApiVersion.Parse("2017-05-25");
    private static readonly ApiVersion V2024 = ApiVersion.Parse("2024-09-30.acacia");

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IApiVersionPinStore> _stores = [];

    /// <summary>Makes a store over the data of this test; stores made by one test share their data, as machines share a database.</summary>
    protected abstract IApiVersionPinStore CreateStore();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private IApiVersionPinStore Store()
    {
        var store = CreateStore();
        _stores.Add(store);
        return store;
    }

    private static string NewAccount() => "acct_" + Guid.NewGuid().ToString("N")[..12];

    private static PinChange First(string account, ApiVersion version, DateTimeOffset? at = null)
        => new(account, null, version, at ?? Now, ApiVersionPins.FirstRequestActor, PinChangeReason.FirstRequest);

    [Fact]
    public async Task An_account_without_a_pin_has_none_and_no_changes()
    {
        var store = Store();
        string account = NewAccount();
        Assert.Null(await store.FindAsync(account));
        Assert.Empty(await store.GetChangesAsync(account));
    }

    [Fact]
    public async Task The_first_pin_is_made_once_and_a_second_attempt_gets_the_first()
    {
        var store = Store();
        string account = NewAccount();
        var (pin, pinned) = await store.PinIfAbsentAsync(First(account, V2014));
        Assert.True(pinned);
        Assert.Equal(new ApiVersionPin(account, V2014, null, Now, PinChangeReason.FirstRequest), pin);

        var (again, pinnedAgain) = await store.PinIfAbsentAsync(new PinChange(account, null, V2024, Now.AddHours(1), "someone", PinChangeReason.Assigned));
        Assert.False(pinnedAgain);
        Assert.Equal(pin, again);
        Assert.Equal(pin, await store.FindAsync(account));

        var change = Assert.Single(await store.GetChangesAsync(account));
        Assert.Equal(new PinChange(account, null, V2014, Now, ApiVersionPins.FirstRequestActor, PinChangeReason.FirstRequest), change);
    }

    [Fact]
    public async Task Concurrent_first_pins_through_two_stores_pin_the_account_once()
    {
        var stores = new[] { Store(), Store() };
        var versions = new[] { V2011, V2014, V2017, V2024 };
        for (int round = 0; round < 5; round++)
        {
            string account = NewAccount();
            var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
                stores[i % 2].PinIfAbsentAsync(First(account, versions[i % versions.Length])))));

            var winner = Assert.Single(results, r => r.Pinned).Pin;
            Assert.All(results, r => Assert.Equal(winner, r.Pin));
            Assert.Equal(winner, await stores[1].FindAsync(account));
            Assert.Equal(winner.Version, Assert.Single(await stores[0].GetChangesAsync(account)).To);
        }
    }

    [Fact]
    public async Task A_change_moves_the_pin_keeps_the_previous_version_and_is_recorded_after_the_first()
    {
        var store = Store();
        string account = NewAccount();
        await store.PinIfAbsentAsync(First(account, V2011));
        var upgrade = new PinChange(account, V2011, V2017, Now.AddDays(1), "api_key", PinChangeReason.Upgrade);
        var pin = await store.ChangeAsync(upgrade, previousVersion: V2011);
        Assert.Equal(new ApiVersionPin(account, V2017, V2011, Now.AddDays(1), PinChangeReason.Upgrade), pin);
        Assert.Equal(pin, await Store().FindAsync(account));

        var rollback = new PinChange(account, V2017, V2011, Now.AddDays(2), "support", PinChangeReason.Rollback);
        pin = await store.ChangeAsync(rollback, previousVersion: null);
        Assert.Equal(new ApiVersionPin(account, V2011, null, Now.AddDays(2), PinChangeReason.Rollback), pin);

        Assert.Equal([First(account, V2011), upgrade, rollback], await store.GetChangesAsync(account));
    }

    [Fact]
    public async Task A_change_from_a_pin_that_is_no_longer_current_conflicts_and_changes_nothing()
    {
        var store = Store();
        string account = NewAccount();
        await store.PinIfAbsentAsync(First(account, V2011));
        await store.ChangeAsync(new PinChange(account, V2011, V2014, Now, "a", PinChangeReason.Upgrade), V2011);

        var conflict = await Assert.ThrowsAsync<PinConflictException>(() =>
            Store().ChangeAsync(new PinChange(account, V2011, V2024, Now, "b", PinChangeReason.Upgrade), V2011));
        Assert.Equal(account, conflict.AccountId);
        Assert.Contains("is 2014-05-19, not 2011-08-01", conflict.Message, StringComparison.Ordinal);

        Assert.Equal(V2014, (await store.FindAsync(account))!.Version);
        Assert.Equal(2, (await store.GetChangesAsync(account)).Count);
    }

    [Fact]
    public async Task A_change_of_an_account_without_a_pin_conflicts_and_pins_nothing()
    {
        var store = Store();
        string account = NewAccount();
        var conflict = await Assert.ThrowsAsync<PinConflictException>(() =>
            store.ChangeAsync(new PinChange(account, V2011, V2014, Now, "a", PinChangeReason.Upgrade), V2011));
        Assert.Contains("is absent", conflict.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync(account));
        Assert.Empty(await store.GetChangesAsync(account));
    }

    [Fact]
    public async Task Concurrent_changes_from_the_same_pin_through_two_stores_let_exactly_one_win()
    {
        var stores = new[] { Store(), Store() };
        string account = NewAccount();
        await stores[0].PinIfAbsentAsync(First(account, V2011));
        var targets = new[] { V2014, V2017, V2024 };
        var attempts = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                return await stores[i % 2].ChangeAsync(new PinChange(account, V2011, targets[i % 3], Now, "racer " + i, PinChangeReason.Upgrade), V2011);
            }
            catch (PinConflictException)
            {
                return null;
            }
        })).ToArray();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r is not null)!;
        Assert.Equal(winner, await stores[1].FindAsync(account));
        var changes = await stores[0].GetChangesAsync(account);
        Assert.Equal(2, changes.Count);
        Assert.Equal(winner.Version, changes[1].To);
    }

    [Fact]
    public async Task Changes_are_kept_per_account_oldest_first()
    {
        var store = Store();
        string a = NewAccount(), b = NewAccount();
        await store.PinIfAbsentAsync(First(a, V2011));
        await store.PinIfAbsentAsync(First(b, V2014));
        await store.ChangeAsync(new PinChange(a, V2011, V2014, Now.AddMinutes(1), "x", PinChangeReason.Upgrade), V2011);
        await store.ChangeAsync(new PinChange(b, V2014, V2024, Now.AddMinutes(2), "y", PinChangeReason.Upgrade), V2014);
        await store.ChangeAsync(new PinChange(a, V2014, V2017, Now.AddMinutes(3), "x", PinChangeReason.Upgrade), V2014);

        Assert.Equal([null, V2011, V2014], (await store.GetChangesAsync(a)).Select(c => c.From));
        Assert.Equal([V2014, V2024], (await store.GetChangesAsync(b)).Select(c => c.To));
    }

    private IApiVersionUsageStore UsageStore() => Assert.IsAssignableFrom<IApiVersionUsageStore>(Store());

    [Fact]
    public async Task Usage_is_recorded_per_account_and_version_and_read_back_with_the_pins()
    {
        var store = UsageStore();
        string a = NewAccount(), b = NewAccount();
        await ((IApiVersionPinStore)store).PinIfAbsentAsync(First(a, V2011));
        await ((IApiVersionPinStore)store).PinIfAbsentAsync(First(b, V2011));
        await store.RecordUsageAsync(
        [
            new ApiVersionUsage(a, V2011, Now, 3),
            new ApiVersionUsage(b, V2011, Now.AddMinutes(5), 1),
            new ApiVersionUsage(b, V2024, Now.AddMinutes(6), 7),
        ]);

        Assert.Equal([new ApiVersionUsage(b, V2011, Now.AddMinutes(5), 1), new ApiVersionUsage(a, V2011, Now, 3)], await store.GetUsageAsync(V2011));
        Assert.Equal([new ApiVersionUsage(b, V2024, Now.AddMinutes(6), 7)], await store.GetUsageAsync(V2024));
        Assert.Empty(await store.GetUsageAsync(V2017));
        var summary = (await store.GetUsageSummaryAsync()).Where(s => s.Version == V2011 || s.Version == V2024).ToList();
        Assert.Contains(new ApiVersionUsageSummary(V2024, 0, 1, 7, Now.AddMinutes(6)), summary);
        var old = Assert.Single(summary, s => s.Version == V2011);
        Assert.True(old.AccountsPinned >= 2 && old.AccountsSeen >= 2 && old.Requests >= 4, old.ToString());
    }

    [Fact]
    public async Task Batches_from_two_machines_add_up_and_keep_the_later_time_seen()
    {
        var machines = new[] { UsageStore(), UsageStore() };
        string account = NewAccount();
        await machines[0].RecordUsageAsync([new ApiVersionUsage(account, V2014, Now.AddHours(1), 5)]);
        await machines[1].RecordUsageAsync([new ApiVersionUsage(account, V2014, Now, 2), new ApiVersionUsage(account, V2014, Now.AddMinutes(1), 1)]);

        var usage = await machines[1].GetUsageAsync(V2014);
        Assert.Equal([new ApiVersionUsage(account, V2014, Now.AddHours(1), 8)], usage.Where(u => u.AccountId == account));
    }

    [Fact]
    public async Task Concurrent_batches_through_two_stores_lose_no_request()
    {
        var machines = new[] { UsageStore(), UsageStore() };
        string[] accounts = [NewAccount(), NewAccount(), NewAccount()];

        // Keys in either order in one batch: the stores lock rows in an order of their own.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => machines[i % 2].RecordUsageAsync(
            [.. (i % 2 == 0 ? accounts : accounts.Reverse()).Select(account => new ApiVersionUsage(account, V2017, Now.AddSeconds(i), 1))]))));

        var usage = (await machines[0].GetUsageAsync(V2017)).Where(u => accounts.Contains(u.AccountId)).ToList();
        Assert.Equal(48, usage.Sum(u => u.Requests));
        Assert.All(usage, u => Assert.Equal(Now.AddSeconds(15), u.LastSeen));
    }

    [Fact]
    public async Task What_a_write_returns_is_what_a_read_gives_back_whatever_the_account_id_and_time()
    {
        var store = Store();
        // Quotes, a statement, non-ASCII and a sub-microsecond time: stored verbatim, or to the store's precision on both sides.
        string account = "acct_'; DROP TABLE versionkit_pins; -- é" + Guid.NewGuid().ToString("N")[..6];
        var at = new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var (pin, _) = await store.PinIfAbsentAsync(First(account, V2017, at));

        Assert.Equal(pin, await Store().FindAsync(account));
        Assert.True((pin.ChangedAt - at).Duration() < TimeSpan.FromMilliseconds(1), $"{pin.ChangedAt:O} is not {at:O}");
        Assert.Equal(pin.ChangedAt, Assert.Single(await store.GetChangesAsync(account)).At);
        Assert.Equal(account, pin.AccountId);
    }

    [Fact]
    public async Task An_import_pins_the_accounts_without_a_pin_with_their_audit_rows_and_keeps_existing_pins()
    {
        var store = Store();
        var importer = Assert.IsAssignableFrom<IApiVersionPinImporter>(store);
        string existing = NewAccount();
        await store.PinIfAbsentAsync(First(existing, V2024));
        var accounts = Enumerable.Range(0, 60_000).Select(_ => NewAccount()).ToList();

        long pinned = await importer.ImportAsync([First(existing, V2011), .. accounts.Select(a => First(a, V2014)), First(accounts[7], V2017)]);

        Assert.Equal(accounts.Count, pinned);
        Assert.Equal(V2024, (await store.FindAsync(existing))!.Version);
        Assert.Single(await store.GetChangesAsync(existing));
        foreach (string account in new[] { accounts[0], accounts[7], accounts[^1] })
        {
            Assert.Equal(V2014, (await store.FindAsync(account))!.Version);
            Assert.Equal(First(account, V2014), Assert.Single(await store.GetChangesAsync(account)));
        }
    }

    [Fact]
    public async Task An_import_of_a_change_that_is_not_a_first_pin_is_refused()
    {
        var importer = Assert.IsAssignableFrom<IApiVersionPinImporter>(Store());
        var upgrade = new PinChange(NewAccount(), V2011, V2014, Now, "operator:test", PinChangeReason.Upgrade);
        await Assert.ThrowsAsync<ArgumentException>(() => importer.ImportAsync([upgrade]));
    }
}

public sealed class InMemoryPinStoreContractTests : PinStoreContractTests
{
    private readonly InMemoryPinStore _store = new();

    protected override IApiVersionPinStore CreateStore() => _store;
}

public sealed class SqlitePinStoreContractTests : PinStoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("versionkit-sqlite-").FullName;

    protected override IApiVersionPinStore CreateStore() => new SqlitePinStore("Data Source=" + Path.Combine(_directory, "pins.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_file_deleted_while_the_app_runs_is_an_outage_and_never_an_empty_file_that_pins_everyone_anew()
    {
        string file = Path.Combine(_directory, "gone.db");
        var store = new SqlitePinStore("Data Source=" + file);
        var change = new PinChange("acct_1", null, ApiVersion.Parse("2014-05-19"), DateTimeOffset.UnixEpoch, ApiVersionPins.FirstRequestActor, PinChangeReason.FirstRequest);
        await store.PinIfAbsentAsync(change);

        File.Delete(file);
        foreach (string sidecar in Directory.GetFiles(_directory, "gone.db-*"))
        {
            File.Delete(sidecar);
        }

        await Assert.ThrowsAsync<PinStoreUnavailableException>(() => store.FindAsync("acct_1"));
        await Assert.ThrowsAsync<PinStoreUnavailableException>(() => store.PinIfAbsentAsync(change with { AccountId = "acct_2" }));
        await Assert.ThrowsAsync<PinStoreUnavailableException>(() => store.RecordUsageAsync([new ApiVersionUsage("acct_1", change.To, DateTimeOffset.UnixEpoch, 1)]));
        Assert.False(File.Exists(file), "the store created the file again");
    }

    [Fact]
    public async Task A_file_of_the_schema_before_usage_is_migrated_and_keeps_its_pins()
    {
        string file = "Data Source=" + Path.Combine(_directory, "schema1.db");
        var change = new PinChange("acct_1", null, ApiVersion.Parse("2014-05-19"), DateTimeOffset.UnixEpoch, ApiVersionPins.FirstRequestActor, PinChangeReason.FirstRequest);
        await new SqlitePinStore(file).PinIfAbsentAsync(change);
        await using (var connection = new SqliteConnection(file))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE versionkit_webhook_deliveries; DROP TABLE versionkit_event_renderings; DROP TABLE versionkit_events; DROP TABLE versionkit_webhook_endpoints; DROP TABLE versionkit_version_usage; PRAGMA user_version = 1;";
            await command.ExecuteNonQueryAsync();
        }

        var store = new SqlitePinStore(file);
        await store.RecordUsageAsync([new ApiVersionUsage("acct_1", change.To, DateTimeOffset.UnixEpoch, 2)]);

        Assert.Equal(change.To, (await store.FindAsync("acct_1"))!.Version);
        Assert.Equal(new ApiVersionUsageSummary(change.To, 1, 1, 2, DateTimeOffset.UnixEpoch), Assert.Single(await store.GetUsageSummaryAsync()));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPinStoreContractTests(PostgresFixture postgres) : PinStoreContractTests
{
    private string _database = null!;

    public override async Task InitializeAsync() => _database = await postgres.Cluster.CreateDatabaseAsync();

    protected override IApiVersionPinStore CreateStore() => new PostgreSqlPinStore(_database);
}
