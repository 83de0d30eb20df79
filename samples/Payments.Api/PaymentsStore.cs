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
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly Lazy<Task> _schema;

    public PaymentsStore(string connectionString, TimeProvider clock)
    {
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 }.ToString();
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

        return typeof(T) == typeof(Event) ? (T)(object)ReadEvent(json) : JsonSerializer.Deserialize<T>(json, Json);
    }

    /// <summary>
    /// The charge made earlier with <paramref name="idempotencyKey"/>, or the one made now with its event, in one
    /// transaction: a retried request gets the first charge back and records nothing twice.
    /// </summary>
    public async Task<Charge> ChargeOnceAsync(string account, string? idempotencyKey, Func<Charge> charge, Func<Charge, Event> @event)
    {
        await using var connection = await OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        if (idempotencyKey is not null)
        {
            await using var find = connection.CreateCommand();
            find.Transaction = transaction;
            find.CommandText = "SELECT o.json FROM idempotency i JOIN objects o ON o.account = i.account AND o.id = i.object_id WHERE i.account = $account AND i.key = $key";
            find.Parameters.AddWithValue("$account", account);
            find.Parameters.AddWithValue("$key", idempotencyKey);
            if (await find.ExecuteScalarAsync() is string json)
            {
                return JsonSerializer.Deserialize<Charge>(json, Json)!;
            }
        }

        var created = charge();
        var recorded = @event(created);
        await InsertAsync(connection, transaction, account, created.Id, created);
        await InsertAsync(connection, transaction, account, recorded.Id, recorded);
        if (idempotencyKey is not null)
        {
            await using var remember = connection.CreateCommand();
            remember.Transaction = transaction;
            remember.CommandText = "INSERT INTO idempotency (account, key, object_id) VALUES ($account, $key, $id)";
            remember.Parameters.AddWithValue("$account", account);
            remember.Parameters.AddWithValue("$key", idempotencyKey);
            remember.Parameters.AddWithValue("$id", created.Id);
            await remember.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return created;
    }

    /// <summary>The account's events, newest first.</summary>
    public async Task<(IReadOnlyList<Event> Events, bool HasMore)> EventsAsync(string account, int limit)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM objects WHERE account = $account AND kind = 'Event' ORDER BY seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$account", account);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var events = new List<Event>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(ReadEvent(reader.GetString(0)));
        }

        bool hasMore = events.Count > limit;
        return (hasMore ? events[..limit] : events, hasMore);
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

    /// <summary>
    /// An event as stored, with the object it is about read back as its resource type (by its <c>object</c> field), so
    /// that it is rendered at the caller's version like a resource made in the request.
    /// </summary>
    private static Event ReadEvent(string json)
    {
        var @event = JsonSerializer.Deserialize<Event>(json, Json)!;
        if (@event.Data.Object is not JsonElement element || !element.TryGetProperty("object", out var name))
        {
            return @event;
        }

        object? resource = name.GetString() switch
        {
            "charge" => element.Deserialize<Charge>(Json),
            "customer" => element.Deserialize<Customer>(Json),
            "transfer" => element.Deserialize<Transfer>(Json),
            "bank_account" => element.Deserialize<BankAccount>(Json),
            _ => null,
        };
        return resource is null ? @event : @event.WithObject(resource);
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
        await _schema.Value;
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
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
            CREATE TABLE IF NOT EXISTS idempotency (account TEXT NOT NULL, key TEXT NOT NULL, object_id TEXT NOT NULL, PRIMARY KEY (account, key));
            """;
        await command.ExecuteNonQueryAsync();
    }
}

public sealed record AccountRecord(string Id, string? Platform, long Created);
