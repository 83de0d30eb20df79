namespace VersionKit.Webhooks;

/// <summary>What an event object is made for: the version it is rendered at, and how many endpoints it goes to.</summary>
/// <param name="ApiVersion">The version the object is rendered at (an event's <c>api_version</c>, as Stripe's says: the version of its <c>data</c>).</param>
/// <param name="PendingWebhooks">How many webhook endpoints the event was queued for when it was made.</param>
public readonly record struct ApiEventContext(ApiVersion ApiVersion, int PendingWebhooks);

/// <summary>
/// Events as Stripe has them: made at the account's version when they happen and rendered at it forever after; sent to
/// each webhook endpoint at the endpoint's own version, rendered once per distinct version among the endpoints; each
/// rendering kept with the event, so that the bytes of an event at a version never change, whatever the history or the
/// code become later. Registered by <c>.AddWebhooks()</c>; thread-safe.
/// </summary>
public sealed class ApiEvents
{
    private readonly ApiRenderer _renderer;
    private readonly IWebhookStore _store;
    private readonly TimeProvider _time;
    private readonly WebhookSignal? _published;

    /// <summary>Creates the service over the app's renderer and webhook store.</summary>
    public ApiEvents(ApiRenderer renderer, IWebhookStore store, TimeProvider? time = null)
        : this(renderer, store, time ?? TimeProvider.System, null)
    {
    }

    internal ApiEvents(ApiRenderer renderer, IWebhookStore store, TimeProvider time, WebhookSignal? published)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(store);
        _renderer = renderer;
        _store = store;
        _time = time;
        _published = published;
    }

    /// <summary>Where the events, endpoints and deliveries live.</summary>
    public IWebhookStore Store => _store;

    /// <summary>
    /// Records an event that just happened to <paramref name="accountId"/>, made at <paramref name="version"/> (the
    /// account's version now): renders it at that version and once at each other version among the account's enabled
    /// endpoints that take <paramref name="type"/>, and writes the event, its renderings and one delivery per endpoint in one
    /// transaction. An event id already recorded changes nothing, and the event recorded first is returned.
    /// </summary>
    /// <param name="accountId">The account it happened to.</param>
    /// <param name="eventId">The event's id; the same id again (a retried request) records nothing twice.</param>
    /// <param name="type">What happened (<c>charge.succeeded</c>).</param>
    /// <param name="version">The account's version now.</param>
    /// <param name="create">Makes the app's event object (a resource of the history) for a version.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a version of the history.</exception>
    /// <exception cref="WebhookStoreUnavailableException">The store cannot be written; nothing was recorded.</exception>
    public async Task<ApiEvent> PublishAsync<T>(string accountId, string eventId, string type, ApiVersion version, Func<ApiEventContext, T> create, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(create);
        EnsureKnown(version);

        var endpoints = (await _store.ListEndpointsAsync(accountId, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Status == WebhookEndpointStatus.Enabled && e.Receives(type))
            .ToList();
        var renderings = Render(v => create(new ApiEventContext(v, endpoints.Count)), version, endpoints.Select(e => e.ApiVersion));
        var body = renderings[0].Body;
        // The code's own shape is the newest version, previews included: the latest stable release would drop a preview's
        // fields from the payload, and a reader at the preview would get them back empty.
        var current = _renderer.History.Versions[^1];
        var payload = version == current ? body : _renderer.RenderToUtf8Bytes(create(new ApiEventContext(version, endpoints.Count)), current);
        var apiEvent = new ApiEvent(eventId, accountId, type, version, _time.GetUtcNow(), payload, body);
        if (!await _store.AddEventAsync(apiEvent, renderings, endpoints, cancellationToken).ConfigureAwait(false))
        {
            return await _store.FindEventAsync(accountId, eventId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The event '{eventId}' is recorded for another account.");
        }

        if (endpoints.Count > 0)
        {
            _published?.Set();
        }

        return apiEvent;
    }

    /// <summary>
    /// Renders an event at <paramref name="version"/> and at each of <paramref name="endpointVersions"/>, once per distinct
    /// version: <paramref name="version"/>'s first, then the others in the order they first appear.
    /// </summary>
    /// <param name="eventAt">Makes the app's event object for a version.</param>
    /// <param name="version">The version the event is made at.</param>
    /// <param name="endpointVersions">The versions of the endpoints it goes to, repeated as often as they are.</param>
    public IReadOnlyList<EventRendering> Render<T>(Func<ApiVersion, T> eventAt, ApiVersion version, IEnumerable<ApiVersion> endpointVersions)
    {
        ArgumentNullException.ThrowIfNull(eventAt);
        ArgumentNullException.ThrowIfNull(endpointVersions);
        var renderings = new List<EventRendering>();
        var seen = new HashSet<ApiVersion>();
        foreach (var target in endpointVersions.Prepend(version))
        {
            if (seen.Add(target))
            {
                renderings.Add(new EventRendering(target, _renderer.RenderToUtf8Bytes(eventAt(target), target)));
            }
        }

        return renderings;
    }

    /// <summary>
    /// The event at <paramref name="version"/>: its own body at its own version; elsewhere the rendering kept from the
    /// first time it was rendered there (for an endpoint, or a reader who named the version), or a new one made from its
    /// payload by <paramref name="read"/> and kept.
    /// </summary>
    /// <param name="apiEvent">The event.</param>
    /// <param name="version">The version a reader asked for.</param>
    /// <param name="read">Makes the app's event object, at a version, from the event's payload.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a version of the history.</exception>
    public async Task<ReadOnlyMemory<byte>> RenderAsync<T>(ApiEvent apiEvent, ApiVersion version, Func<ApiEvent, ApiVersion, T> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apiEvent);
        ArgumentNullException.ThrowIfNull(read);
        if (version == apiEvent.ApiVersion)
        {
            return apiEvent.Body;
        }

        EnsureKnown(version);
        if (await _store.FindRenderingAsync(apiEvent.Id, version, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return kept;
        }

        var body = _renderer.RenderToUtf8Bytes(read(apiEvent, version), version);
        return await _store.AddRenderingAsync(apiEvent.Id, new EventRendering(version, body), cancellationToken).ConfigureAwait(false);
    }

    private void EnsureKnown(ApiVersion version)
    {
        if (!_renderer.History.Versions.Contains(version))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"{version} is not a version of {_renderer.History.GetType().Name}.");
        }
    }
}
