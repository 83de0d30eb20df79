using Npgsql;
using NpgsqlTypes;
using VersionKit.Pins;
using VersionKit.Webhooks;

namespace VersionKit.PostgreSql;

/// <summary>
/// Events, webhook endpoints and the outbox of deliveries in the pins' PostgreSQL database (tables prefixed
/// <c>versionkit_</c>, migrated with the pins' schema), for an API on many machines: an event, its renderings and its
/// deliveries are written in one transaction, and machines lease due deliveries with <c>FOR UPDATE SKIP LOCKED</c>, so
/// each attempt is made by one machine and none waits for another's.
/// </summary>
public sealed class PostgreSqlWebhookStore : IWebhookStore, IAsyncDisposable, IDisposable
{
    // Migration 2 of the pins' database (PostgreSqlPinStore.Migrations).
    internal const string Schema = """
        CREATE TABLE versionkit_webhook_endpoints (
            id text NOT NULL PRIMARY KEY,
            account_id text NOT NULL,
            url text NOT NULL,
            enabled_events text NOT NULL,
            api_version text NOT NULL,
            secret text NOT NULL,
            created_at timestamptz NOT NULL,
            status text NOT NULL,
            consecutive_failures integer NOT NULL,
            failing_since timestamptz NULL);
        CREATE INDEX versionkit_webhook_endpoints_account ON versionkit_webhook_endpoints (account_id, created_at);
        CREATE TABLE versionkit_events (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            account_id text NOT NULL,
            type text NOT NULL,
            api_version text NOT NULL,
            created_at timestamptz NOT NULL,
            payload bytea NOT NULL);
        CREATE INDEX versionkit_events_account ON versionkit_events (account_id, seq);
        CREATE TABLE versionkit_event_renderings (
            event_id text NOT NULL,
            api_version text NOT NULL,
            body bytea NOT NULL,
            PRIMARY KEY (event_id, api_version));
        CREATE TABLE versionkit_webhook_deliveries (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id text NOT NULL,
            endpoint_id text NOT NULL,
            api_version text NOT NULL,
            status text NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            lease uuid NULL,
            last_status_code integer NULL,
            last_error text NULL,
            last_attempt_by text NULL,
            delivered_at timestamptz NULL);
        CREATE INDEX versionkit_webhook_deliveries_due ON versionkit_webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
        CREATE INDEX versionkit_webhook_deliveries_event ON versionkit_webhook_deliveries (event_id, id);
        """;

    private readonly PostgreSqlPinStore _database;

    /// <summary>Creates the store over the PostgreSQL connection string of the pins (<c>Host=db;Database=app;Username=app;Password=...</c>).</summary>
    public PostgreSqlWebhookStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _database = new PostgreSqlPinStore(connectionString);
    }

    /// <inheritdoc/>
    public Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        WebhookRows.CheckEventTypes(endpoint.EnabledEvents);
        return RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"INSERT INTO versionkit_webhook_endpoints ({WebhookRows.EndpointColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection);
            command.Parameters.AddWithValue(endpoint.Id);
            command.Parameters.AddWithValue(endpoint.AccountId);
            command.Parameters.AddWithValue(endpoint.Url.AbsoluteUri);
            command.Parameters.AddWithValue(string.Join(' ', endpoint.EnabledEvents));
            command.Parameters.AddWithValue(endpoint.ApiVersion.ToString());
            command.Parameters.AddWithValue(endpoint.Secret);
            command.Parameters.AddWithValue(endpoint.Created.ToUniversalTime());
            command.Parameters.AddWithValue(WebhookRows.Write(endpoint.Status));
            command.Parameters.AddWithValue(endpoint.ConsecutiveFailures);
            command.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)endpoint.FailingSince?.ToUniversalTime() ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<WebhookEndpoint?> FindEndpointAsync(string accountId, string endpointId, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {WebhookRows.EndpointColumns} FROM versionkit_webhook_endpoints WHERE account_id = $1 AND id = $2", connection);
            command.Parameters.AddWithValue(accountId);
            command.Parameters.AddWithValue(endpointId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? WebhookRows.ReadEndpoint(reader, Time) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string accountId, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<WebhookEndpoint>>(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {WebhookRows.EndpointColumns} FROM versionkit_webhook_endpoints WHERE account_id = $1 ORDER BY created_at, id", connection);
            command.Parameters.AddWithValue(accountId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadEndpoint(r, Time), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteEndpointAsync(string accountId, string endpointId, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            // One statement: the endpoint goes, and its pending deliveries fail, together.
            await using var command = new NpgsqlCommand(
                """
                WITH deleted AS (DELETE FROM versionkit_webhook_endpoints WHERE account_id = $1 AND id = $2 RETURNING id),
                failed AS (
                    UPDATE versionkit_webhook_deliveries SET status = 'failed', lease = NULL, last_error = $3
                    WHERE endpoint_id IN (SELECT id FROM deleted) AND status = 'pending' RETURNING 1)
                SELECT count(*) FROM deleted
                """,
                connection);
            command.Parameters.AddWithValue(accountId);
            command.Parameters.AddWithValue(endpointId);
            command.Parameters.AddWithValue(WebhookRows.EndpointDeleted);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> SetEndpointStatusAsync(string accountId, string endpointId, WebhookEndpointStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(endpointId);
        string written = WebhookRows.Write(status);
        return RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                UPDATE versionkit_webhook_endpoints
                SET status = $3,
                    consecutive_failures = CASE WHEN $4 THEN 0 ELSE consecutive_failures END,
                    failing_since = CASE WHEN $4 THEN NULL ELSE failing_since END
                WHERE account_id = $1 AND id = $2
                """,
                connection);
            command.Parameters.AddWithValue(accountId);
            command.Parameters.AddWithValue(endpointId);
            command.Parameters.AddWithValue(written);
            command.Parameters.AddWithValue(status == WebhookEndpointStatus.Enabled);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> AddEventAsync(ApiEvent apiEvent, IReadOnlyCollection<EventRendering> renderings, IReadOnlyCollection<WebhookEndpoint> endpoints, CancellationToken cancellationToken = default)
    {
        WebhookRows.CheckEvent(apiEvent, renderings, endpoints);
        return RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var insert = new NpgsqlCommand("INSERT INTO versionkit_events (id, account_id, type, api_version, created_at, payload) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING", connection, transaction))
            {
                insert.Parameters.AddWithValue(apiEvent.Id);
                insert.Parameters.AddWithValue(apiEvent.AccountId);
                insert.Parameters.AddWithValue(apiEvent.Type);
                insert.Parameters.AddWithValue(apiEvent.ApiVersion.ToString());
                insert.Parameters.AddWithValue(apiEvent.Created.ToUniversalTime());
                insert.Parameters.AddWithValue(apiEvent.Payload.ToArray());
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }
            }

            await using (var rendering = new NpgsqlCommand("INSERT INTO versionkit_event_renderings (event_id, api_version, body) SELECT $1, v, b FROM unnest($2::text[], $3::bytea[]) AS t(v, b)", connection, transaction))
            {
                rendering.Parameters.AddWithValue(apiEvent.Id);
                rendering.Parameters.AddWithValue(renderings.Select(r => r.ApiVersion.ToString()).ToArray());
                rendering.Parameters.AddWithValue(renderings.Select(r => r.Body.ToArray()).ToArray());
                await rendering.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (endpoints.Count > 0)
            {
                await using var delivery = new NpgsqlCommand(
                    "INSERT INTO versionkit_webhook_deliveries (event_id, endpoint_id, api_version, status, attempts, next_attempt_at) SELECT $1, ep, v, 'pending', 0, $4 FROM unnest($2::text[], $3::text[]) AS t(ep, v)",
                    connection,
                    transaction);
                delivery.Parameters.AddWithValue(apiEvent.Id);
                delivery.Parameters.AddWithValue(endpoints.Select(e => e.Id).ToArray());
                delivery.Parameters.AddWithValue(endpoints.Select(e => e.ApiVersion.ToString()).ToArray());
                delivery.Parameters.AddWithValue(apiEvent.Created.ToUniversalTime());
                await delivery.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ApiEvent?> FindEventAsync(string accountId, string eventId, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {WebhookRows.EventColumns} FROM {WebhookRows.EventJoin} WHERE e.account_id = $1 AND e.id = $2", connection);
            command.Parameters.AddWithValue(accountId);
            command.Parameters.AddWithValue(eventId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? WebhookRows.ReadEvent(reader, Time) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string accountId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return RunAsync<IReadOnlyList<ApiEvent>>(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {WebhookRows.EventColumns} FROM {WebhookRows.EventJoin} WHERE e.account_id = $1 ORDER BY e.seq DESC LIMIT $2", connection);
            command.Parameters.AddWithValue(accountId);
            command.Parameters.AddWithValue(limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadEvent(r, Time), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>?> FindRenderingAsync(string eventId, ApiVersion version, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT body FROM versionkit_event_renderings WHERE event_id = $1 AND api_version = $2", connection);
            command.Parameters.AddWithValue(eventId);
            command.Parameters.AddWithValue(version.ToString());
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] body ? (ReadOnlyMemory<byte>?)body : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>> AddRenderingAsync(string eventId, EventRendering rendering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rendering);
        return RunAsync(async connection =>
        {
            // The outer select reads the table as it was before the insert: the new row when it went in, the first one otherwise.
            await using var command = new NpgsqlCommand(
                """
                WITH added AS (
                    INSERT INTO versionkit_event_renderings (event_id, api_version, body)
                    SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM versionkit_events WHERE id = $1)
                    ON CONFLICT (event_id, api_version) DO NOTHING RETURNING body)
                SELECT body FROM added UNION ALL SELECT body FROM versionkit_event_renderings WHERE event_id = $1 AND api_version = $2
                """,
                connection);
            command.Parameters.AddWithValue(eventId);
            command.Parameters.AddWithValue(rendering.ApiVersion.ToString());
            command.Parameters.AddWithValue(rendering.Body.ToArray());
            var kept = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[]
                ?? throw new ArgumentException($"No event '{eventId}' is recorded.", nameof(eventId));
            return (ReadOnlyMemory<byte>)kept;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookDelivery>> GetDeliveriesAsync(string eventId, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<WebhookDelivery>>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                $"SELECT {WebhookRows.DeliveryColumns} FROM versionkit_webhook_deliveries WHERE event_id = $1 ORDER BY id",
                connection);
            command.Parameters.AddWithValue(eventId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadDelivery(r, Time), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<LeasedDelivery>> LeaseAsync(WebhookLeaseRequest request, CancellationToken cancellationToken = default)
    {
        WebhookRows.CheckLease(request);
        var lease = Guid.NewGuid();
        var until = (request.Now + request.Duration).ToUniversalTime();
        return RunAsync<IReadOnlyList<LeasedDelivery>>(async connection =>
        {
            // One statement. SKIP LOCKED: rows another machine is leasing at this moment are passed over, not waited for.
            // The lease is the next attempt time moved past the attempt: if its result is never recorded, it is due again then.
            // Endpoints the worker is busy with are skipped before the scan's limit, so one slow endpoint's backlog cannot
            // hide everyone else's deliveries.
            await using var command = new NpgsqlCommand(
                $"""
                WITH due AS (
                    SELECT id, endpoint_id, next_attempt_at FROM versionkit_webhook_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT (endpoint_id = ANY($2))
                    ORDER BY next_attempt_at, id LIMIT $3
                    FOR UPDATE SKIP LOCKED),
                picked AS (
                    SELECT id FROM (SELECT id, next_attempt_at, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, id) AS n FROM due) ranked
                    WHERE n <= $4 ORDER BY next_attempt_at, id LIMIT $5)
                UPDATE versionkit_webhook_deliveries d SET lease = $6, next_attempt_at = $7, attempts = d.attempts + 1
                FROM picked, versionkit_webhook_endpoints e, versionkit_event_renderings r
                WHERE d.id = picked.id AND e.id = d.endpoint_id AND r.event_id = d.event_id AND r.api_version = d.api_version
                RETURNING {WebhookRows.LeasedColumns}
                """,
                connection);
            command.Parameters.AddWithValue(request.Now.ToUniversalTime());
            command.Parameters.AddWithValue(request.ExcludedEndpoints.ToArray());
            command.Parameters.AddWithValue(WebhookRows.ScanLimit(request));
            command.Parameters.AddWithValue(request.PerEndpoint);
            command.Parameters.AddWithValue(request.Max);
            command.Parameters.AddWithValue(lease);
            command.Parameters.AddWithValue(until);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var leased = await WebhookRows.ReadAllAsync(reader, r => WebhookRows.ReadLeased(r, lease, until), cancellationToken).ConfigureAwait(false);
            return [.. leased.OrderBy(d => d.Id)];
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<WebhookAttemptResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<bool>>([]);
        }

        // Statements in endpoint order: each locks its delivery, then its endpoint, and two machines' batches that name the
        // same endpoints in other orders would otherwise wait on each other (PostgreSQL's deadlock 40P01 lost one batch,
        // whose deliveries were then made again when their leases ran out). Within an endpoint the results keep the order
        // they were given, the order their attempts ended, so that the endpoint ends as its last attempt left it.
        var order = Enumerable.Range(0, results.Count)
            .OrderBy(i => results[i].Delivery.EndpointId, StringComparer.Ordinal)
            .ToArray();
        return RunAsync<IReadOnlyList<bool>>(async connection =>
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await CompleteInOrderAsync(connection, results, order, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException exception) when (attempt < MaxCompleteAttempts && exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
                {
                    // The transaction was rolled back whole, and each statement records only under its lease: running it
                    // again records what it would have. A delete of an endpoint can still meet a batch the other way round.
                }
            }
        }, cancellationToken);
    }

    private const int MaxCompleteAttempts = 3;

    private static async Task<IReadOnlyList<bool>> CompleteInOrderAsync(NpgsqlConnection connection, IReadOnlyList<WebhookAttemptResult> results, int[] order, CancellationToken cancellationToken)
    {
        // One round trip and one transaction for the lot; each statement records one attempt, its delivery and its
        // endpoint together, and only if the lease is still the attempt's.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (int index in order)
        {
            var result = results[index];
            var status = WebhookRows.StatusAfter(result);
            var command = new NpgsqlBatchCommand(
                $"""
                WITH done AS (
                    UPDATE versionkit_webhook_deliveries
                    SET status = $1, next_attempt_at = $2, lease = NULL, last_status_code = $3, last_error = $4, last_attempt_by = $5, delivered_at = $6
                    WHERE id = $7 AND lease = $8 AND status = 'pending'
                    RETURNING endpoint_id),
                endpoint AS (
                    UPDATE versionkit_webhook_endpoints SET {(result.Succeeded
                        ? "consecutive_failures = 0, failing_since = NULL"
                        : "consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, $9), status = CASE WHEN $10 THEN 'disabled' ELSE status END")}
                    WHERE id IN (SELECT endpoint_id FROM done){(result.Succeeded ? " AND (consecutive_failures <> 0 OR failing_since IS NOT NULL)" : "")} RETURNING 1)
                SELECT count(*) FROM done
                """);
            command.Parameters.AddWithValue(WebhookRows.Write(status));
            command.Parameters.AddWithValue((result.RetryAt ?? result.At).ToUniversalTime());
            command.Parameters.AddWithValue(NpgsqlDbType.Integer, (object?)result.StatusCode ?? DBNull.Value);
            command.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)result.Error ?? DBNull.Value);
            command.Parameters.AddWithValue(result.Worker);
            command.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, result.Succeeded ? result.At.ToUniversalTime() : DBNull.Value);
            command.Parameters.AddWithValue(result.Delivery.Id);
            command.Parameters.AddWithValue(result.Delivery.Lease);
            if (!result.Succeeded)
            {
                command.Parameters.AddWithValue(result.At.ToUniversalTime());
                command.Parameters.AddWithValue(status == WebhookDeliveryStatus.Failed);
            }

            batch.BatchCommands.Add(command);
        }

        var recorded = new bool[results.Count];
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            int statement = 0;
            do
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                recorded[order[statement++]] = reader.GetInt64(0) == 1;
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    /// <summary>Closes the store's connections.</summary>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Closes the store's connections.</summary>
    public void Dispose() => _database.Dispose();

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _database.RunAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (PinStoreUnavailableException exception)
        {
            var cause = exception.InnerException ?? exception;
            throw new WebhookStoreUnavailableException("The PostgreSQL webhook store could not be used: " + cause.Message, cause);
        }
    }

    private static DateTimeOffset Time(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
