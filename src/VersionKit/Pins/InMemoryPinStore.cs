namespace VersionKit.Pins;

/// <summary>Pins and usage in memory: for tests and single-process tools. Same semantics as the database stores.</summary>
public sealed class InMemoryPinStore : IApiVersionPinStore, IApiVersionUsageStore, IApiVersionPinImporter
{
    private readonly Dictionary<string, ApiVersionPin> _pins = new(StringComparer.Ordinal);
    private readonly List<PinChange> _changes = [];
    private readonly Dictionary<(string AccountId, ApiVersion Version), ApiVersionUsage> _usage = [];
    private readonly Lock _lock = new();

    /// <inheritdoc/>
    public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_pins.GetValueOrDefault(accountId));
        }
    }

    /// <inheritdoc/>
    public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            if (_pins.TryGetValue(change.AccountId, out var existing))
            {
                return Task.FromResult((existing, false));
            }

            var pin = new ApiVersionPin(change.AccountId, change.To, null, change.At, change.Reason);
            _pins[change.AccountId] = pin;
            _changes.Add(change with { From = null });
            return Task.FromResult((pin, true));
        }
    }

    /// <inheritdoc/>
    public async Task<long> ImportAsync(IEnumerable<PinChange> firstPins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firstPins);
        long pinned = 0;
        foreach (var change in firstPins)
        {
            if (change.From is not null)
            {
                throw new ArgumentException($"Only first pins are imported; the change of account '{change.AccountId}' is from {change.From}.", nameof(firstPins));
            }

            if ((await PinIfAbsentAsync(change, cancellationToken).ConfigureAwait(false)).Pinned)
            {
                pinned++;
            }
        }

        return pinned;
    }

    /// <inheritdoc/>
    public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            var current = _pins.GetValueOrDefault(change.AccountId);
            if (current is null || change.From is not { } from || current.Version != from)
            {
                throw new PinConflictException(change.AccountId, change.From ?? default, current?.Version);
            }

            var pin = new ApiVersionPin(change.AccountId, change.To, previousVersion, change.At, change.Reason);
            _pins[change.AccountId] = pin;
            _changes.Add(change);
            return Task.FromResult(pin);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<PinChange>>([.. _changes.Where(c => c.AccountId == accountId)]);
        }
    }

    /// <inheritdoc/>
    public Task RecordUsageAsync(IReadOnlyCollection<ApiVersionUsage> usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        lock (_lock)
        {
            foreach (var added in ApiVersionUsage.Merge(usage))
            {
                var key = (added.AccountId, added.Version);
                _usage[key] = _usage.TryGetValue(key, out var kept) ? ApiVersionUsage.Merge([kept, added])[0] : added;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiVersionUsage>> GetUsageAsync(ApiVersion version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ApiVersionUsage>>([.. _usage.Values.Where(u => u.Version == version).OrderByDescending(u => u.LastSeen).ThenBy(u => u.AccountId, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiVersionUsageSummary>> GetUsageSummaryAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var pinned = _pins.Values.GroupBy(p => p.Version).ToDictionary(g => g.Key, g => (long)g.Count());
            var seen = _usage.Values.GroupBy(u => u.Version).ToDictionary(g => g.Key, g => g.ToList());
            return Task.FromResult<IReadOnlyList<ApiVersionUsageSummary>>([.. pinned.Keys.Union(seen.Keys).Order().Select(version => seen.TryGetValue(version, out var usage)
                ? new ApiVersionUsageSummary(version, pinned.GetValueOrDefault(version), usage.Count, usage.Sum(u => u.Requests), usage.Max(u => u.LastSeen))
                : new ApiVersionUsageSummary(version, pinned.GetValueOrDefault(version), 0, 0, null))]);
        }
    }
}
