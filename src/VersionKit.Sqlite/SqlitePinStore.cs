using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;
using VersionKit.Pins;

namespace VersionKit.Sqlite;

/// <summary>
/// Pins in a SQLite file: created on first use, its schema created and migrated by VersionKit (tables prefixed
/// <c>versionkit_</c>, so the file can be shared with the app's own tables). Writes take SQLite's write lock
/// (<c>BEGIN IMMEDIATE</c>), so a pin and its audit row are written together or not at all. Usage per account and
/// version is kept beside the pins, each batch in one transaction.
/// </summary>
public sealed class SqlitePinStore : IApiVersionPinStore, IApiVersionUsageStore, IApiVersionPinImporter
{
    // Each entry migrates the schema from version i to i + 1; PRAGMA user_version records how far a file has come.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE versionkit_pins (
            account_id TEXT NOT NULL PRIMARY KEY,
            version TEXT NOT NULL,
            previous_version TEXT NULL,
            changed_at TEXT NOT NULL,
            reason TEXT NOT NULL);
        CREATE TABLE versionkit_pin_changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id TEXT NOT NULL,
            from_version TEXT NULL,
            to_version TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            reason TEXT NOT NULL);
        CREATE INDEX versionkit_pin_changes_account ON versionkit_pin_changes (account_id, id);
        """,
        """
        CREATE TABLE versionkit_version_usage (
            account_id TEXT NOT NULL,
            version TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            requests INTEGER NOT NULL,
            PRIMARY KEY (account_id, version));
        CREATE INDEX versionkit_version_usage_version ON versionkit_version_usage (version, last_seen);
        """,
        SqliteWebhookStore.Schema,
    ];

    private readonly string _connectionString;
    private readonly string _existingFileConnectionString;
    private readonly string? _file;
    private readonly SemaphoreSlim _migrated = new(1, 1);
    private volatile bool _ready;

    /// <summary>Creates the store over a SQLite connection string (<c>Data Source=pins.db</c>).</summary>
    public SqlitePinStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        _connectionString = builder.ToString();

        // Once the schema is there, the file must stay the one that holds the pins: a file deleted or moved away while the
        // app runs is an outage, never an empty file created anew in which every account would be pinned again.
        bool isFile = builder.DataSource is { Length: > 0 } source && source != ":memory:" && builder.Mode is SqliteOpenMode.ReadWriteCreate or SqliteOpenMode.ReadWrite;
        _file = isFile ? Path.GetFullPath(builder.DataSource) : null;
        _existingFileConnectionString = isFile ? new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString() : _connectionString;
    }

    /// <summary>The schema version this build of VersionKit migrates files to.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <inheritdoc/>
    public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
        => RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT account_id, version, previous_version, changed_at, reason FROM versionkit_pins WHERE account_id = $account";
            command.Parameters.AddWithValue("$account", accountId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadPin(reader) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return RunAsync(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            var existing = await FindAsync(connection, transaction, change.AccountId, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return (existing, false);
            }

            var pin = new ApiVersionPin(change.AccountId, change.To, null, change.At, change.Reason);
            await WritePinAsync(connection, transaction, pin, insert: true, cancellationToken).ConfigureAwait(false);
            await WriteChangeAsync(connection, transaction, change with { From = null }, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (pin, true);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return RunAsync(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            var current = await FindAsync(connection, transaction, change.AccountId, cancellationToken).ConfigureAwait(false);
            if (current is null || change.From is not { } from || current.Version != from)
            {
                throw new PinConflictException(change.AccountId, change.From ?? default, current?.Version);
            }

            var pin = new ApiVersionPin(change.AccountId, change.To, previousVersion, change.At, change.Reason);
            await WritePinAsync(connection, transaction, pin, insert: false, cancellationToken).ConfigureAwait(false);
            await WriteChangeAsync(connection, transaction, change, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return pin;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<long> ImportAsync(IEnumerable<PinChange> firstPins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firstPins);
        long pinned = 0;

        // Batches of 10,000 in a transaction each: one writer lock at a time, and what was imported stays if a batch fails.
        foreach (var batch in firstPins.Chunk(10_000))
        {
            pinned += await RunAsync(async connection =>
            {
                await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO versionkit_pins (account_id, version, previous_version, changed_at, reason) VALUES ($account, $version, NULL, $at, $reason) ON CONFLICT (account_id) DO NOTHING";
                var account = insert.Parameters.Add("$account", SqliteType.Text);
                var version = insert.Parameters.Add("$version", SqliteType.Text);
                var at = insert.Parameters.Add("$at", SqliteType.Text);
                var reason = insert.Parameters.Add("$reason", SqliteType.Text);
                long inserted = 0;
                foreach (var change in batch)
                {
                    if (change.From is not null)
                    {
                        throw new ArgumentException($"Only first pins are imported; the change of account '{change.AccountId}' is from {change.From}.", nameof(firstPins));
                    }

                    account.Value = change.AccountId;
                    version.Value = change.To.ToString();
                    at.Value = WriteTime(change.At);
                    reason.Value = change.Reason.ToString();
                    if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                    {
                        await WriteChangeAsync(connection, transaction, change, cancellationToken).ConfigureAwait(false);
                        inserted++;
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return inserted;
            }, cancellationToken).ConfigureAwait(false);
        }

        return pinned;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<PinChange>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT account_id, from_version, to_version, changed_at, actor, reason FROM versionkit_pin_changes WHERE account_id = $account ORDER BY id";
            command.Parameters.AddWithValue("$account", accountId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var changes = new List<PinChange>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changes.Add(new PinChange(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : ApiVersion.Parse(reader.GetString(1)),
                    ApiVersion.Parse(reader.GetString(2)),
                    ReadTime(reader.GetString(3)),
                    reader.GetString(4),
                    Enum.Parse<PinChangeReason>(reader.GetString(5))));
            }

            return changes;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task RecordUsageAsync(IReadOnlyCollection<ApiVersionUsage> usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var merged = ApiVersionUsage.Merge(usage);
        return RunAsync(async connection =>
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO versionkit_version_usage (account_id, version, last_seen, requests) VALUES ($account, $version, $seen, $requests)
                ON CONFLICT (account_id, version) DO UPDATE SET requests = requests + excluded.requests, last_seen = max(last_seen, excluded.last_seen)
                """;
            var account = command.Parameters.Add("$account", SqliteType.Text);
            var version = command.Parameters.Add("$version", SqliteType.Text);
            var seen = command.Parameters.Add("$seen", SqliteType.Text);
            var requests = command.Parameters.Add("$requests", SqliteType.Integer);
            foreach (var row in merged)
            {
                account.Value = row.AccountId;
                version.Value = row.Version.ToString();
                seen.Value = WriteTime(row.LastSeen);
                requests.Value = row.Requests;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return merged.Count;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiVersionUsage>> GetUsageAsync(ApiVersion version, CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<ApiVersionUsage>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT account_id, last_seen, requests FROM versionkit_version_usage WHERE version = $version ORDER BY last_seen DESC, account_id";
            command.Parameters.AddWithValue("$version", version.ToString());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var usage = new List<ApiVersionUsage>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                usage.Add(new ApiVersionUsage(reader.GetString(0), version, ReadTime(reader.GetString(1)), reader.GetInt64(2)));
            }

            return usage;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiVersionUsageSummary>> GetUsageSummaryAsync(CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<ApiVersionUsageSummary>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT version, sum(pinned), sum(seen), sum(requests), max(last_seen) FROM (
                    SELECT version, count(*) AS pinned, 0 AS seen, 0 AS requests, NULL AS last_seen FROM versionkit_pins GROUP BY version
                    UNION ALL
                    SELECT version, 0, count(*), sum(requests), max(last_seen) FROM versionkit_version_usage GROUP BY version)
                GROUP BY version
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var summary = new List<ApiVersionUsageSummary>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                summary.Add(new ApiVersionUsageSummary(
                    ApiVersion.Parse(reader.GetString(0)),
                    reader.GetInt64(1),
                    reader.GetInt64(2),
                    reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : ReadTime(reader.GetString(4))));
            }

            return summary.OrderBy(s => s.Version).ToList();
        }, cancellationToken);

    // Also the webhook store's way in: it shares the file, the schema and the rule that a deleted file is an outage.
    internal async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            bool ready = _ready;
            if (ready && _file is not null && !File.Exists(_file))
            {
                // Pooled connections would go on writing to the deleted file, and be lost with it.
                SqliteConnection.ClearAllPools();
                throw new PinStoreUnavailableException($"The SQLite pin store's file '{_file}' is gone; VersionKit does not create it again while the app runs, since every account would be pinned anew.");
            }

            await using var connection = new SqliteConnection(ready ? _existingFileConnectionString : _connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            throw new PinStoreUnavailableException("The SQLite pin store could not be used: " + exception.Message, exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new PinStoreUnavailableException("The SQLite pin store could not be used: " + exception.Message, exception);
        }
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
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

            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "PRAGMA user_version;";
                int version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (version > Migrations.Length)
                {
                    throw new InvalidOperationException($"The pin store's schema is version {version}, newer than this VersionKit knows ({Migrations.Length}); upgrade VersionKit.");
                }

                for (int i = version; i < Migrations.Length; i++)
                {
                    await ExecuteAsync(connection, transaction, Migrations[i], cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {i + 1};"), cancellationToken).ConfigureAwait(false);
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

    private static async Task<SqliteTransaction> BeginImmediateAsync(SqliteConnection connection, CancellationToken cancellationToken)
        => (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);

    private static async Task<ApiVersionPin?> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string accountId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT account_id, version, previous_version, changed_at, reason FROM versionkit_pins WHERE account_id = $account";
        command.Parameters.AddWithValue("$account", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadPin(reader) : null;
    }

    private static async Task WritePinAsync(SqliteConnection connection, SqliteTransaction transaction, ApiVersionPin pin, bool insert, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = insert
            ? "INSERT INTO versionkit_pins (account_id, version, previous_version, changed_at, reason) VALUES ($account, $version, $previous, $at, $reason)"
            : "UPDATE versionkit_pins SET version = $version, previous_version = $previous, changed_at = $at, reason = $reason WHERE account_id = $account";
        command.Parameters.AddWithValue("$account", pin.AccountId);
        command.Parameters.AddWithValue("$version", pin.Version.ToString());
        command.Parameters.AddWithValue("$previous", (object?)pin.PreviousVersion?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", WriteTime(pin.ChangedAt));
        command.Parameters.AddWithValue("$reason", pin.Reason.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteChangeAsync(SqliteConnection connection, SqliteTransaction transaction, PinChange change, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO versionkit_pin_changes (account_id, from_version, to_version, changed_at, actor, reason) VALUES ($account, $from, $to, $at, $actor, $reason)";
        command.Parameters.AddWithValue("$account", change.AccountId);
        command.Parameters.AddWithValue("$from", (object?)change.From?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$to", change.To.ToString());
        command.Parameters.AddWithValue("$at", WriteTime(change.At));
        command.Parameters.AddWithValue("$actor", change.Actor);
        command.Parameters.AddWithValue("$reason", change.Reason.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ApiVersionPin ReadPin(SqliteDataReader reader) => new(
        reader.GetString(0),
        ApiVersion.Parse(reader.GetString(1)),
        reader.IsDBNull(2) ? null : ApiVersion.Parse(reader.GetString(2)),
        ReadTime(reader.GetString(3)),
        Enum.Parse<PinChangeReason>(reader.GetString(4)));

    private static string WriteTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ReadTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
