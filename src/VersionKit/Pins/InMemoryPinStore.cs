namespace VersionKit.Pins;

/// <summary>Pins in memory: for tests and single-process tools. Same semantics as the database stores.</summary>
public sealed class InMemoryPinStore : IApiVersionPinStore, IApiVersionPinImporter
{
    private readonly Dictionary<string, ApiVersionPin> _pins = new(StringComparer.Ordinal);
    private readonly List<PinChange> _changes = [];
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
}
