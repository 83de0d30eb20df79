using System.Globalization;
using Microsoft.Data.Sqlite;
using VersionKit.Pins;
using VersionKit.Webhooks;

namespace VersionKit.Sqlite;

/// <summary>
/// Events, webhook endpoints and the outbox of deliveries in the SQLite file of the pins (tables prefixed
/// <c>versionkit_</c>, migrated with the pins' schema). An event, its renderings and its deliveries are written in one
/// transaction; writes take SQLite's write lock, so a delivery is leased to one worker at a time, whatever the number of
/// processes sharing the file.
/// </summary>
public sealed class SqliteWebhookStore : IWebhookStore
{
    // Migration 2 of the pins' file (SqlitePinStore.Migrations). Times are Unix milliseconds.
    internal const string Schema = """
        CREATE TABLE versionkit_webhook_endpoints (
            id TEXT NOT NULL PRIMARY KEY,
            account_id TEXT NOT NULL,
            url TEXT NOT NULL,
            enabled_events TEXT NOT NULL,
            api_version TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            consecutive_failures INTEGER NOT NULL,
            failing_since INTEGER NULL);
        CREATE INDEX versionkit_webhook_endpoints_account ON versionkit_webhook_endpoints (account_id, created_at);
        CREATE TABLE versionkit_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            account_id TEXT NOT NULL,
            type TEXT NOT NULL,
            api_version TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            payload BLOB NOT NULL);
        CREATE INDEX versionkit_events_account ON versionkit_events (account_id, seq);
        CREATE TABLE versionkit_event_renderings (
            event_id TEXT NOT NULL,
            api_version TEXT NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (event_id, api_version));
        CREATE TABLE versionkit_webhook_deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL,
            endpoint_id TEXT NOT NULL,
            api_version TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            lease TEXT NULL,
            last_status_code INTEGER NULL,
            last_error TEXT NULL,
            last_attempt_by TEXT NULL,
            delivered_at INTEGER NULL);
        CREATE INDEX versionkit_webhook_deliveries_due ON versionkit_webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
        CREATE INDEX versionkit_webhook_deliveries_event ON versionkit_webhook_deliveries (event_id, id);
        CREATE INDEX versionkit_webhook_deliveries_lease ON versionkit_webhook_deliveries (lease) WHERE lease IS NOT NULL;
        """;

    private readonly SqlitePinStore _database;

    /// <summary>Creates the store over the SQLite connection string of the pins (<c>Data Source=app.db</c>).</summary>
    public SqliteWebhookStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _database = new SqlitePinStore(connectionString);
    }

    /// <inheritdoc/>
    public Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        WebhookRows.CheckEventTypes(endpoint.EnabledEvents);
        return RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO versionkit_webhook_endpoints ({WebhookRows.EndpointColumns}) VALUES ($id, $account, $url, $events, $version, $secret, $created, $status, $failures, $failing)";
            command.Parameters.AddWithValue("$id", endpoint.Id);
            command.Parameters.AddWithValue("$account", endpoint.AccountId);
            command.Parameters.AddWithValue("$url", endpoint.Url.AbsoluteUri);
            command.Parameters.AddWithValue("$events", string.Join(' ', endpoint.EnabledEvents));
            command.Parameters.AddWithValue("$version", endpoint.ApiVersion.ToString());
            command.Parameters.AddWithValue("$secret", endpoint.Secret);
            command.Parameters.AddWithValue("$created", endpoint.Created.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$status", WebhookRows.Write(endpoint.Status));
            command.Parameters.AddWithValue("$failures", endpoint.ConsecutiveFailures);
            command.Parameters.AddWithValue("$failing", (object?)endpoint.FailingSince?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<WebhookEndpoint?> FindEndpointAsync(string accountId, string endpointId, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {WebhookRows.EndpointColumns} FROM versionkit_webhook_endpoints WHERE account_id = $account AND id = $id";
            command.Parameters.AddWithValue("$account", accountId);
            command.Parameters.AddWithValue("$id", endpointId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? WebhookRows.ReadEndpoint(reader, Time) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string accountId, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<WebhookEndpoint>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {WebhookRows.EndpointColumns} FROM versionkit_webhook_endpoints WHERE account_id = $account ORDER BY created_at, id";
            command.Parameters.AddWithValue("$account", accountId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadEndpoint(r, Time), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteEndpointAsync(string accountId, string endpointId, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var delete = Command(connection, transaction, "DELETE FROM versionkit_webhook_endpoints WHERE account_id = $account AND id = $id");
            delete.Parameters.AddWithValue("$account", accountId);
            delete.Parameters.AddWithValue("$id", endpointId);
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await using var fail = Command(connection, transaction, "UPDATE versionkit_webhook_deliveries SET status = 'failed', lease = NULL, last_error = $error WHERE endpoint_id = $id AND status = 'pending'");
            fail.Parameters.AddWithValue("$id", endpointId);
            fail.Parameters.AddWithValue("$error", WebhookRows.EndpointDeleted);
            await fail.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> SetEndpointStatusAsync(string accountId, string endpointId, WebhookEndpointStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(endpointId);
        string written = WebhookRows.Write(status);
        return RunAsync(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var update = Command(connection, transaction, """
                UPDATE versionkit_webhook_endpoints
                SET status = $status,
                    consecutive_failures = CASE WHEN $enabled THEN 0 ELSE consecutive_failures END,
                    failing_since = CASE WHEN $enabled THEN NULL ELSE failing_since END
                WHERE account_id = $account AND id = $id
                """);
            update.Parameters.AddWithValue("$status", written);
            update.Parameters.AddWithValue("$enabled", status == WebhookEndpointStatus.Enabled);
            update.Parameters.AddWithValue("$account", accountId);
            update.Parameters.AddWithValue("$id", endpointId);
            bool found = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return found;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> AddEventAsync(ApiEvent apiEvent, IReadOnlyCollection<EventRendering> renderings, IReadOnlyCollection<WebhookEndpoint> endpoints, CancellationToken cancellationToken = default)
    {
        WebhookRows.CheckEvent(apiEvent, renderings, endpoints);
        return RunAsync(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (var insert = Command(connection, transaction, "INSERT INTO versionkit_events (id, account_id, type, api_version, created_at, payload) VALUES ($id, $account, $type, $version, $created, $payload) ON CONFLICT (id) DO NOTHING"))
            {
                insert.Parameters.AddWithValue("$id", apiEvent.Id);
                insert.Parameters.AddWithValue("$account", apiEvent.AccountId);
                insert.Parameters.AddWithValue("$type", apiEvent.Type);
                insert.Parameters.AddWithValue("$version", apiEvent.ApiVersion.ToString());
                insert.Parameters.AddWithValue("$created", apiEvent.Created.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$payload", apiEvent.Payload.ToArray());
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }
            }

            await using (var rendering = Command(connection, transaction, "INSERT INTO versionkit_event_renderings (event_id, api_version, body) VALUES ($event, $version, $body)"))
            {
                var version = rendering.Parameters.Add("$version", SqliteType.Text);
                var body = rendering.Parameters.Add("$body", SqliteType.Blob);
                rendering.Parameters.AddWithValue("$event", apiEvent.Id);
                foreach (var item in renderings)
                {
                    version.Value = item.ApiVersion.ToString();
                    body.Value = item.Body.ToArray();
                    await rendering.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var delivery = Command(connection, transaction, "INSERT INTO versionkit_webhook_deliveries (event_id, endpoint_id, api_version, status, attempts, next_attempt_at) VALUES ($event, $endpoint, $version, 'pending', 0, $due)"))
            {
                var endpoint = delivery.Parameters.Add("$endpoint", SqliteType.Text);
                var version = delivery.Parameters.Add("$version", SqliteType.Text);
                delivery.Parameters.AddWithValue("$event", apiEvent.Id);
                delivery.Parameters.AddWithValue("$due", apiEvent.Created.ToUnixTimeMilliseconds());
                foreach (var item in endpoints)
                {
                    endpoint.Value = item.Id;
                    version.Value = item.ApiVersion.ToString();
                    await delivery.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ApiEvent?> FindEventAsync(string accountId, string eventId, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {WebhookRows.EventColumns} FROM {WebhookRows.EventJoin} WHERE e.account_id = $account AND e.id = $id";
            command.Parameters.AddWithValue("$account", accountId);
            command.Parameters.AddWithValue("$id", eventId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? WebhookRows.ReadEvent(reader, Time) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string accountId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return RunAsync<IReadOnlyList<ApiEvent>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {WebhookRows.EventColumns} FROM {WebhookRows.EventJoin} WHERE e.account_id = $account ORDER BY e.seq DESC LIMIT $limit";
            command.Parameters.AddWithValue("$account", accountId);
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadEvent(r, Time), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>?> FindRenderingAsync(string eventId, ApiVersion version, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM versionkit_event_renderings WHERE event_id = $event AND api_version = $version";
            command.Parameters.AddWithValue("$event", eventId);
            command.Parameters.AddWithValue("$version", version.ToString());
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] body ? (ReadOnlyMemory<byte>?)body : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>> AddRenderingAsync(string eventId, EventRendering rendering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rendering);
        return RunAsync(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (var insert = Command(connection, transaction, "INSERT INTO versionkit_event_renderings (event_id, api_version, body) SELECT $event, $version, $body WHERE EXISTS (SELECT 1 FROM versionkit_events WHERE id = $event) ON CONFLICT (event_id, api_version) DO NOTHING"))
            {
                insert.Parameters.AddWithValue("$event", eventId);
                insert.Parameters.AddWithValue("$version", rendering.ApiVersion.ToString());
                insert.Parameters.AddWithValue("$body", rendering.Body.ToArray());
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var read = Command(connection, transaction, "SELECT body FROM versionkit_event_renderings WHERE event_id = $event AND api_version = $version");
            read.Parameters.AddWithValue("$event", eventId);
            read.Parameters.AddWithValue("$version", rendering.ApiVersion.ToString());
            var kept = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[]
                ?? throw new ArgumentException($"No event '{eventId}' is recorded.", nameof(eventId));
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (ReadOnlyMemory<byte>)kept;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookDelivery>> GetDeliveriesAsync(string eventId, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<WebhookDelivery>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {WebhookRows.DeliveryColumns} FROM versionkit_webhook_deliveries WHERE event_id = $event ORDER BY id";
            command.Parameters.AddWithValue("$event", eventId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadDelivery(r, Time), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<LeasedDelivery>> LeaseAsync(WebhookLeaseRequest request, CancellationToken cancellationToken = default)
    {
        WebhookRows.CheckLease(request);
        var lease = Guid.NewGuid();
        var until = request.Now + request.Duration;
        return RunAsync<IReadOnlyList<LeasedDelivery>>(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);

            // The lease is the next attempt time moved past the attempt: if its result is never recorded, it is due again then.
            // Endpoints the worker is busy with are skipped before the scan's limit, so one slow endpoint's backlog cannot
            // hide everyone else's deliveries.
            await using (var take = Command(connection, transaction, """
                UPDATE versionkit_webhook_deliveries SET lease = $lease, next_attempt_at = $until, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM (
                        SELECT id, due, ROW_NUMBER() OVER (PARTITION BY endpoint_id ORDER BY due, id) AS n FROM (
                            SELECT id, endpoint_id, next_attempt_at AS due FROM versionkit_webhook_deliveries
                            WHERE status = 'pending' AND next_attempt_at <= $now AND endpoint_id NOT IN (SELECT value FROM json_each($busy))
                            ORDER BY next_attempt_at, id LIMIT $scan))
                    WHERE n <= $per ORDER BY due, id LIMIT $max)
                """))
            {
                take.Parameters.AddWithValue("$lease", lease.ToString());
                take.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
                take.Parameters.AddWithValue("$now", request.Now.ToUnixTimeMilliseconds());
                take.Parameters.AddWithValue("$busy", WebhookRows.JsonArray(request.ExcludedEndpoints));
                take.Parameters.AddWithValue("$scan", WebhookRows.ScanLimit(request));
                take.Parameters.AddWithValue("$per", request.PerEndpoint);
                take.Parameters.AddWithValue("$max", request.Max);
                if (await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return [];
                }
            }

            await using var read = Command(connection, transaction, $"""
                SELECT {WebhookRows.LeasedColumns}
                FROM versionkit_webhook_deliveries d
                JOIN versionkit_webhook_endpoints e ON e.id = d.endpoint_id
                JOIN versionkit_event_renderings r ON r.event_id = d.event_id AND r.api_version = d.api_version
                WHERE d.lease = $lease ORDER BY d.id
                """);
            read.Parameters.AddWithValue("$lease", lease.ToString());
            IReadOnlyList<LeasedDelivery> leased;
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                leased = await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadLeased(r, lease, until), cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return leased;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<WebhookAttemptResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        return RunAsync<IReadOnlyList<bool>>(async connection =>
        {
            // One transaction for the lot: one write to disk, however many attempts ended.
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var update = Command(connection, transaction, """
                UPDATE versionkit_webhook_deliveries
                SET status = $status, next_attempt_at = $next, lease = NULL, last_status_code = $code, last_error = $error, last_attempt_by = $worker, delivered_at = $delivered
                WHERE id = $id AND lease = $lease AND status = 'pending'
                """);
            await using var succeeded = Command(connection, transaction, "UPDATE versionkit_webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = $id");
            await using var failed = Command(connection, transaction, """
                UPDATE versionkit_webhook_endpoints
                SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, $at),
                    status = CASE WHEN $spent THEN 'disabled' ELSE status END
                WHERE id = $id
                """);
            var recorded = new List<bool>(results.Count);
            foreach (var result in results)
            {
                var status = WebhookRows.StatusAfter(result);
                update.Parameters.Clear();
                update.Parameters.AddWithValue("$status", WebhookRows.Write(status));
                update.Parameters.AddWithValue("$next", (result.RetryAt ?? result.At).ToUnixTimeMilliseconds());
                update.Parameters.AddWithValue("$code", (object?)result.StatusCode ?? DBNull.Value);
                update.Parameters.AddWithValue("$error", (object?)result.Error ?? DBNull.Value);
                update.Parameters.AddWithValue("$worker", result.Worker);
                update.Parameters.AddWithValue("$delivered", result.Succeeded ? result.At.ToUnixTimeMilliseconds() : DBNull.Value);
                update.Parameters.AddWithValue("$id", result.Delivery.Id);
                update.Parameters.AddWithValue("$lease", result.Delivery.Lease.ToString());
                bool mine = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
                recorded.Add(mine);
                if (!mine)
                {
                    continue;
                }

                var endpoint = result.Succeeded ? succeeded : failed;
                endpoint.Parameters.Clear();
                endpoint.Parameters.AddWithValue("$id", result.Delivery.EndpointId);
                if (!result.Succeeded)
                {
                    endpoint.Parameters.AddWithValue("$at", result.At.ToUnixTimeMilliseconds());
                    endpoint.Parameters.AddWithValue("$spent", status == WebhookDeliveryStatus.Failed);
                }

                await endpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return recorded;
        }, cancellationToken);
    }

    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _database.RunAsync(
                async connection =>
                {
                    // The worker's leases and results, and the app's own writes, take the write lock in turn. SQLite's busy
                    // handler waits for it in steps of milliseconds; left to Microsoft.Data.Sqlite's own retry of a busy
                    // statement, the outbox run of docs/performance.md delivered 138 a second instead of 2,979.
                    await using (var wait = connection.CreateCommand())
                    {
                        wait.CommandText = "PRAGMA busy_timeout = 30000";
                        await wait.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return await work(connection).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PinStoreUnavailableException exception)
        {
            var cause = exception.InnerException ?? exception;
            throw new WebhookStoreUnavailableException("The SQLite webhook store could not be used: " + cause.Message, cause);
        }
    }

    private static async Task<SqliteTransaction> BeginImmediateAsync(SqliteConnection connection, CancellationToken cancellationToken)
        => (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static DateTimeOffset Time(System.Data.Common.DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
