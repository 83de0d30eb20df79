using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Api;
using SampleEventRequest = Payments.Api.EventRequest;
using StoredEndpoint = VersionKit.Webhooks.WebhookEndpoint;
using VersionKit.Reliability.Tests;
using VersionKit.Webhooks;
using VersionKit.Webhooks.Tests;

namespace VersionKit.Benchmarks;

/// <summary>How fast one outbox drained: deliveries made, the time it took, and deliveries per second.</summary>
public sealed record OutboxResult(string Store, int Deliveries, double Seconds, double DeliveriesPerSecond, int MaxInFlight);

/// <summary>
/// The outbox's throughput (<c>--only outbox</c>): events of the sample (charge.succeeded) for 8 endpoints of one account,
/// queued with the worker off, then delivered by one process with the default concurrency (16, 4 per endpoint) to a
/// receiver on Kestrel at 127.0.0.1 that answers 200 at once; timed from the worker's start to the last arrival. Once with
/// the outbox in a SQLite file, once in PostgreSQL (a private server made with initdb, as the reliability tests make it).
/// </summary>
public static class OutboxThroughput
{
    private const int Endpoints = 8;

    public static async Task<IReadOnlyList<OutboxResult>> RunAsync(bool quick, string artifacts)
    {
        int events = quick ? 250 : 1000;
        var results = new List<OutboxResult>();
        string directory = Directory.CreateTempSubdirectory("versionkit-outbox-").FullName;
        try
        {
            results.Add(await MeasureAsync("SQLite", events, b => b.UseSqliteWebhooks("Data Source=" + Path.Combine(directory, "outbox.db"))));
            await using var cluster = await PostgresCluster.StartNewAsync();
            string database = await cluster.CreateDatabaseAsync();
            results.Add(await MeasureAsync("PostgreSQL", events, b => b.UsePostgreSqlWebhooks(database)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "outbox.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        return results;
    }

    private static async Task<OutboxResult> MeasureAsync(string store, int events, Action<VersionKitBuilder> useStore)
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        // Queued with the worker off, so that the run times delivery alone.
        using (var publisher = Host(useStore, deliver: false))
        {
            await publisher.StartAsync();
            var apiEvents = publisher.Services.GetRequiredService<ApiEvents>();
            for (int i = 0; i < Endpoints; i++)
            {
                await apiEvents.Store.AddEndpointAsync(new StoredEndpoint("we_" + i, "acct_1", receiver.Url("/" + i), ["*"], i % 2 == 0 ? PaymentsApiHistory.Default.Latest : ApiVersion.Parse("2011-08-01"), WebhookSignature.NewSecret(), DateTimeOffset.UtcNow));
            }

            for (int i = 0; i < events; i++)
            {
                var charge = new Payments.Api.Charge { Id = "ch_" + i, Amount = 2000, Currency = "usd", Created = 1700000000 };
                await PaymentsEvents.ChargeSucceededAsync(apiEvents, "acct_1", PaymentsApiHistory.Default.Latest, charge, new SampleEventRequest { Id = "req_" + i });
            }

            await publisher.StopAsync();
        }

        int total = events * Endpoints;
        using var worker = Host(useStore, deliver: true);
        var clock = Stopwatch.StartNew();
        await worker.StartAsync();
        if (!await receiver.WaitUntilAsync(r => r.Count >= total, TimeSpan.FromMinutes(5)))
        {
            throw new InvalidOperationException($"{store}: {receiver.Received.Count} of {total} deliveries arrived within 5 minutes.");
        }

        double seconds = clock.Elapsed.TotalSeconds;
        await worker.StopAsync();
        var result = new OutboxResult(store, total, Math.Round(seconds, 2), Math.Round(total / seconds), receiver.MaxInFlight);
        Console.WriteLine($"Outbox in {store}: {total} deliveries in {seconds:0.00} s, {result.DeliveriesPerSecond:0} per second (at most {result.MaxInFlight} at once at the receiver)");
        return result;
    }

    private static IHost Host(Action<VersionKitBuilder> useStore, bool deliver)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        var versionKit = builder.Services.AddVersionKit(PaymentsApiHistory.Default)
            .UseJsonOptions(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            .UseInMemoryPins();
        useStore(versionKit);
        versionKit.AddWebhooks(o =>
        {
            o.Deliver = deliver;
            o.PollInterval = TimeSpan.FromMilliseconds(20);
        });
        return builder.Build();
    }
}
