using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Api;
using VersionKit.AspNetCore;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// Two instances of the sample on real Kestrel (127.0.0.1, free ports), as two machines: their data in one SQLite file,
/// their pins in one PostgreSQL database of the private cluster (<c>--VersionKit:PostgreSql</c>), pins cached for
/// <see cref="CacheDuration"/>. Their logs are kept, so that a test can say nothing went wrong that it did not see.
/// </summary>
public sealed class SampleFleet : IAsyncDisposable
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(1);

    private readonly string _directory = Directory.CreateTempSubdirectory("versionkit-fleet-").FullName;
    private readonly List<WebApplication> _apps = [];

    private SampleFleet(string pinDatabase) => PinDatabase = pinDatabase;

    public string PinDatabase { get; }

    public IReadOnlyList<HttpClient> Instances { get; private set; } = [];

    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Logs { get; } = new();

    public IEnumerable<string> Errors => Logs.Where(l => l.Level >= LogLevel.Error).Select(l => $"{l.Category}: {l.Message}");

    /// <summary>Starts the instances; <paramref name="arguments"/> adds command-line arguments to instance i (0, 1, ...).</summary>
    public static async Task<SampleFleet> StartAsync(PostgresCluster cluster, int instances = 2, Func<SampleFleet, int, IEnumerable<string>>? arguments = null)
    {
        var fleet = new SampleFleet(await cluster.CreateDatabaseAsync());
        var clients = new List<HttpClient>();
        for (int i = 0; i < instances; i++)
        {
            var app = PaymentsApp.Build(
                [
                    "--urls", "http://127.0.0.1:0",
                    "--environment", "Production",
                    "--Payments:Database=Data Source=" + Path.Combine(fleet._directory, "payments.db"),
                    "--VersionKit:PostgreSql=" + fleet.PinDatabase,
                    .. arguments?.Invoke(fleet, i) ?? [],
                ],
                builder =>
                {
                    builder.Logging.ClearProviders().AddProvider(new QueueLoggerProvider(fleet.Logs));
                    builder.Services.Configure<VersionKitOptions>(o => o.Pins.CacheDuration = CacheDuration);
                });
            fleet._apps.Add(app);
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            clients.Add(new HttpClient { BaseAddress = new Uri(address) });
        }

        fleet.Instances = clients;
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Instances)
        {
            client.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public static string NewAccount() => "acct_" + Guid.NewGuid().ToString("N")[..12];

    public static HttpRequestMessage Request(HttpMethod method, string path, string? account, object? body = null, string? version = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (account is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_" + account);
        }

        if (version is not null)
        {
            request.Headers.Add("Stripe-Version", version);
        }

        return request;
    }

    /// <summary>Sends a request that must succeed and returns its JSON.</summary>
    public static async Task<JsonObject> SucceedAsync(HttpClient instance, HttpMethod method, string path, string? account, object? body = null)
    {
        using var request = Request(method, path, account, body);
        using var response = await instance.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>Creates an account pinned at <paramref name="version"/> through <paramref name="instance"/>.</summary>
    public static async Task<string> CreateAccountAsync(HttpClient instance, ApiVersion version)
    {
        string id = NewAccount();
        await SucceedAsync(instance, HttpMethod.Post, "/v1/test_helpers/accounts", null, new { id, api_version = version.ToString() });
        return id;
    }

    /// <summary>
    /// Gives the account a customer, a bank account, a charge (and so an event), each created as a caller of its version
    /// would, and returns the paths that read them back.
    /// </summary>
    public static async Task<string[]> SeedAsync(HttpClient instance, string account, ApiVersion version)
    {
        var customer = await SucceedAsync(instance, HttpMethod.Post, "/v1/customers", account, new { email = "jenny.rosen@example.com", name = "Jenny Rosen" });
        string customerId = (string)customer["id"]!;
        // Each request names its fields as its version does (VersionKit refuses a field the version does not have).
        string Name(Type request, string field) => PaymentsApiHistory.Default.GetRequestFieldName(request, field, version);
        var bankAccount = await SucceedAsync(instance, HttpMethod.Post, $"/v1/customers/{customerId}/bank_accounts", account, new Dictionary<string, object>
        {
            ["country"] = "US",
            ["currency"] = "usd",
            [Name(typeof(CreateBankAccount), "account_holder_name")] = "Jenny Rosen",
            ["account_number"] = version.Date.Year % 2 == 0 ? "000123451116" : "000123450000",
            ["routing_number"] = "110000000",
        });
        // Before 2014-08-04 callers pay with a card; the request change turns it into the current source.
        object chargeBody = version < ApiVersion.Parse("2014-08-04")
            ? new { amount = 2000, currency = "usd", customer = customerId, card = new { id = "card_1" } }
            : new { amount = 2000, currency = "usd", customer = customerId, source = "tok_visa" };
        var charge = await SucceedAsync(instance, HttpMethod.Post, "/v1/charges", account, chargeBody);
        string limit = Name(typeof(ListEvents), "limit");
        var events = await SucceedAsync(instance, HttpMethod.Get, $"/v1/events?{limit}=1", account);
        return
        [
            "/v1/account",
            "/v1/customers/" + customerId,
            $"/v1/customers/{customerId}/bank_accounts/{bankAccount["id"]}",
            "/v1/charges/" + charge["id"],
            $"/v1/events?{limit}=3",
            "/v1/events/" + events["data"]![0]!["id"],
        ];
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<(LogLevel, string, string)> queue) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(queue, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<(LogLevel, string, string)> queue, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                queue.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message)));
            }
        }
    }
}
