using System.Globalization;
using Npgsql;
using VersionKit.Pins;

namespace VersionKit.PostgreSql;

/// <summary>
/// Pins in PostgreSQL, for an API that runs on many machines: its schema created and migrated by VersionKit (tables prefixed
/// <c>versionkit_</c> in the connection's search path, their version in <c>versionkit_schema</c>), an account's first pin
/// made once however many machines race for it (<c>INSERT ... ON CONFLICT DO NOTHING</c>), and every change written with its
/// audit row in one statement, only if the pin is still the one the change started from. Usage per account and version is
/// added up by each machine's batches in one statement. Times are kept to the microsecond, PostgreSQL's precision.
/// Connection failures become <see cref="PinStoreUnavailableException"/>.
/// </summary>
public sealed class PostgreSqlPinStore : IApiVersionPinStore, IApiVersionUsageStore, IApiVersionPinImporter, IAsyncDisposable, IDisposable
{
    // Each entry migrates the schema from version i to i + 1; versionkit_schema records how far a database has come.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE versionkit_pins (
            account_id text NOT NULL PRIMARY KEY,
            version text NOT NULL,
            previous_version text NULL,
            changed_at timestamptz NOT NULL,
            reason text NOT NULL);
        CREATE TABLE versionkit_pin_changes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id text NOT NULL,
            from_version text NULL,
            to_version text NOT NULL,
            changed_at timestamptz NOT NULL,
            actor text NOT NULL,
            reason text NOT NULL);
        CREATE INDEX versionkit_pin_changes_account ON versionkit_pin_changes (account_id, id);
        """,
        """
        CREATE TABLE versionkit_version_usage (
            account_id text NOT NULL,
            version text NOT NULL,
            last_seen timestamptz NOT NULL,
            requests bigint NOT NULL,
            PRIMARY KEY (account_id, version));
        CREATE INDEX versionkit_version_usage_version ON versionkit_version_usage (version, last_seen);
        """,
        PostgreSqlWebhookStore.Schema,
    ];

    // Machines that start together migrate one at a time: the first does the work, the others then find it done.
    private const long MigrationLock = 0x5665_7273_696F_6E4B; // "VersionK"

    private const string PinColumns = "account_id, version, previous_version, changed_at, reason";

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _migrated = new(1, 1);
    private volatile bool _ready;

    /// <summary>Creates the store over a PostgreSQL connection string (<c>Host=db;Database=app;Username=app;Password=...</c>).</summary>
    public PostgreSqlPinStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The schema version this build of VersionKit migrates databases to.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <inheritdoc/>
    public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
        => RunAsync(connection => FindAsync(connection, accountId, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pin = new ApiVersionPin(change.AccountId, change.To, null, Truncate(change.At), change.Reason);
        return RunAsync(async connection =>
        {
            // One statement, so one transaction: the pin and its audit row, or neither. A concurrent insert of the same
            // account waits for the other to commit, then does nothing.
            await using var command = new NpgsqlCommand(
                $"""
                WITH pinned AS (
                    INSERT INTO versionkit_pins ({PinColumns}) VALUES ($1, $2, NULL, $3, $4)
                    ON CONFLICT (account_id) DO NOTHING
                    RETURNING account_id)
                INSERT INTO versionkit_pin_changes (account_id, from_version, to_version, changed_at, actor, reason)
                SELECT account_id, NULL, $2, $3, $5, $4 FROM pinned
                """,
                connection);
            command.Parameters.AddWithValue(pin.AccountId);
            command.Parameters.AddWithValue(pin.Version.ToString());
            command.Parameters.AddWithValue(pin.ChangedAt);
            command.Parameters.AddWithValue(pin.Reason.ToString());
            command.Parameters.AddWithValue(change.Actor);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return (pin, true);
            }

            // Pins are never deleted, so the row that won is there to read.
            var existing = await FindAsync(connection, change.AccountId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The pin of account '{change.AccountId}' was neither inserted nor found.");
            return (existing, false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<long> ImportAsync(IEnumerable<PinChange> firstPins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firstPins);
        long pinned = 0;

        // Batches of 50,000, each copied in binary into a temporary table and pinned from it in one statement, so that an
        // account pinned meanwhile by a first request keeps that pin and gets no second audit row.
        foreach (var batch in firstPins.Chunk(50_000))
        {
            pinned += await RunAsync(async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var create = new NpgsqlCommand(
                    "CREATE TEMP TABLE versionkit_import (account_id text, version text, changed_at timestamptz, reason text, actor text) ON COMMIT DROP",
                    connection,
                    transaction))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var copy = await connection.BeginBinaryImportAsync(
                    "COPY versionkit_import (account_id, version, changed_at, reason, actor) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
                {
                    foreach (var change in batch)
                    {
                        if (change.From is not null)
                        {
                            throw new ArgumentException($"Only first pins are imported; the change of account '{change.AccountId}' is from {change.From}.", nameof(firstPins));
                        }

                        await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                        await copy.WriteAsync(change.AccountId, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await copy.WriteAsync(change.To.ToString(), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await copy.WriteAsync(Truncate(change.At), NpgsqlTypes.NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                        await copy.WriteAsync(change.Reason.ToString(), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                        await copy.WriteAsync(change.Actor, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    }

                    await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }

                await using var pin = new NpgsqlCommand(
                    $"""
                    WITH pinned AS (
                        INSERT INTO versionkit_pins ({PinColumns})
                        SELECT DISTINCT ON (account_id) account_id, version, NULL, changed_at, reason FROM versionkit_import ORDER BY account_id
                        ON CONFLICT (account_id) DO NOTHING
                        RETURNING account_id)
                    INSERT INTO versionkit_pin_changes (account_id, from_version, to_version, changed_at, actor, reason)
                    SELECT DISTINCT ON (i.account_id) i.account_id, NULL, i.version, i.changed_at, i.actor, i.reason
                    FROM versionkit_import i JOIN pinned USING (account_id) ORDER BY i.account_id
                    """,
                    connection,
                    transaction);
                long inserted = await pin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return inserted;
            }, cancellationToken).ConfigureAwait(false);
        }

        return pinned;
    }

    /// <inheritdoc/>
    public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pin = new ApiVersionPin(change.AccountId, change.To, previousVersion, Truncate(change.At), change.Reason);
        return RunAsync(async connection =>
        {
            if (change.From is { } from)
            {
                // Compare and set: the update finds the row only if its version is still 'from' (rechecked after any
                // concurrent update commits), and the audit row is written only for an update that happened.
                await using var command = new NpgsqlCommand(
                    $"""
                    WITH changed AS (
                        UPDATE versionkit_pins SET version = $3, previous_version = $4, changed_at = $5, reason = $6
                        WHERE account_id = $1 AND version = $2
                        RETURNING account_id)
                    INSERT INTO versionkit_pin_changes (account_id, from_version, to_version, changed_at, actor, reason)
                    SELECT account_id, $2, $3, $5, $7, $6 FROM changed
                    """,
                    connection);
                command.Parameters.AddWithValue(pin.AccountId);
                command.Parameters.AddWithValue(from.ToString());
                command.Parameters.AddWithValue(pin.Version.ToString());
                command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)pin.PreviousVersion?.ToString() ?? DBNull.Value);
                command.Parameters.AddWithValue(pin.ChangedAt);
                command.Parameters.AddWithValue(pin.Reason.ToString());
                command.Parameters.AddWithValue(change.Actor);
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return pin;
                }
            }

            var current = await FindAsync(connection, change.AccountId, cancellationToken).ConfigureAwait(false);
            throw new PinConflictException(change.AccountId, change.From ?? default, current?.Version);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<PinChange>>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT account_id, from_version, to_version, changed_at, actor, reason FROM versionkit_pin_changes WHERE account_id = $1 ORDER BY id",
                connection);
            command.Parameters.AddWithValue(accountId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var changes = new List<PinChange>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changes.Add(new PinChange(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : ApiVersion.Parse(reader.GetString(1)),
                    ApiVersion.Parse(reader.GetString(2)),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4),
                    Enum.Parse<PinChangeReason>(reader.GetString(5))));
            }

            return changes;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task RecordUsageAsync(IReadOnlyCollection<ApiVersionUsage> usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);

        // Merged and ordered by key, so that machines writing at once lock the rows in one order and never deadlock.
        var merged = ApiVersionUsage.Merge(usage);
        return RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO versionkit_version_usage AS kept (account_id, version, last_seen, requests)
                SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[])
                ON CONFLICT (account_id, version) DO UPDATE
                SET requests = kept.requests + excluded.requests, last_seen = greatest(kept.last_seen, excluded.last_seen)
                """,
                connection);
            command.Parameters.AddWithValue(merged.Select(u => u.AccountId).ToArray());
            command.Parameters.AddWithValue(merged.Select(u => u.Version.ToString()).ToArray());
            command.Parameters.AddWithValue(merged.Select(u => Truncate(u.LastSeen)).ToArray());
            command.Parameters.AddWithValue(merged.Select(u => u.Requests).ToArray());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiVersionUsage>> GetUsageAsync(ApiVersion version, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<ApiVersionUsage>>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT account_id, last_seen, requests FROM versionkit_version_usage WHERE version = $1 ORDER BY last_seen DESC, account_id COLLATE \"C\"",
                connection);
            command.Parameters.AddWithValue(version.ToString());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var usage = new List<ApiVersionUsage>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                usage.Add(new ApiVersionUsage(reader.GetString(0), version, reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2)));
            }

            return usage;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiVersionUsageSummary>> GetUsageSummaryAsync(CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<ApiVersionUsageSummary>>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT version, sum(pinned)::bigint, sum(seen)::bigint, sum(requests)::bigint, max(last_seen) FROM (
                    SELECT version, count(*) AS pinned, 0 AS seen, 0 AS requests, NULL::timestamptz AS last_seen FROM versionkit_pins GROUP BY version
                    UNION ALL
                    SELECT version, 0, count(*), sum(requests), max(last_seen) FROM versionkit_version_usage GROUP BY version) AS counts
                GROUP BY version
                """,
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var summary = new List<ApiVersionUsageSummary>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                summary.Add(new ApiVersionUsageSummary(
                    ApiVersion.Parse(reader.GetString(0)),
                    reader.GetInt64(1),
                    reader.GetInt64(2),
                    reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
            }

            return summary.OrderBy(s => s.Version).ToList();
        }, cancellationToken);

    /// <summary>Closes the store's connections.</summary>
    public ValueTask DisposeAsync()
    {
        _migrated.Dispose();
        return _dataSource.DisposeAsync();
    }

    /// <summary>Closes the store's connections.</summary>
    public void Dispose()
    {
        _migrated.Dispose();
        _dataSource.Dispose();
    }

    // Also the webhook store's way in: it shares the database and the schema.
    internal async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            // Connection refused or lost, server shutting down, too many clients, timeouts: PostgresException and the rest.
            throw new PinStoreUnavailableException("The PostgreSQL pin store could not be used: " + exception.Message, exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new PinStoreUnavailableException("The PostgreSQL pin store could not be used: " + exception.Message, exception);
        }
    }

    private async Task EnsureSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _migrated.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({MigrationLock})"), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                """
                CREATE TABLE IF NOT EXISTS versionkit_schema (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL);
                INSERT INTO versionkit_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
                """,
                cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("SELECT version FROM versionkit_schema WHERE id = 1", connection))
            {
                int version = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (version > Migrations.Length)
                {
                    throw new InvalidOperationException($"The pin store's schema is version {version}, newer than this VersionKit knows ({Migrations.Length}); upgrade VersionKit.");
                }

                for (int i = version; i < Migrations.Length; i++)
                {
                    await ExecuteAsync(connection, Migrations[i], cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"UPDATE versionkit_schema SET version = {i + 1} WHERE id = 1"), cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _migrated.Release();
        }
    }

    private static async Task<ApiVersionPin?> FindAsync(NpgsqlConnection connection, string accountId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {PinColumns} FROM versionkit_pins WHERE account_id = $1", connection);
        command.Parameters.AddWithValue(accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new ApiVersionPin(
            reader.GetString(0),
            ApiVersion.Parse(reader.GetString(1)),
            reader.IsDBNull(2) ? null : ApiVersion.Parse(reader.GetString(2)),
            reader.GetFieldValue<DateTimeOffset>(3),
            Enum.Parse<PinChangeReason>(reader.GetString(4)));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // timestamptz keeps microseconds; the pin returned must be the pin read back later, and in UTC, as Npgsql requires.
    private static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}
