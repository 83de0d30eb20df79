using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// A private PostgreSQL server for the tests: a cluster made with <c>initdb</c> in a temporary folder, started with
/// <c>pg_ctl</c> on 127.0.0.1 and a free port, password authentication over TCP, and on dispose stopped and deleted,
/// leaving nothing behind. PostgreSQL refuses to run as root, so as root the tools run as the <c>postgres</c> user
/// (<c>runuser</c>), which owns the folder; <c>./test.sh</c> creates that user where it is missing.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string Superuser = "postgres";

    private const string ServiceUser = "postgres";

    private readonly string _bin;
    private readonly string _password = "pw_" + Guid.NewGuid().ToString("N");

    private PostgresCluster(string bin, string directory)
    {
        _bin = bin;
        Directory = directory;
    }

    /// <summary>The temporary folder: the data directory, the socket, the server log.</summary>
    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    private static bool RunningAsRoot => Environment.UserName == "root";

    /// <summary>A connection string for <paramref name="database"/> on this server, as the superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = Superuser,
        Password = _password,
        Timeout = 5,
        // Two app instances and a load run share one server: keep each pool well inside max_connections.
        MaxPoolSize = 20,
    }.ConnectionString;

    /// <summary>Makes a new cluster in a temporary folder and starts it.</summary>
    public static async Task<PostgresCluster> StartNewAsync()
    {
        string bin = FindBinaries();
        var cluster = new PostgresCluster(bin, System.IO.Directory.CreateTempSubdirectory("versionkit-pg-").FullName);
        try
        {
            await cluster.InitAsync();
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again), on a new free port the first time and on the same port afterwards.</summary>
    public async Task StartAsync()
    {
        for (int attempt = 1; ; attempt++)
        {
            if (Port == 0 || attempt > 1)
            {
                Port = FreePort();
            }

            try
            {
                await RunAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(Directory, "server.log"), "-w", "-t", "60",
                    "-o", "-p " + Port.ToString(CultureInfo.InvariantCulture), "start");
                IsRunning = true;
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && File.ReadAllText(Path.Combine(Directory, "server.log")).Contains("could not bind", StringComparison.Ordinal))
            {
                // Another process took the port between the probe and the start: try another.
            }
        }
    }

    /// <summary>Stops the server: <c>fast</c> ends every session at once, as a database that goes down does.</summary>
    public async Task StopAsync(string mode = "fast")
    {
        await RunAsync("pg_ctl", "-D", DataDirectory, "-m", mode, "-w", "-t", "60", "stop");
        IsRunning = false;
    }

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "vk_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(Unpooled(ConnectionString())))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>Runs SQL on <paramref name="connectionString"/>'s database and returns the first column of the first row.</summary>
    public static async Task<object?> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }

    // The tests' own connections are not pooled: a pooled one would not survive the server's restart in the fault test.
    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (IsRunning)
        {
            await StopAsync("fast");
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task InitAsync()
    {
        string passwordFile = Path.Combine(Directory, "password");
        await File.WriteAllTextAsync(passwordFile, _password + "\n");
        if (RunningAsRoot)
        {
            if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServiceUser + ":", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL does not run as root, and there is no '{ServiceUser}' user to run it as: create one ('useradd --system {ServiceUser}'; ./test.sh does).");
            }

            await RunProcessAsync("chown", ["-R", ServiceUser + ":", Directory], asServiceUser: false);
        }

        await RunAsync("initdb", "-D", DataDirectory, "-U", Superuser, "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--no-locale", "--no-sync");
        File.Delete(passwordFile);

        // A throwaway server: no durability work, room for two app instances, only loopback TCP and a socket in its own folder.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{Directory}'
            max_connections = 200
            shared_buffers = 32MB
            fsync = off
            synchronous_commit = off
            full_page_writes = off

            """);
    }

    private Task RunAsync(string tool, params string[] arguments) => RunProcessAsync(Path.Combine(_bin, tool), arguments, asServiceUser: RunningAsRoot);

    private async Task RunProcessAsync(string program, string[] arguments, bool asServiceUser)
    {
        var start = new ProcessStartInfo(asServiceUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The tools read their working directory; the test's own may be closed to the postgres user.
            WorkingDirectory = Directory,
        };
        if (asServiceUser)
        {
            foreach (string argument in (string[])["-u", ServiceUser, "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        // pg_ctl start leaves the server running with our pipes unless it gets its own log (-l): read to the end.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            string log = Path.Combine(Directory, "server.log");
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}"
                + (File.Exists(log) ? "\nserver.log:\n" + File.ReadAllText(log) : string.Empty));
        }
    }

    private static string FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("VERSIONKIT_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int major) ? major : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "PostgreSQL's server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin, VERSIONKIT_PG_BIN or PATH. Install the PostgreSQL server (./test.sh does).");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
