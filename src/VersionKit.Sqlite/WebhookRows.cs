using System.Data.Common;

namespace VersionKit.Webhooks;

// One file compiled into both SQL stores (VersionKit.PostgreSql links it), so that they store statuses and check what a
// caller hands in alike.
internal static class WebhookRows
{
    public const string EndpointDeleted = "The endpoint was deleted.";

    // The rows as both stores select them (their columns in the order of the constants below); times differ by store.
    public const string EndpointColumns = "id, account_id, url, enabled_events, api_version, secret, created_at, status, consecutive_failures, failing_since";

    public const string EventColumns = "e.id, e.account_id, e.type, e.api_version, e.created_at, e.payload, r.body";

    public const string EventJoin = "versionkit_events e JOIN versionkit_event_renderings r ON r.event_id = e.id AND r.api_version = e.api_version";

    public const string DeliveryColumns = "id, event_id, endpoint_id, api_version, status, attempts, next_attempt_at, last_status_code, last_error, last_attempt_by, delivered_at";

    public const string LeasedColumns = "d.id, d.attempts, d.event_id, d.endpoint_id, e.url, e.secret, d.api_version, r.body";

    public static WebhookEndpoint ReadEndpoint(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new(
        reader.GetString(0),
        reader.GetString(1),
        new Uri(reader.GetString(2)),
        reader.GetString(3).Split(' '),
        ApiVersion.Parse(reader.GetString(4)),
        reader.GetString(5),
        time(reader, 6))
    {
        Status = ReadEndpointStatus(reader.GetString(7)),
        ConsecutiveFailures = reader.GetInt32(8),
        FailingSince = reader.IsDBNull(9) ? null : time(reader, 9),
    };

    public static ApiEvent ReadEvent(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        ApiVersion.Parse(reader.GetString(3)),
        time(reader, 4),
        reader.GetFieldValue<byte[]>(5),
        reader.GetFieldValue<byte[]>(6));

    public static WebhookDelivery ReadDelivery(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        ApiVersion.Parse(reader.GetString(3)),
        ReadDeliveryStatus(reader.GetString(4)),
        reader.GetInt32(5),
        time(reader, 6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : time(reader, 10));

    public static LeasedDelivery ReadLeased(DbDataReader reader, Guid lease, DateTimeOffset leasedUntil) => new(
        reader.GetInt64(0),
        lease,
        leasedUntil,
        reader.GetInt32(1),
        reader.GetString(2),
        reader.GetString(3),
        new Uri(reader.GetString(4)),
        reader.GetString(5),
        ApiVersion.Parse(reader.GetString(6)),
        reader.GetFieldValue<byte[]>(7));

    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbDataReader reader, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static string Write(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "pending",
        WebhookDeliveryStatus.Succeeded => "succeeded",
        _ => "failed",
    };

    public static WebhookDeliveryStatus ReadDeliveryStatus(string text) => text switch
    {
        "pending" => WebhookDeliveryStatus.Pending,
        "succeeded" => WebhookDeliveryStatus.Succeeded,
        "failed" => WebhookDeliveryStatus.Failed,
        _ => throw new InvalidOperationException($"Unknown delivery status '{text}' in the store."),
    };

    public static string Write(WebhookEndpointStatus status) => status switch
    {
        WebhookEndpointStatus.Enabled => "enabled",
        WebhookEndpointStatus.Disabled => "disabled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "An endpoint is enabled or disabled."),
    };

    public static WebhookEndpointStatus ReadEndpointStatus(string text) => text switch
    {
        "enabled" => WebhookEndpointStatus.Enabled,
        "disabled" => WebhookEndpointStatus.Disabled,
        _ => throw new InvalidOperationException($"Unknown endpoint status '{text}' in the store."),
    };

    public static WebhookDeliveryStatus StatusAfter(WebhookAttemptResult result)
        => result.Succeeded ? WebhookDeliveryStatus.Succeeded : result.RetryAt is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;

    // Event types are stored space-separated.
    public static void CheckEventTypes(IReadOnlyList<string> types)
    {
        if (types.Count == 0 || types.Any(t => string.IsNullOrEmpty(t) || t.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("An endpoint takes at least one event type, each non-empty and without whitespace.", nameof(types));
        }
    }

    public static void CheckEvent(ApiEvent apiEvent, IReadOnlyCollection<EventRendering> renderings, IReadOnlyCollection<WebhookEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(apiEvent);
        ArgumentNullException.ThrowIfNull(renderings);
        ArgumentNullException.ThrowIfNull(endpoints);
        var versions = renderings.Select(r => r.ApiVersion).ToHashSet();
        if (versions.Count != renderings.Count || !versions.Contains(apiEvent.ApiVersion))
        {
            throw new ArgumentException("The renderings must hold one per version, the event's own among them.", nameof(renderings));
        }

        if (endpoints.FirstOrDefault(e => !versions.Contains(e.ApiVersion)) is { } missing)
        {
            throw new ArgumentException($"Endpoint '{missing.Id}' takes {missing.ApiVersion}, and the event has no rendering at it.", nameof(endpoints));
        }
    }

    public static void CheckLease(WebhookLeaseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Worker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Max);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.PerEndpoint);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero);
    }

    // How many of the oldest due deliveries one lease looks at.
    public static int ScanLimit(WebhookLeaseRequest request) => (int)Math.Min((long)request.Max * request.PerEndpoint * 4, 4096);

    // Endpoint ids are ours (letters, digits, '_'), but quote them properly anyway.
    public static string JsonArray(IReadOnlyCollection<string> values)
        => "[" + string.Join(",", values.Select(v => System.Text.Json.JsonEncodedText.Encode(v).ToString()).Select(v => "\"" + v + "\"")) + "]";
}
