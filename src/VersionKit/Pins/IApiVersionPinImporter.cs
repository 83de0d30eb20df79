namespace VersionKit.Pins;

/// <summary>
/// A pin store that takes many first pins at once: accounts brought over from another system, or a database seeded for a
/// load test, without a round trip per account.
/// </summary>
public interface IApiVersionPinImporter
{
    /// <summary>
    /// Pins every account of <paramref name="firstPins"/> that has no pin yet, with its audit row, as
    /// <see cref="IApiVersionPinStore.PinIfAbsentAsync"/> would one by one; an account already pinned keeps its pin.
    /// </summary>
    /// <returns>How many accounts were pinned.</returns>
    /// <exception cref="ArgumentException">A change is not a first pin (its <see cref="PinChange.From"/> is set).</exception>
    /// <exception cref="PinStoreUnavailableException">The store cannot be written; what was imported before stays.</exception>
    Task<long> ImportAsync(IEnumerable<PinChange> firstPins, CancellationToken cancellationToken = default);
}
