using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using VersionKit.Generators.Tests;

namespace VersionKit.Webhooks.Tests;

/// <summary>
/// The delivery worker in a real host, its outbox in a SQLite file, posting to a receiver on Kestrel at 127.0.0.1:
/// retries on a schedule, an endpoint disabled when the schedule is spent, a slow endpoint that cannot take every slot,
/// and the bounds on concurrency.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class DeliveryTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private readonly LoadedSource _shop = ShopSource.Load();
    private WebhookReceiver _receiver = null!;
    private IHost? _host;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await _receiver.DisposeAsync();
        _shop.Dispose();
        _database.Dispose();
    }

    private ApiEvents Events => _host!.Services.GetRequiredService<ApiEvents>();

    // Seconds become tenths, so that a schedule of five attempts passes in about two seconds.
    private static void Fast(WebhookOptions o)
    {
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.Timeout = TimeSpan.FromSeconds(2);
        o.LeaseDuration = TimeSpan.FromSeconds(10);
        o.FirstRetryDelay = TimeSpan.FromMilliseconds(200);
        o.MaxRetryDelay = TimeSpan.FromSeconds(1);
        o.MaxAttempts = 5;
    }

    private HostApplicationBuilder Builder(Action<WebhookOptions>? configure, bool withStore = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        var versionKit = builder.Services.AddVersionKit(_shop.History).UseJsonOptions(_shop.Options).UseInMemoryPins();
        if (withStore)
        {
            versionKit.UseSqliteWebhooks(_database.ConnectionString);
        }

        versionKit.AddWebhooks(o =>
        {
            Fast(o);
            configure?.Invoke(o);
        });
        return builder;
    }

    private async Task StartAsync(Action<WebhookOptions>? configure = null)
    {
        _host = Builder(configure).Build();
        await _host.StartAsync();
    }

    private async Task<WebhookEndpoint> AddEndpointAsync(string path, ApiVersion version, params string[] types)
    {
        var endpoint = new WebhookEndpoint("we_" + path.Trim('/').Replace('/', '_'), "acct_1", _receiver.Url(path), types.Length > 0 ? types : ["*"], version, WebhookSignature.NewSecret(), DateTimeOffset.UtcNow);
        await Events.Store.AddEndpointAsync(endpoint);
        return endpoint;
    }

    private Task<ApiEvent> PublishAsync(string id, string type = "order.paid")
        => Events.PublishAsync("acct_1", id, type, ShopSource.V2022, c => ShopSource.Event(_shop, 42, c.ApiVersion, id));

    private async Task<WebhookDelivery> WaitForAsync(string eventId, string endpointId, Func<WebhookDelivery, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var delivery = (await Events.Store.GetDeliveriesAsync(eventId)).Single(d => d.EndpointId == endpointId);
            if (done(delivery) || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                return delivery;
            }

            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_growing_waits_until_it_answers_and_every_attempt_is_signed()
    {
        int calls = 0;
        _receiver.Respond = (_, _) => Task.FromResult(Interlocked.Increment(ref calls) <= 2 ? 500 : 200);
        await StartAsync();
        var endpoint = await AddEndpointAsync("/hooks/1", ShopSource.V2020, "order.paid");
        var other = await AddEndpointAsync("/hooks/refunds", ShopSource.V2020, "order.refunded");
        await PublishAsync("evt_1");

        var delivery = await WaitForAsync("evt_1", endpoint.Id, d => d.Status != WebhookDeliveryStatus.Pending);
        Assert.Equal((WebhookDeliveryStatus.Succeeded, 3, 200), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        var got = _receiver.On("/hooks/1");
        Assert.Equal(3, got.Count);
        output.WriteLine($"Retries after {(got[1].At - got[0].At).TotalMilliseconds:0} ms and {(got[2].At - got[1].At).TotalMilliseconds:0} ms (schedule: 100-200 ms, then 200-400 ms, plus the poll).");

        // Waits of at least half of 200 ms, then of 400 ms (equal jitter keeps half of each wait).
        Assert.True(got[1].At - got[0].At >= TimeSpan.FromMilliseconds(100), $"first retry after {(got[1].At - got[0].At).TotalMilliseconds} ms");
        Assert.True(got[2].At - got[1].At >= TimeSpan.FromMilliseconds(200), $"second retry after {(got[2].At - got[1].At).TotalMilliseconds} ms");

        // The same bytes each time, at the endpoint's version, each signed anew and accepted by Stripe's library.
        string expected = System.Text.Encoding.UTF8.GetString((await Events.Store.FindRenderingAsync("evt_1", ShopSource.V2020))!.Value.Span);
        Assert.All(got, r => Assert.Equal(expected, r.Body));
        Assert.All(got, r => EventUtility.ValidateSignature(r.Body, r.Signature, endpoint.Secret, 300));
        Assert.Equal("paid", (string?)JsonNode.Parse(expected)!["data"]!["state"]);

        var healthy = (await Events.Store.FindEndpointAsync("acct_1", endpoint.Id))!;
        Assert.Equal((WebhookEndpointStatus.Enabled, 0, null), (healthy.Status, healthy.ConsecutiveFailures, healthy.FailingSince));
        Assert.DoesNotContain(await Events.Store.GetDeliveriesAsync("evt_1"), d => d.EndpointId == other.Id);
        Assert.Empty(_receiver.On("/hooks/refunds"));
    }

    [Fact]
    public async Task An_endpoint_that_fails_every_attempt_of_the_schedule_is_disabled_and_gets_no_new_events()
    {
        _receiver.Respond = (_, _) => Task.FromResult(503);
        await StartAsync(o => o.MaxAttempts = 3);
        var endpoint = await AddEndpointAsync("/down", ShopSource.V2021);
        await PublishAsync("evt_1");

        var delivery = await WaitForAsync("evt_1", endpoint.Id, d => d.Status != WebhookDeliveryStatus.Pending);
        Assert.Equal((WebhookDeliveryStatus.Failed, 3, 503), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal("The endpoint answered 503.", delivery.LastError);
        var disabled = (await Events.Store.FindEndpointAsync("acct_1", endpoint.Id))!;
        Assert.Equal((WebhookEndpointStatus.Disabled, 3), (disabled.Status, disabled.ConsecutiveFailures));
        Assert.NotNull(disabled.FailingSince);

        var next = await PublishAsync("evt_2");
        Assert.Empty(await Events.Store.GetDeliveriesAsync(next.Id));
        await Task.Delay(300);
        Assert.Equal(3, _receiver.On("/down").Count);
    }

    [Fact]
    public async Task A_slow_endpoint_takes_at_most_its_share_of_the_slots_and_the_others_are_delivered_meanwhile()
    {
        var timeout = TimeSpan.FromSeconds(3);
        _receiver.Respond = async (r, cancel) =>
        {
            if (r.Path == "/slow")
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancel);
            }

            return 200;
        };
        await StartAsync(o =>
        {
            o.Timeout = timeout;
            o.MaxConcurrency = 4;
            o.MaxConcurrencyPerEndpoint = 2;
        });
        var slow = await AddEndpointAsync("/slow", ShopSource.V2022);
        await AddEndpointAsync("/fast", ShopSource.V2022);
        for (int i = 0; i < 10; i++)
        {
            await PublishAsync("evt_" + i);
        }

        Assert.True(await _receiver.WaitUntilAsync(r => r.Count(x => x.Path == "/fast") == 10, TimeSpan.FromSeconds(20)), "the fast endpoint did not get its 10 events");
        var fastDone = _receiver.On("/fast").Max(r => r.At);
        var firstSlow = _receiver.On("/slow").Min(r => r.At);
        Assert.True(fastDone < firstSlow + timeout, $"the fast endpoint's last event came {(fastDone - firstSlow).TotalSeconds:0.00} s after the slow one's first, beyond its timeout");
        Assert.True(_receiver.MaxInFlightOn("/slow") <= 2, $"{_receiver.MaxInFlightOn("/slow")} attempts at once on the slow endpoint");
        output.WriteLine($"The fast endpoint had its 10 events {(fastDone - firstSlow).TotalMilliseconds:0} ms after the slow one's first attempt began (timeout 3 s); the slow one held at most {_receiver.MaxInFlightOn("/slow")} attempts at once.");

        var timedOut = await WaitForAsync("evt_0", slow.Id, d => d.LastError is not null);
        Assert.Equal("The endpoint did not answer within 3 s.", timedOut.LastError);
        Assert.Equal(WebhookDeliveryStatus.Pending, timedOut.Status);
        Assert.True(_receiver.MaxInFlight <= 4, $"{_receiver.MaxInFlight} attempts at once");
    }

    [Fact]
    public async Task Attempts_stay_within_the_concurrency_bounds_and_each_delivery_is_made_once()
    {
        _receiver.Respond = async (_, cancel) =>
        {
            await Task.Delay(50, cancel);
            return 200;
        };
        await StartAsync(o =>
        {
            o.MaxConcurrency = 4;
            o.MaxConcurrencyPerEndpoint = 2;
        });
        for (int i = 0; i < 3; i++)
        {
            await AddEndpointAsync("/e" + i, ShopSource.V2020);
        }

        for (int i = 0; i < 20; i++)
        {
            await PublishAsync("evt_" + i);
        }

        Assert.True(await _receiver.WaitUntilAsync(r => r.Count >= 60, TimeSpan.FromSeconds(30)), $"{_receiver.Received.Count} of 60 arrived");
        await Task.Delay(200);
        var pairs = _receiver.Received.Select(r => (r.Path, Id: (string?)JsonNode.Parse(r.Body)!["id"])).ToList();
        Assert.Equal(60, pairs.Distinct().Count());
        Assert.Equal(60, pairs.Count);
        Assert.True(_receiver.MaxInFlight <= 4, $"{_receiver.MaxInFlight} attempts at once");
        Assert.All(["/e0", "/e1", "/e2"], p => Assert.True(_receiver.MaxInFlightOn(p) <= 2, $"{_receiver.MaxInFlightOn(p)} at once on {p}"));
        for (int i = 0; i < 20; i++)
        {
            Assert.All(await Events.Store.GetDeliveriesAsync("evt_" + i), d => Assert.Equal((WebhookDeliveryStatus.Succeeded, 1), (d.Status, d.Attempts)));
        }
    }

    public static TheoryData<string, string> BadOptions => new()
    {
        { nameof(WebhookOptions.Timeout), "WebhookOptions.Timeout must be positive." },
        { nameof(WebhookOptions.LeaseDuration), "WebhookOptions.LeaseDuration must be longer than Timeout" },
        { nameof(WebhookOptions.MaxAttempts), "WebhookOptions.MaxAttempts must be at least 1." },
        { nameof(WebhookOptions.MaxRetryDelay), "WebhookOptions.FirstRetryDelay must be positive and MaxRetryDelay at least FirstRetryDelay." },
        { nameof(WebhookOptions.MaxConcurrencyPerEndpoint), "MaxConcurrencyPerEndpoint at most MaxConcurrency." },
        { nameof(WebhookOptions.PollInterval), "WebhookOptions.PollInterval must be positive." },
        { nameof(WebhookOptions.WorkerName), "WebhookOptions.WorkerName must name the process." },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Bad_options_stop_the_app_as_it_starts_with_a_message_naming_the_option(string option, string message)
    {
        using var host = Builder(o =>
        {
            switch (option)
            {
                case nameof(WebhookOptions.Timeout): o.Timeout = TimeSpan.Zero; break;
                case nameof(WebhookOptions.LeaseDuration): o.LeaseDuration = o.Timeout; break;
                case nameof(WebhookOptions.MaxAttempts): o.MaxAttempts = 0; break;
                case nameof(WebhookOptions.MaxRetryDelay): o.MaxRetryDelay = o.FirstRetryDelay / 2; break;
                case nameof(WebhookOptions.MaxConcurrencyPerEndpoint): o.MaxConcurrencyPerEndpoint = o.MaxConcurrency + 1; break;
                case nameof(WebhookOptions.PollInterval): o.PollInterval = TimeSpan.FromSeconds(-1); break;
                default: o.WorkerName = " "; break;
            }
        }).Build();
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_webhook_store_the_app_refuses_to_start_and_names_the_calls_that_choose_one()
    {
        using var host = Builder(null, withStore: false).Build();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains(".UseSqliteWebhooks(connectionString)", refused.Message, StringComparison.Ordinal);
        Assert.Contains(".UsePostgreSqlWebhooks(connectionString)", refused.Message, StringComparison.Ordinal);
    }
}
