using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Payments.Api;
using SampleCharge = Payments.Api.Charge;
using SampleEvent = Payments.Api.Event;
using SampleEventData = Payments.Api.EventData;
using SampleEventRequest = Payments.Api.EventRequest;
using VersionKit.Sqlite;
using VersionKit.Webhooks;

namespace VersionKit.Benchmarks;

/// <summary>
/// One event (the sample's charge.succeeded, with its charge) for 1,000 webhook endpoints over 3 versions (2011-08-01,
/// 2017-04-06 and the latest, in turn): rendered once per endpoint (the baseline), against <see cref="ApiEvents.Render"/>,
/// once per distinct version, each endpoint then handed its version's bytes.
/// </summary>
public class WebhookFanOutBenchmarks
{
    private static readonly ApiVersion[] Versions = [ApiVersion.Parse("2011-08-01"), ApiVersion.Parse("2017-04-06"), PaymentsApiHistory.Default.Latest];

    private readonly ApiVersion[] _endpoints = [.. Enumerable.Range(0, 1000).Select(i => Versions[i % Versions.Length])];
    private readonly ReadOnlyMemory<byte>[] _bodies = new ReadOnlyMemory<byte>[1000];
    private ApiRenderer _renderer = null!;
    private ApiEvents _events = null!;
    private SampleCharge _charge = null!;

    [GlobalSetup]
    public void Setup()
    {
        _renderer = new ApiRenderer(PaymentsApiHistory.Default, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

        // Rendering never reaches the store: it is there because ApiEvents records what it renders.
        _events = new ApiEvents(_renderer, new SqliteWebhookStore("Data Source=" + Path.Combine(Path.GetTempPath(), "versionkit-fanout-unused.db")));
        _charge = new SampleCharge { Id = "ch_1", Amount = 2000, Currency = "usd", Customer = "cus_1", Created = 1700000000, Source = "tok_visa", ReceiptEmail = "jenny@example.com" };
    }

    private SampleEvent EventAt(ApiVersion version) => new()
    {
        Id = "evt_1",
        ApiVersion = version.ToString(),
        Type = "charge.succeeded",
        Created = 1700000000,
        Data = new SampleEventData { Object = _charge },
        Request = new SampleEventRequest { Id = "req_1", IdempotencyKey = "key_1" },
        PendingWebhooks = 1000,
    };

    /// <summary>Each endpoint's event rendered for it.</summary>
    [Benchmark(Baseline = true)]
    public void RenderPerEndpoint()
    {
        for (int i = 0; i < _endpoints.Length; i++)
        {
            _bodies[i] = _renderer.RenderToUtf8Bytes(EventAt(_endpoints[i]), _endpoints[i]);
        }
    }

    /// <summary>The event rendered once per distinct version, as <see cref="ApiEvents.PublishAsync"/> does, and each endpoint given its version's rendering.</summary>
    [Benchmark]
    public void RenderPerVersion()
    {
        var renderings = _events.Render(EventAt, PaymentsApiHistory.Default.Latest, _endpoints);
        for (int i = 0; i < _endpoints.Length; i++)
        {
            for (int r = 0; r < renderings.Count; r++)
            {
                if (renderings[r].ApiVersion == _endpoints[i])
                {
                    _bodies[i] = renderings[r].Body;
                    break;
                }
            }
        }
    }
}
