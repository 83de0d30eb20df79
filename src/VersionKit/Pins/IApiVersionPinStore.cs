namespace VersionKit.Pins;

/// <summary>
/// Where pins live: SQLite for one machine, PostgreSQL for many, in memory for tests. Every write is atomic with its
/// audit row. Implementations turn connection failures into <see cref="PinStoreUnavailableException"/>.
/// The rules (forward-only upgrades, the rollback window) and the cache live in <see cref="ApiVersionPins"/>, not here.
/// </summary>
public interface IApiVersionPinStore
{
    /// <summary>The account's pin, or <see langword="null"/> when it has none yet.</summary>
    Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pins the account to <paramref name="change"/>'s version if it has no pin, and records the change; if it has one,
    /// changes nothing. Returns the pin that holds afterwards, and whether this call made it. Concurrent calls for one
    /// account, on any machine, pin it once.
    /// </summary>
    Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the pin from <see cref="PinChange.From"/> to <see cref="PinChange.To"/> and records the change, in one transaction,
    /// only if the current pin is still <see cref="PinChange.From"/>; otherwise throws <see cref="PinConflictException"/>.
    /// <paramref name="previousVersion"/> becomes the pin's <see cref="ApiVersionPin.PreviousVersion"/>.
    /// </summary>
    Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default);

    /// <summary>Every change of the account's pin, oldest first.</summary>
    Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default);
}
