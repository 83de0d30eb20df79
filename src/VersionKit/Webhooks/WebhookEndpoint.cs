namespace VersionKit.Webhooks;

/// <summary>A URL an account has asked to receive its events at, at a version of its own.</summary>
/// <param name="Id">The endpoint's id (<c>we_...</c>).</param>
/// <param name="AccountId">The account whose events it receives.</param>
/// <param name="Url">Where deliveries are posted.</param>
/// <param name="EnabledEvents">The event types it receives; <c>*</c> for every type.</param>
/// <param name="ApiVersion">The version its events are rendered at.</param>
/// <param name="Secret">The secret deliveries are signed with (<c>whsec_...</c>).</param>
/// <param name="Created">When it was created.</param>
public sealed record WebhookEndpoint(string Id, string AccountId, Uri Url, IReadOnlyList<string> EnabledEvents, ApiVersion ApiVersion, string Secret, DateTimeOffset Created)
{
    /// <summary>
    /// <see cref="WebhookEndpointStatus.Disabled"/> once a delivery to it has failed every attempt of the retry schedule:
    /// it then gets no new events.
    /// </summary>
    public WebhookEndpointStatus Status { get; init; }

    /// <summary>Attempts that failed since its last successful delivery.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>The first failed attempt since its last successful delivery; <see langword="null"/> while it is healthy.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>Whether it receives events of <paramref name="eventType"/>.</summary>
    public bool Receives(string eventType) => EnabledEvents.Contains("*") || EnabledEvents.Contains(eventType);
}

/// <summary>Whether an endpoint gets new events.</summary>
public enum WebhookEndpointStatus
{
    /// <summary>It gets every new event of its types.</summary>
    Enabled,

    /// <summary>A delivery to it failed every attempt of the schedule; it gets no new events.</summary>
    Disabled,
}

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Not yet received: waiting for its first attempt or its next retry, or being attempted.</summary>
    Pending,

    /// <summary>The endpoint answered an attempt with a 2xx status.</summary>
    Succeeded,

    /// <summary>Every attempt of the schedule failed, or the endpoint was deleted first.</summary>
    Failed,
}

/// <summary>One event on its way to one endpoint, as the outbox records it.</summary>
/// <param name="Id">The delivery's id in the outbox.</param>
/// <param name="EventId">The event.</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="ApiVersion">The version the event is delivered at (the endpoint's).</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">Attempts begun so far, including one in progress.</param>
/// <param name="NextAttemptAt">When it is next due (while pending).</param>
/// <param name="LastStatusCode">The HTTP status of the last finished attempt, if the endpoint answered.</param>
/// <param name="LastError">What went wrong in the last finished attempt, if it failed.</param>
/// <param name="LastAttemptBy">The worker that finished the last attempt.</param>
/// <param name="DeliveredAt">When an attempt succeeded.</param>
public sealed record WebhookDelivery(
    long Id,
    string EventId,
    string EndpointId,
    ApiVersion ApiVersion,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    string? LastAttemptBy,
    DateTimeOffset? DeliveredAt);

/// <summary>A delivery handed to one worker for one attempt, until <see cref="LeasedUntil"/>; then it is due again unless the attempt was recorded.</summary>
/// <param name="Id">The delivery's id in the outbox.</param>
/// <param name="Lease">This attempt's lease: recording its result needs it, so an attempt whose lease ran out cannot overwrite a later one.</param>
/// <param name="LeasedUntil">When the lease runs out.</param>
/// <param name="Attempt">This attempt's number, from 1.</param>
/// <param name="EventId">The event.</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Url">Where to post it.</param>
/// <param name="Secret">The endpoint's signing secret.</param>
/// <param name="ApiVersion">The version it is rendered at.</param>
/// <param name="Body">The event at that version (UTF-8 JSON).</param>
public sealed record LeasedDelivery(
    long Id,
    Guid Lease,
    DateTimeOffset LeasedUntil,
    int Attempt,
    string EventId,
    string EndpointId,
    Uri Url,
    string Secret,
    ApiVersion ApiVersion,
    ReadOnlyMemory<byte> Body);

/// <summary>What the outbox hands a worker: at most <paramref name="Max"/> due deliveries, at most <paramref name="PerEndpoint"/> of each endpoint.</summary>
/// <param name="Worker">Who asks (recorded with each attempt).</param>
/// <param name="Max">At most this many deliveries.</param>
/// <param name="PerEndpoint">At most this many of one endpoint.</param>
/// <param name="ExcludedEndpoints">Endpoints the worker is still busy with: none of theirs.</param>
/// <param name="Now">The time: deliveries due at or before it.</param>
/// <param name="Duration">How long the lease lasts.</param>
public sealed record WebhookLeaseRequest(string Worker, int Max, int PerEndpoint, IReadOnlyCollection<string> ExcludedEndpoints, DateTimeOffset Now, TimeSpan Duration);

/// <summary>How one attempt ended.</summary>
/// <param name="Delivery">The delivery as it was leased for the attempt.</param>
/// <param name="Succeeded">The endpoint answered 2xx.</param>
/// <param name="StatusCode">The status it answered, if it answered.</param>
/// <param name="Error">What went wrong, if it failed (a status, a timeout, a refused connection).</param>
/// <param name="At">When the attempt ended.</param>
/// <param name="RetryAt">When to try again after a failure; <see langword="null"/> when the schedule is spent (the delivery fails, the endpoint is disabled).</param>
/// <param name="Worker">Who made the attempt.</param>
public sealed record WebhookAttemptResult(LeasedDelivery Delivery, bool Succeeded, int? StatusCode, string? Error, DateTimeOffset At, DateTimeOffset? RetryAt, string Worker);

/// <summary>The webhook store could not be read or written (connection lost, database down). Nothing was changed.</summary>
public sealed class WebhookStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebhookStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
