using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Payments.Api;
using VersionKit.Pins;
using VersionKit.PostgreSql;
using VersionKit.Sqlite;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// The pin cache in front of each store: bounded, one store read per account however many requests miss at once, the
/// store's pin given back exactly, and, while the store is down, a cached pin served and an evicted account refused.
/// </summary>
[Trait("Category", "Reliability")]
public abstract class PinCacheTests : IAsyncLifetime
{
    private static readonly ApiHistory History = PaymentsApiHistory.Default;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    protected abstract IApiVersionPinStore CreateStore();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A real store whose calls are counted, can be held at a gate, and can be made to fail.</summary>
    private sealed class CountingStore(IApiVersionPinStore inner) : IApiVersionPinStore
    {
        public int Finds;
        public int Pins;
        public volatile bool Failing;
        public TaskCompletionSource Gate { get; set; } = CompletedGate();

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }

        public async Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Finds);
            await Gate.Task;
            return Failing ? throw new PinStoreUnavailableException("down (test)") : await inner.FindAsync(accountId, cancellationToken);
        }

        public async Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Pins);
            await Gate.Task;
            return Failing ? throw new PinStoreUnavailableException("down (test)") : await inner.PinIfAbsentAsync(change, cancellationToken);
        }

        public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default)
            => inner.ChangeAsync(change, previousVersion, cancellationToken);

        public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default)
            => inner.GetChangesAsync(accountId, cancellationToken);
    }

    private (ApiVersionPins Pins, CountingStore Store, IApiVersionPinStore Direct) Create(int capacity = 1_000)
    {
        var direct = CreateStore();
        var store = new CountingStore(direct);
        return (new ApiVersionPins(History, store, _clock, new PinOptions { CacheCapacity = capacity }), store, direct);
    }

    private static string NewAccount() => "acct_" + Guid.NewGuid().ToString("N")[..12];

    private PinChange First(string account, ApiVersion version)
        => new(account, null, version, _clock.GetUtcNow(), ApiVersionPins.FirstRequestActor, PinChangeReason.FirstRequest);

    [Fact]
    public async Task Two_hundred_concurrent_requests_of_an_uncached_account_make_one_store_read()
    {
        var (pins, store, direct) = Create();
        string account = NewAccount();
        await direct.PinIfAbsentAsync(First(account, ApiVersion.Parse("2013-02-13")));

        store.Gate = new TaskCompletionSource();
        var requests = Enumerable.Range(0, 200).Select(_ => Task.Run(() => pins.GetOrPinAsync(account))).ToArray();
        await Task.Delay(100);
        store.Gate.SetResult();
        var served = await Task.WhenAll(requests);

        Assert.Equal(1, store.Finds);
        Assert.Equal(0, store.Pins);
        Assert.All(served, pin => Assert.Equal(ApiVersion.Parse("2013-02-13"), pin.Version));
    }

    [Fact]
    public async Task Two_hundred_concurrent_first_requests_of_a_new_account_make_one_read_and_one_pin()
    {
        var (pins, store, direct) = Create();
        string account = NewAccount();

        store.Gate = new TaskCompletionSource();
        var requests = Enumerable.Range(0, 200).Select(_ => Task.Run(() => pins.GetOrPinAsync(account))).ToArray();
        await Task.Delay(100);
        store.Gate.SetResult();
        var served = await Task.WhenAll(requests);

        Assert.Equal(1, store.Finds);
        Assert.Equal(1, store.Pins);
        Assert.All(served, pin => Assert.Equal(History.Latest, pin.Version));
        Assert.Single(await direct.GetChangesAsync(account));
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_an_evicted_account_is_read_again()
    {
        var (pins, store, direct) = Create(capacity: 10);
        var accounts = Enumerable.Range(0, 50).Select(_ => NewAccount()).ToList();
        foreach (string account in accounts)
        {
            await direct.PinIfAbsentAsync(First(account, ApiVersion.Parse("2014-05-19")));
            await pins.GetOrPinAsync(account);
        }

        Assert.InRange(pins.CachedCount, 1, 10);
        int reads = store.Finds;
        await pins.GetOrPinAsync(accounts[0]);
        Assert.Equal(reads + 1, store.Finds);
    }

    [Fact]
    public async Task While_the_store_is_down_a_cached_pin_is_served_and_an_evicted_account_is_refused_never_guessed()
    {
        var (pins, store, direct) = Create(capacity: 10);
        string evicted = NewAccount();
        await direct.PinIfAbsentAsync(First(evicted, ApiVersion.Parse("2011-08-01")));
        await pins.GetOrPinAsync(evicted);
        var recent = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            string account = NewAccount();
            await direct.PinIfAbsentAsync(First(account, ApiVersion.Parse("2016-07-06")));
            await pins.GetOrPinAsync(account);
            recent.Add(account);
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        store.Failing = true;
        var served = await pins.GetOrPinAsync(recent[^1]);
        Assert.Equal(ApiVersion.Parse("2016-07-06"), served.Version);
        await Assert.ThrowsAsync<PinStoreUnavailableException>(() => pins.GetOrPinAsync(evicted));
        Assert.Equal(0, store.Pins);
    }

    [Fact]
    public async Task A_pin_from_the_cache_is_the_stores_pin_exactly_whatever_its_reason()
    {
        var (pins, _, direct) = Create();
        string account = NewAccount();
        await direct.PinIfAbsentAsync(First(account, ApiVersion.Parse("2011-08-01")));
        await pins.UpgradeAsync(account, ApiVersion.Parse("2014-05-19"), PinActor.Account(account));
        var upgraded = await direct.FindAsync(account);
        Assert.Equal(upgraded, await pins.FindAsync(account));
        Assert.Equal(upgraded, await pins.FindAsync(account));

        await pins.RollbackAsync(account, PinActor.Operator("support"));
        var rolledBack = await direct.FindAsync(account);
        Assert.Equal(rolledBack, await pins.FindAsync(account));

        string assigned = NewAccount();
        await pins.AssignAsync(assigned, ApiVersion.Parse("2019-12-03"), PinActor.Operator("import"));
        Assert.Equal(await direct.FindAsync(assigned), await pins.FindAsync(assigned));
    }
}

public sealed class InMemoryPinCacheTests : PinCacheTests
{
    private readonly InMemoryPinStore _store = new();

    protected override IApiVersionPinStore CreateStore() => _store;
}

public sealed class SqlitePinCacheTests : PinCacheTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("versionkit-pincache-").FullName;

    protected override IApiVersionPinStore CreateStore() => new SqlitePinStore("Data Source=" + Path.Combine(_directory, "pins.db"));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPinCacheTests(PostgresFixture postgres) : PinCacheTests
{
    private string _database = null!;

    public override async Task InitializeAsync() => _database = await postgres.Cluster.CreateDatabaseAsync();

    protected override IApiVersionPinStore CreateStore() => new PostgreSqlPinStore(_database);
}
