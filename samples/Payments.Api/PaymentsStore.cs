using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Payments.Api;

/// <summary>The sample's data, in memory: every object by id, and events newest first.</summary>
public sealed class PaymentsStore(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, object> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Charge> _chargesByIdempotencyKey = new(StringComparer.Ordinal);
    private readonly List<Event> _events = [];
    private readonly Lock _eventsLock = new();

    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    public static string NewId(string prefix) => prefix + "_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 14);

    public void Add(string id, object value) => _objects[id] = value;

    public T? Find<T>(string id)
        where T : class
        => _objects.TryGetValue(id, out var value) ? value as T : null;

    /// <summary>The charge made earlier with <paramref name="key"/>, or the one <paramref name="create"/> makes now.</summary>
    public Charge ChargeOnce(string? key, Func<Charge> create)
    {
        if (key is null)
        {
            return create();
        }

        // A retried request with the same key gets the first charge back and records nothing twice.
        return _chargesByIdempotencyKey.GetOrAdd(key, _ => create());
    }

    public void Record(Event @event)
    {
        lock (_eventsLock)
        {
            _events.Insert(0, @event);
        }

        Add(@event.Id, @event);
    }

    public IReadOnlyList<Event> Events(int limit, out bool hasMore)
    {
        lock (_eventsLock)
        {
            hasMore = _events.Count > limit;
            return _events.Take(limit).ToArray();
        }
    }
}
