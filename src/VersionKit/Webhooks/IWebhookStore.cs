namespace VersionKit.Webhooks;

/// <summary>
/// Where events, webhook endpoints and the outbox of deliveries live: in the pins' database (SQLite for one machine,
/// PostgreSQL for many), so that an event and its deliveries are written in one transaction and any machine can deliver
/// them. Implementations turn connection failures into <see cref="WebhookStoreUnavailableException"/>.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Adds an endpoint.</summary>
    Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    /// <summary>The account's endpoint <paramref name="endpointId"/>, or <see langword="null"/>.</summary>
    Task<WebhookEndpoint?> FindEndpointAsync(string accountId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>The account's endpoints, oldest first.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the account's endpoint; its pending deliveries fail. Returns whether there was one.</summary>
    Task<bool> DeleteEndpointAsync(string accountId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Disables or enables the account's endpoint. A disabled endpoint is queued no new event (its pending deliveries are
    /// still made); enabling one, as after a spent retry schedule, also clears its failures in a row. Returns whether
    /// there was one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined status.</exception>
    Task<bool> SetEndpointStatusAsync(string accountId, string endpointId, WebhookEndpointStatus status, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the event, its renderings and one pending delivery to each of <paramref name="endpoints"/> (at the endpoint's
    /// version, whose rendering must be among <paramref name="renderings"/>), in one transaction. An event whose id is
    /// already recorded is left as it was, and nothing is written: returns <see langword="false"/>.
    /// </summary>
    Task<bool> AddEventAsync(ApiEvent apiEvent, IReadOnlyCollection<EventRendering> renderings, IReadOnlyCollection<WebhookEndpoint> endpoints, CancellationToken cancellationToken = default);

    /// <summary>The account's event <paramref name="eventId"/>, or <see langword="null"/>.</summary>
    Task<ApiEvent?> FindEventAsync(string accountId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>The account's <paramref name="limit"/> newest events, newest first.</summary>
    Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string accountId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The event's JSON at <paramref name="version"/>, if it was ever rendered at it; <see langword="null"/> otherwise.</summary>
    Task<ReadOnlyMemory<byte>?> FindRenderingAsync(string eventId, ApiVersion version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps <paramref name="rendering"/> unless the event already has one at that version, and returns the one kept: the
    /// first rendering of an event at a version is its rendering there forever.
    /// </summary>
    Task<ReadOnlyMemory<byte>> AddRenderingAsync(string eventId, EventRendering rendering, CancellationToken cancellationToken = default);

    /// <summary>The event's deliveries, one per endpoint it was sent to, in the order they were queued.</summary>
    Task<IReadOnlyList<WebhookDelivery>> GetDeliveriesAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases due deliveries to one worker for one attempt each, oldest due first: each attempt is made by one worker,
    /// whatever the number of machines. A delivery whose lease runs out before its result is recorded (the worker died,
    /// the database was unreachable) is due again.
    /// </summary>
    Task<IReadOnlyList<LeasedDelivery>> LeaseAsync(WebhookLeaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records how attempts ended, in one transaction, each on its delivery and its endpoint (failures in a row; disabled
    /// when the schedule is spent), if the lease is still the attempt's. Returns, in order, whether each was recorded: not
    /// when the lease ran out and the delivery was leased again, and then nothing of it is changed.
    /// </summary>
    Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<WebhookAttemptResult> results, CancellationToken cancellationToken = default);
}
