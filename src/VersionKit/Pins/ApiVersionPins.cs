using System.Collections.Concurrent;
using BitFaster.Caching.Lru;

namespace VersionKit.Pins;

/// <summary>How pins behave.</summary>
public sealed class PinOptions
{
    /// <summary>How long after an upgrade the account may roll back to its previous pin. Default 72 hours.</summary>
    public TimeSpan RollbackWindow { get; set; } = TimeSpan.FromHours(72);

    /// <summary>
    /// How long a pin read from the store is served from memory before it is read again. A change made through this
    /// instance is seen at once; one made elsewhere within this bound. Default 10 seconds.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many accounts' pins one instance keeps in memory, least recently used first out. An account not in memory is
    /// read from the store; while the store is down such an account gets an error, never a guessed version. About 200
    /// bytes per account with its key (docs/performance.md). Default 100,000.
    /// </summary>
    public int CacheCapacity { get; set; } = 100_000;

    /// <summary>
    /// How long a call to the store may take before it counts as the store being unavailable (a database that hangs rather
    /// than refuses). Default 5 seconds.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each instance writes the usage it counted (per account and version, the last time seen and a request
    /// count) to a store that keeps it (<see cref="IApiVersionUsageStore"/>): at most one write per account and version in
    /// this time, never on a request's path. Default 1 minute.
    /// </summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Accounts' pinned versions: the rules (pin on the first request, forward-only upgrades, rollback within a window), a
/// bounded-time cache in front of the <see cref="IApiVersionPinStore"/>, and the promise that a store that cannot be
/// read never changes what a caller gets: the cached pin is served, or the call fails, and no account is re-pinned.
/// </summary>
public sealed class ApiVersionPins
{
    /// <summary>The actor recorded for the automatic pin of an account's first request.</summary>
    public const string FirstRequestActor = "first_request";

    private readonly ApiHistory _history;
    private readonly IApiVersionPinStore _store;
    private readonly TimeProvider _clock;
    private readonly PinOptions _options;
    private readonly ConcurrentLru<string, CachedPin> _cache;

    // The store reads in flight, one per account: concurrent misses of one account wait for the same read.
    private readonly ConcurrentDictionary<string, Task<ApiVersionPin?>> _reads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ApiVersionPin>> _resolutions = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _epoch;

    /// <summary>Creates the service over <paramref name="store"/>.</summary>
    public ApiVersionPins(ApiHistory history, IApiVersionPinStore store, TimeProvider? clock = null, PinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(store);
        _history = history;
        _store = store;
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new PinOptions();
        if (_options.CacheCapacity < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.CacheCapacity, "PinOptions.CacheCapacity must be at least 3.");
        }

        _cache = new ConcurrentLru<string, CachedPin>(Environment.ProcessorCount, _options.CacheCapacity, StringComparer.Ordinal);
        _epoch = _clock.GetUtcNow();
    }

    /// <summary>How many accounts' pins are in memory now (at most <see cref="PinOptions.CacheCapacity"/>).</summary>
    public int CachedCount => _cache.Count;

    /// <summary>Raised after every pin change this instance made (first pins included), for logs and metrics.</summary>
    public event Action<PinChange>? Changed;

    /// <summary>Raised when the store could not be read and the account's pin as last seen was served instead, for logs and metrics.</summary>
    public event Action<string, PinStoreUnavailableException>? ServedFromCache;

    /// <summary>The account's pin, from memory while fresh; <see langword="null"/> when it has none.</summary>
    /// <exception cref="PinStoreUnavailableException">The store cannot be read and no pin of the account is in memory.</exception>
    public async Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        bool cached = _cache.TryGet(accountId, out var known);
        if (cached && Now() < known.FreshUntil)
        {
            return known.ToPin(accountId, _history);
        }

        try
        {
            return await Once(_reads, accountId, ReadAsync).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PinStoreUnavailableException exception) when (cached)
        {
            // Stale is right: it is the account's pin as last seen; the latest version would be a guess.
            ServedFromCache?.Invoke(accountId, exception);
            return known.ToPin(accountId, _history);
        }
    }

    /// <summary>
    /// The account's pin; an account without one is pinned to the latest stable release now (its first request), once,
    /// however many first requests run at the same time on however many machines: never to a preview.
    /// </summary>
    /// <exception cref="PinStoreUnavailableException">The store cannot be used and no pin of the account is in memory.</exception>
    public async Task<ApiVersionPin> GetOrPinAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        bool cached = _cache.TryGet(accountId, out var known);
        if (cached && Now() < known.FreshUntil)
        {
            return known.ToPin(accountId, _history);
        }

        try
        {
            return await Once(_resolutions, accountId, ReadOrPinAsync).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PinStoreUnavailableException exception) when (cached)
        {
            ServedFromCache?.Invoke(accountId, exception);
            return known.ToPin(accountId, _history);
        }
    }

    /// <summary>Pins a new account to <paramref name="version"/> (an account created at a known version); an account already pinned keeps its pin.</summary>
    /// <exception cref="PinChangeRefusedException"><paramref name="version"/> is not a version of the history, or is a preview.</exception>
    public Task<ApiVersionPin> AssignAsync(string accountId, ApiVersion version, PinActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        EnsurePinnable(version);
        return PinIfAbsentAsync(new PinChange(accountId, null, version, _clock.GetUtcNow(), Recorded(actor), PinChangeReason.Assigned), cancellationToken);
    }

    /// <summary>Moves the account's pin forward to <paramref name="version"/>. The old pin stays available for a rollback within the window.</summary>
    /// <exception cref="PinChangeRefusedException">The version is unknown, a preview, the same as the pin, or older than it.</exception>
    public async Task<ApiVersionPin> UpgradeAsync(string accountId, ApiVersion version, PinActor actor, CancellationToken cancellationToken = default)
    {
        EnsurePinnable(version);
        var current = await ReadThroughAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (version == current.Version)
        {
            throw new PinChangeRefusedException($"Account '{accountId}' is already pinned to {version}.");
        }

        if (version < current.Version)
        {
            throw new PinChangeRefusedException(
                $"Account '{accountId}' is pinned to {current.Version}; a pin only moves forward, so {version} is refused. Within {Describe(_options.RollbackWindow)} of an upgrade, roll back instead.");
        }

        return await ChangeAsync(new PinChange(accountId, current.Version, version, _clock.GetUtcNow(), Recorded(actor), PinChangeReason.Upgrade), current.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the account to the pin it had before its last upgrade, if that upgrade is within the rollback window.</summary>
    /// <exception cref="PinChangeRefusedException">There is no upgrade to undo, or the window has closed.</exception>
    public async Task<ApiVersionPin> RollbackAsync(string accountId, PinActor actor, CancellationToken cancellationToken = default)
    {
        var current = await ReadThroughAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (current.Reason != PinChangeReason.Upgrade || current.PreviousVersion is not { } previous)
        {
            throw new PinChangeRefusedException($"Account '{accountId}' has no upgrade to roll back; it is pinned to {current.Version}.");
        }

        var now = _clock.GetUtcNow();
        var deadline = current.ChangedAt + _options.RollbackWindow;
        if (now > deadline)
        {
            throw new PinChangeRefusedException(
                $"The upgrade of account '{accountId}' to {current.Version} was on {current.ChangedAt:u}; the {Describe(_options.RollbackWindow)} rollback window closed on {deadline:u}.");
        }

        return await ChangeAsync(new PinChange(accountId, current.Version, previous, now, Recorded(actor), PinChangeReason.Rollback), null, cancellationToken).ConfigureAwait(false);
    }

    private static string Recorded(PinActor actor)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor.Id, nameof(actor));
        return actor.ToString();
    }

    /// <summary>Every change of the account's pin, oldest first.</summary>
    public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default)
        => CallStoreAsync(token => _store.GetChangesAsync(accountId, token), cancellationToken);

    private async Task<ApiVersionPin> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken)
    {
        var (pin, pinned) = await CallStoreAsync(token => _store.PinIfAbsentAsync(change, token), cancellationToken).ConfigureAwait(false);
        Remember(pin);
        if (pinned)
        {
            Changed?.Invoke(change);
        }

        return pin;
    }

    private async Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken)
    {
        ApiVersionPin pin;
        try
        {
            pin = await CallStoreAsync(token => _store.ChangeAsync(change, previousVersion, token), cancellationToken).ConfigureAwait(false);
        }
        catch (PinConflictException)
        {
            _cache.TryRemove(change.AccountId);
            throw;
        }

        Remember(pin);
        Changed?.Invoke(change);
        return pin;
    }

    // Changes are decided on the store's pin, never the cache's: the cache may be a few seconds behind another machine.
    private async Task<ApiVersionPin> ReadThroughAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        var pin = await CallStoreAsync(token => _store.FindAsync(accountId, token), cancellationToken).ConfigureAwait(false)
            ?? await PinIfAbsentAsync(new PinChange(accountId, null, _history.Latest, _clock.GetUtcNow(), FirstRequestActor, PinChangeReason.FirstRequest), cancellationToken).ConfigureAwait(false);
        Remember(pin);
        return pin;
    }

    // A store that does not answer is a store that is down: the caller gets the cached pin or a 503, not a hung request.
    private async Task<T> CallStoreAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StoreTimeout);
        try
        {
            return await call(timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PinStoreUnavailableException($"The pin store did not answer within {_options.StoreTimeout.TotalSeconds:0.###} s.", exception);
        }
    }

    private void Remember(ApiVersionPin pin)
    {
        if (CachedPin.TryCreate(pin, _history, Now() + (int)Math.Ceiling(_options.CacheDuration.Ticks / (double)TicksPerUnit), out var cached))
        {
            _cache.AddOrUpdate(pin.AccountId, cached);
        }
    }

    // The cache's clock: tenths of a second since this instance started, which an int holds for six years.
    private const long TicksPerUnit = TimeSpan.TicksPerMillisecond * 100;

    private int Now() => (int)((_clock.GetUtcNow() - _epoch).Ticks / TicksPerUnit);

    private async Task<ApiVersionPin?> ReadAsync(string accountId)
    {
        // Not the first caller's token: the read is shared, and one caller giving up must not fail the others.
        var pin = await CallStoreAsync(token => _store.FindAsync(accountId, token), CancellationToken.None).ConfigureAwait(false);
        if (pin is not null)
        {
            Remember(pin);
        }

        return pin;
    }

    // A request that misses while another resolves the account waits for it: one read, and one first pin, per instance.
    private async Task<ApiVersionPin> ReadOrPinAsync(string accountId)
        => await Once(_reads, accountId, ReadAsync).ConfigureAwait(false)
            ?? await PinIfAbsentAsync(new PinChange(accountId, null, _history.Latest, _clock.GetUtcNow(), FirstRequestActor, PinChangeReason.FirstRequest), CancellationToken.None).ConfigureAwait(false);

    // Runs `work` for the account unless it is already running, and hands every caller the same task.
    private static Task<T> Once<T>(ConcurrentDictionary<string, Task<T>> running, string accountId, Func<string, Task<T>> work)
    {
        while (true)
        {
            if (running.TryGetValue(accountId, out var task))
            {
                return task;
            }

            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (running.TryAdd(accountId, done.Task))
            {
                _ = RunAsync(running, accountId, work, done);
                return done.Task;
            }
        }
    }

    private static async Task RunAsync<T>(ConcurrentDictionary<string, Task<T>> running, string accountId, Func<string, Task<T>> work, TaskCompletionSource<T> done)
    {
        try
        {
            done.SetResult(await work(accountId).ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            done.SetException(exception);
        }
        finally
        {
            running.TryRemove(KeyValuePair.Create(accountId, done.Task));
        }
    }

    private void EnsurePinnable(ApiVersion version)
    {
        if (!_history.IsKnown(version))
        {
            throw new PinChangeRefusedException($"{version} is not a version of this API. Valid versions: {string.Join(", ", _history.Versions)}.");
        }

        if (_history.GetRelease(version).IsPreview)
        {
            throw new PinChangeRefusedException(
                $"{version} is a preview: it is served only to calls that name it in the version header, and an account cannot be pinned to it. Pin a stable release; the latest is {_history.Latest}.");
        }
    }

    private static string Describe(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
        ? $"{span.TotalHours:0}-hour"
        : $"{span.TotalMinutes:0}-minute";
}
