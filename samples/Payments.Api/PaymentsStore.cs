using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Payments.Api;

/// <summary>
/// The sample's data in SQLite: accounts (with the platform they are connected to), and every object as the JSON of its
/// current shape, owned by one account. VersionKit keeps its pins in the same file, in tables of its own.
/// </summary>
public sealed class PaymentsStore
{
    /// <summary>How long Stripe keeps an idempotency key: a retry within it gets the first result back.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _createConnectionString;
    private readonly string _connectionString;
    private readonly string? _file;
    private readonly TimeProvider _clock;
    private readonly Lazy<Task> _schema;

    public PaymentsStore(string connectionString, TimeProvider clock)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 };
        _createConnectionString = builder.ToString();

        // Once created, the data file is never created again while the app runs: a file deleted under it is an outage
        // (503), not an empty database that acknowledges writes and loses what was there.
        bool isFile = builder.DataSource is { Length: > 0 } source && source != ":memory:" && builder.Mode == SqliteOpenMode.ReadWriteCreate;
        _file = isFile ? Path.GetFullPath(builder.DataSource) : null;
        _connectionString = isFile ? new SqliteConnectionStringBuilder(_createConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString() : _createConnectionString;
        _clock = clock;
        _schema = new Lazy<Task>(CreateSchemaAsync);
    }

    public long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    public static string NewId(string prefix) => prefix + "_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 14);

    public async Task<AccountRecord?> FindAccountAsync(string id)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, platform, created FROM accounts WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new AccountRecord(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2)) : null;
    }

    /// <summary>Creates the account if it does not exist; returns whether this call created it.</summary>
    public async Task<bool> CreateAccountAsync(string id, string? platform)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO accounts (id, platform, created) VALUES ($id, $platform, $created) ON CONFLICT (id) DO NOTHING";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$platform", (object?)platform ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", Now);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task AddAsync<T>(string account, string id, T value)
    {
        await using var connection = await OpenAsync();
        await InsertAsync(connection, null, account, id, value);
    }

    public async Task<T?> FindAsync<T>(string account, string id)
        where T : class
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM objects WHERE account = $account AND id = $id AND kind = $kind";
        command.Parameters.AddWithValue("$account", account);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$kind", typeof(T).Name);
        if (await command.ExecuteScalarAsync() is not string json)
        {
            return null;
        }

        return JsonSerializer.Deserialize<T>(json, Json);
    }

    /// <summary>
    /// The charge made earlier with <paramref name="idempotencyKey"/> within <see cref="IdempotencyWindow"/>, or the one made
    /// now, with its key in one transaction: a retried request gets the first charge back and records nothing twice. A
    /// key first used with other parameters (<paramref name="parameters"/>, the request as the handler read it) gives no
    /// charge and <c>Reused</c>. (Its event is recorded by <see cref="PaymentsEvents"/>, in the webhook store.)
    /// </summary>
    public async Task<(Charge? Charge, bool Reused)> ChargeOnceAsync(string account, string? idempotencyKey, string parameters, Func<Charge> charge)
    {
        await using var connection = await OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        string fingerprint = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(parameters)));
        if (idempotencyKey is not null)
        {
            await using var find = connection.CreateCommand();
            find.Transaction = transaction;
            find.CommandText = """
                SELECT o.json, i.fingerprint FROM idempotency_keys i JOIN objects o ON o.account = i.account AND o.id = i.object_id
                WHERE i.account = $account AND i.key = $key AND i.created > $since
                """;
            find.Parameters.AddWithValue("$account", account);
            find.Parameters.AddWithValue("$key", idempotencyKey);
            find.Parameters.AddWithValue("$since", (_clock.GetUtcNow() - IdempotencyWindow).ToUnixTimeSeconds());
            await using var reader = await find.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                return reader.GetString(1) == fingerprint ? (JsonSerializer.Deserialize<Charge>(reader.GetString(0), Json)!, false) : (null, true);
            }
        }

        var created = charge();
        await InsertAsync(connection, transaction, account, created.Id, created);
        if (idempotencyKey is not null)
        {
            await using var remember = connection.CreateCommand();
            remember.Transaction = transaction;
            remember.CommandText = """
                INSERT INTO idempotency_keys (account, key, fingerprint, object_id, created) VALUES ($account, $key, $fingerprint, $id, $created)
                ON CONFLICT (account, key) DO UPDATE SET fingerprint = excluded.fingerprint, object_id = excluded.object_id, created = excluded.created
                """;
            remember.Parameters.AddWithValue("$account", account);
            remember.Parameters.AddWithValue("$key", idempotencyKey);
            remember.Parameters.AddWithValue("$fingerprint", fingerprint);
            remember.Parameters.AddWithValue("$id", created.Id);
            remember.Parameters.AddWithValue("$created", Now);
            await remember.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return (created, false);
    }

    /// <summary>Whether the data file is there and answers; what /healthz reports.</summary>
    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            await using var connection = await OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM accounts";
            await command.ExecuteScalarAsync();
            return true;
        }
        catch (PaymentsStoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>The account's objects of type <typeparamref name="T"/>, oldest first.</summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(string account)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM objects WHERE account = $account AND kind = $kind ORDER BY seq";
        command.Parameters.AddWithValue("$account", account);
        command.Parameters.AddWithValue("$kind", typeof(T).Name);
        var objects = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            objects.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), Json)!);
        }

        return objects;
    }

    private static async Task InsertAsync<T>(SqliteConnection connection, SqliteTransaction? transaction, string account, string id, T value)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO objects (account, id, kind, json) VALUES ($account, $id, $kind, $json)";
        command.Parameters.AddWithValue("$account", account);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$kind", typeof(T).Name);
        command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(value, Json));
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        try
        {
            await _schema.Value;
            if (_file is not null && !File.Exists(_file))
            {
                // Pooled connections would go on writing to the deleted file, and be lost with it.
                SqliteConnection.ClearAllPools();
                throw new PaymentsStoreUnavailableException($"The data file '{_file}' is gone.", null);
            }

            var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync();
            return connection;
        }
        catch (SqliteException exception)
        {
            throw new PaymentsStoreUnavailableException("The data file cannot be opened.", exception);
        }
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = new SqliteConnection(_createConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, platform TEXT NULL, created INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS objects (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                account TEXT NOT NULL,
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                json TEXT NOT NULL,
                UNIQUE (account, id));
            CREATE TABLE IF NOT EXISTS idempotency_keys (
                account TEXT NOT NULL,
                key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                object_id TEXT NOT NULL,
                created INTEGER NOT NULL,
                PRIMARY KEY (account, key));
            """;
        await command.ExecuteNonQueryAsync();
    }
}

public sealed record AccountRecord(string Id, string? Platform, long Created);

/// <summary>The data file is gone or cannot be opened; nothing was read or written. Answered 503.</summary>
public sealed class PaymentsStoreUnavailableException(string message, Exception? innerException) : Exception(message, innerException);
