using System.Net;
using System.Net.Sockets;
using Npgsql;
using VersionKit.Pins;
using VersionKit.PostgreSql;

namespace VersionKit.Reliability.Tests;

/// <summary>The PostgreSQL store's own duties: its schema, its migrations across machines, and its errors.</summary>
[Trait("Category", "Reliability")]
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPinStoreTests(PostgresFixture postgres)
{
    private static readonly PinChange AnyFirstPin = new("acct_schema", null, ApiVersion.Parse("2014-05-19"), DateTimeOffset.UnixEpoch, "test", PinChangeReason.FirstRequest);

    [Fact]
    public async Task The_schema_is_created_on_first_use_by_machines_starting_together_and_recorded_once()
    {
        string database = await postgres.Cluster.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgreSqlPinStore(database)).ToArray();
        try
        {
            var pins = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.PinIfAbsentAsync(AnyFirstPin))));
            Assert.Single(pins, p => p.Pinned);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        Assert.Equal(PostgreSqlPinStore.SchemaVersion, await PostgresCluster.QueryAsync(database, "SELECT version FROM versionkit_schema"));
        Assert.Equal(1L, await PostgresCluster.QueryAsync(database, "SELECT count(*) FROM versionkit_schema"));
        Assert.Equal(1L, await PostgresCluster.QueryAsync(database, "SELECT count(*) FROM versionkit_pin_changes"));
    }

    [Fact]
    public async Task A_database_of_the_schema_before_usage_is_migrated_and_keeps_its_pins()
    {
        string database = await postgres.Cluster.CreateDatabaseAsync();
        await using (var first = new PostgreSqlPinStore(database))
        {
            await first.PinIfAbsentAsync(AnyFirstPin);
        }

        await PostgresCluster.QueryAsync(database, "DROP TABLE versionkit_webhook_deliveries; DROP TABLE versionkit_event_renderings; DROP TABLE versionkit_events; DROP TABLE versionkit_webhook_endpoints; DROP TABLE versionkit_version_usage; UPDATE versionkit_schema SET version = 1");
        await using var store = new PostgreSqlPinStore(database);
        await store.RecordUsageAsync([new ApiVersionUsage(AnyFirstPin.AccountId, AnyFirstPin.To, DateTimeOffset.UnixEpoch, 2)]);

        Assert.Equal(AnyFirstPin.To, (await store.FindAsync(AnyFirstPin.AccountId))!.Version);
        Assert.Equal(new ApiVersionUsageSummary(AnyFirstPin.To, 1, 1, 2, DateTimeOffset.UnixEpoch), Assert.Single(await store.GetUsageSummaryAsync()));
        Assert.Equal(PostgreSqlPinStore.SchemaVersion, await PostgresCluster.QueryAsync(database, "SELECT version FROM versionkit_schema"));
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_VersionKit_is_refused_and_left_alone()
    {
        string database = await postgres.Cluster.CreateDatabaseAsync();
        await PostgresCluster.QueryAsync(database, "CREATE TABLE versionkit_schema (id integer PRIMARY KEY, version integer NOT NULL); INSERT INTO versionkit_schema VALUES (1, 99)");
        await using var store = new PostgreSqlPinStore(database);

        var error = await Assert.ThrowsAsync<PinStoreUnavailableException>(() => store.FindAsync("acct_1"));
        Assert.Contains($"schema is version 99, newer than this VersionKit knows ({PostgreSqlPinStore.SchemaVersion})", error.Message, StringComparison.Ordinal);
        Assert.Null(await PostgresCluster.QueryAsync(database, "SELECT to_regclass('versionkit_pins')::text"));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_the_stores_own_error_for_every_operation()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var builder = new NpgsqlConnectionStringBuilder(postgres.Cluster.ConnectionString()) { Port = closedPort };
        await using var store = new PostgreSqlPinStore(builder.ConnectionString);
        var change = AnyFirstPin with { From = AnyFirstPin.To };
        foreach (var operation in new Func<Task>[]
        {
            () => store.FindAsync("acct_1"),
            () => store.PinIfAbsentAsync(AnyFirstPin),
            () => store.ChangeAsync(change, null),
            () => store.GetChangesAsync("acct_1"),
        })
        {
            var error = await Assert.ThrowsAsync<PinStoreUnavailableException>(operation);
            Assert.StartsWith("The PostgreSQL pin store could not be used", error.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        }
    }

    [Fact]
    public async Task A_wrong_password_is_the_stores_own_error()
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.Cluster.ConnectionString()) { Password = "wrong" };
        await using var store = new PostgreSqlPinStore(builder.ConnectionString);
        var error = await Assert.ThrowsAsync<PinStoreUnavailableException>(() => store.FindAsync("acct_1"));
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_cluster_stops_and_leaves_nothing_behind()
    {
        var cluster = await PostgresCluster.StartNewAsync();
        string directory = cluster.Directory;
        int pid = int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, await PostgresCluster.QueryAsync(cluster.ConnectionString(), "SELECT 1"));

        await cluster.DisposeAsync();

        Assert.False(Directory.Exists(directory));
        Assert.False(IsAlive(pid), $"postgres (pid {pid}) is still running");
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, cluster.Port));
    }

    // A stopped server whose parent is gone may linger as a zombie until init reaps it: that is not running.
    private static bool IsAlive(int pid)
        => File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1][0] != 'Z';
}
