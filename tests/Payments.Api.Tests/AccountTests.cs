using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using VersionKit;
using VersionKit.Pins;

namespace Payments.Api.Tests;

/// <summary>The sample with a fake clock and a pin store that can be made to fail, for the account and pin scenarios.</summary>
public sealed class ControlledPaymentsServer : PaymentsServer
{
    public FailableClock Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public FailingPinStore? Store { get; private set; }

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Clock);
        var store = new FailingPinStore(new VersionKit.Sqlite.SqlitePinStore(Database));
        Store = store;
        builder.Services.Replace(ServiceDescriptor.Singleton<IApiVersionPinStore>(store));
    }
}

/// <summary>A fake clock that can be made to throw, for a handler that fails in a way the sample did not foresee.</summary>
public sealed class FailableClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    public volatile bool Failing;

    public override DateTimeOffset GetUtcNow() => Failing ? throw new InvalidOperationException("The clock failed (test).") : base.GetUtcNow();
}

/// <summary>A real SQLite store that can be switched off, as a database that goes away would be.</summary>
public sealed class FailingPinStore(IApiVersionPinStore inner) : IApiVersionPinStore
{
    public volatile bool Failing;

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new PinStoreUnavailableException("The database is down (test).");
        }
    }

    public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.FindAsync(accountId, cancellationToken);
    }

    public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.PinIfAbsentAsync(change, cancellationToken);
    }

    public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.ChangeAsync(change, previousVersion, cancellationToken);
    }

    public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default)
        => inner.GetChangesAsync(accountId, cancellationToken);
}

public class AccountTests(ControlledPaymentsServer server) : IClassFixture<ControlledPaymentsServer>
{
    private static readonly string Latest = PaymentsApiHistory.Version.V2024_10_28_Acacia.ToString();

    private IApiVersionPinStore Pins => server.App.Services.GetRequiredService<IApiVersionPinStore>();

    [Fact]
    public async Task A_call_without_a_key_gets_401_problem()
    {
        var (response, problem) = await server.SendAsync(null, HttpMethod.Get, "/v1/events");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sk_test_", (string?)problem["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_request_pins_the_account_to_the_latest_version_and_records_it()
    {
        string account = PaymentsServer.NewAccount();
        var (response, json) = await server.SendAsync(account, HttpMethod.Get, "/v1/account");
        Assert.Equal(Latest, (string?)json["api_version"]);
        Assert.Equal(Latest, response.Headers.GetValues("Stripe-Version").Single());
        var change = Assert.Single(await Pins.GetChangesAsync(account));
        Assert.Equal(PinChangeReason.FirstRequest, change.Reason);
        Assert.Null(change.From);
        Assert.Equal(PaymentsApiHistory.Version.V2024_10_28_Acacia, change.To);
    }

    [Fact]
    public async Task An_account_pinned_in_2011_gets_2011_shapes_without_a_header_across_restarts()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        await server.PostAsync("/v1/charges", new { amount = 900, currency = "usd", card = "card_1" }, account);
        for (int run = 0; run < 2; run++)
        {
            var (response, list) = await server.SendAsync(account, HttpMethod.Get, "/v1/events");
            Assert.Equal("2011-08-01", response.Headers.GetValues("Stripe-Version").Single());
            var @event = list["data"]![0]!;
            Assert.IsType<string>((string?)@event["request"]);
            Assert.Equal("card_1", (string?)@event["data"]!["object"]!["card"]);
            Assert.Equal("2011-08-01", (string?)(await server.GetAsync("/v1/account", account))["api_version"]);
            await server.RestartAsync();
        }
    }

    [Fact]
    public async Task The_header_overrides_the_pin_for_one_request()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        var (response, _) = await server.SendAsync(account, HttpMethod.Get, "/v1/events", version: "2017-05-25");
        Assert.Equal("2017-05-25", response.Headers.GetValues("Stripe-Version").Single());
        Assert.Equal("2011-08-01", (string?)(await server.GetAsync("/v1/account", account))["api_version"]);
    }

    [Fact]
    public async Task A_platform_acting_for_a_connected_account_gets_the_platforms_version_and_the_accounts_data()
    {
        string platform = await server.CreateAccountAsync("2017-05-25");
        string connected = await server.CreateAccountAsync("2011-08-01", platform);
        await server.PostAsync("/v1/charges", new { amount = 1200, currency = "usd" }, connected);

        var (response, list) = await server.SendAsync(platform, HttpMethod.Get, "/v1/events", configure: r => r.Headers.Add("Stripe-Account", connected));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2017-05-25", response.Headers.GetValues("Stripe-Version").Single());
        Assert.Equal(1200L, (long?)list["data"]![0]!["data"]!["object"]!["amount"]);
        Assert.IsType<JsonObject>(list["data"]![0]!["request"]);

        var (own, ownList) = await server.SendAsync(platform, HttpMethod.Get, "/v1/events");
        Assert.Empty(ownList["data"]!.AsArray());
        Assert.Equal("2017-05-25", own.Headers.GetValues("Stripe-Version").Single());
    }

    [Fact]
    public async Task Acting_for_an_account_not_connected_to_you_is_forbidden()
    {
        string platform = await server.CreateAccountAsync();
        string stranger = await server.CreateAccountAsync("2011-08-01");
        var (response, problem) = await server.SendAsync(platform, HttpMethod.Get, "/v1/events", configure: r => r.Headers.Add("Stripe-Account", stranger));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not connected", (string?)problem["error"]!["message"], StringComparison.Ordinal);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task Fifty_concurrent_first_requests_pin_the_account_once()
    {
        string account = PaymentsServer.NewAccount();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => server.SendAsync(account, HttpMethod.Get, "/v1/events")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.Single(responses.Select(r => r.Response.Headers.GetValues("Stripe-Version").Single()).Distinct());
        var change = Assert.Single(await Pins.GetChangesAsync(account));
        Assert.Equal(PinChangeReason.FirstRequest, change.Reason);
    }

    [Fact]
    public async Task Upgrade_moves_forward_refuses_a_downgrade_and_rolls_back_within_the_window()
    {
        string account = await server.CreateAccountAsync("2013-02-13");
        var upgraded = await server.PostAsync("/v1/account/api_version", new { api_version = "2017-05-25" }, account);
        Assert.Equal("2017-05-25", (string?)upgraded["api_version"]);
        var (after, _) = await server.SendAsync(account, HttpMethod.Get, "/v1/events");
        Assert.Equal("2017-05-25", after.Headers.GetValues("Stripe-Version").Single());

        var (refused, problem) = await server.SendAsync(account, HttpMethod.Post, "/v1/account/api_version", new { api_version = "2014-05-19" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("only moves forward", (string?)problem["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal("api_version", (string?)problem["error"]!["field"]); // errors too are rendered at the account's version, before ErrorParam

        server.Clock.Advance(TimeSpan.FromHours(71));
        var rolledBack = await server.PostAsync("/v1/account/api_version/rollback", new { }, account);
        Assert.Equal("2013-02-13", (string?)rolledBack["api_version"]);

        var reasons = (await Pins.GetChangesAsync(account)).Select(c => (c.Reason, c.From?.ToString(), c.To.ToString()));
        Assert.Equal([(PinChangeReason.Assigned, null, "2013-02-13"), (PinChangeReason.Upgrade, "2013-02-13", "2017-05-25"), (PinChangeReason.Rollback, "2017-05-25", "2013-02-13")], reasons);
    }

    [Fact]
    public async Task A_rollback_after_the_window_is_refused()
    {
        string account = await server.CreateAccountAsync("2013-02-13");
        await server.PostAsync("/v1/account/api_version", new { api_version = "2016-07-06" }, account);
        server.Clock.Advance(TimeSpan.FromHours(73));
        var (response, problem) = await server.SendAsync(account, HttpMethod.Post, "/v1/account/api_version/rollback", new { });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rollback window closed", (string?)problem["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal("2016-07-06", (string?)(await server.GetAsync("/v1/account", account))["api_version"]);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_store_that_fails_serves_the_cached_pin_or_503_and_never_repins()
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "VersionKit" && instrument.Name == "versionkit.store_unavailable")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => outcomes.Add((string)tags.ToArray().Single(t => t.Key == "outcome").Value!));
        listener.Start();

        string known = await server.CreateAccountAsync("2011-08-01");
        await server.GetAsync("/v1/events", known);
        string unknown = await server.CreateAccountAsync("2013-02-13");
        await server.RestartAsync();
        await server.GetAsync("/v1/events", known);

        server.Store!.Failing = true;
        try
        {
            server.Clock.Advance(TimeSpan.FromMinutes(5));
            var (cached, _) = await server.SendAsync(known, HttpMethod.Get, "/v1/events");
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            Assert.Equal("2011-08-01", cached.Headers.GetValues("Stripe-Version").Single());

            var (refused, problem) = await server.SendAsync(unknown, HttpMethod.Get, "/v1/events");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
            Assert.False(refused.Headers.Contains("Stripe-Version"));
            Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("cached", outcomes);
            Assert.Contains("503", outcomes);
        }
        finally
        {
            server.Store.Failing = false;
        }

        var (back, _) = await server.SendAsync(unknown, HttpMethod.Get, "/v1/events");
        Assert.Equal("2013-02-13", back.Headers.GetValues("Stripe-Version").Single());
        Assert.Single(await Pins.GetChangesAsync(unknown));
    }

    [Fact]
    public async Task An_old_request_body_is_upgraded_before_the_handler_runs_json_and_form()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        var fromJson = await server.PostAsync("/v1/charges", new { amount = 100, currency = "usd", card = new { id = "card_json", exp_year = 2030 } }, account);
        Assert.Equal("card_json", (string?)fromJson["card"]);

        var form = new StringContent("amount=200&currency=usd&card=card_form&metadata[order]=6735", Encoding.UTF8, "application/x-www-form-urlencoded");
        var (response, fromForm) = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("metadata", (string?)fromForm["error"]!["field"]);

        form = new StringContent("amount=200&currency=usd&card=card_form", Encoding.UTF8, "application/x-www-form-urlencoded");
        (response, fromForm) = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("card_form", (string?)fromForm["card"]);
        Assert.Equal(200L, (long?)fromForm["amount"]);

        var latest = await server.GetAsync("/v1/charges/" + (string)fromForm["id"]!, account, Latest);
        Assert.Equal("card_form", (string?)latest["source"]);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task An_old_request_of_the_wrong_shape_gets_400_naming_the_field_in_its_versions_error_shape()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        var (response, problem) = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", new { amount = 100, currency = "usd", card = 42 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("card must be a card id", (string?)problem["error"]!["message"], StringComparison.Ordinal);

        // VersionKit's own error, in the app's envelope at the caller's version: `field`, as the handler's errors say it.
        Assert.Equal("card", (string?)problem["error"]!["field"]);
        Assert.Equal("parameter_invalid", (string?)problem["error"]!["code"]);

        var (latest, latestProblem) = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", new { amount = 100, currency = "usd", card = "card_1" }, version: Latest);
        Assert.Equal(HttpStatusCode.BadRequest, latest.StatusCode);
        Assert.Equal("card", (string?)latestProblem["error"]!["param"]);
        Assert.Contains("unknown parameter", (string?)latestProblem["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_are_resources_rendered_at_the_callers_version()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        var (response, error) = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", new { currency = "usd" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("amount", (string?)error["error"]!["field"]);
        Assert.False(error["error"]!.AsObject().ContainsKey("param"));
        Assert.Equal("error", (string?)error["error"]!["object"]);
        Assert.Equal("parameter_missing", (string?)error["error"]!["code"]);
    }

    [Fact]
    public async Task An_old_query_string_is_upgraded_too()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        for (int i = 0; i < 3; i++)
        {
            await server.PostAsync("/v1/charges", new { amount = 10 + i, currency = "usd" }, account);
        }

        var list = await server.GetAsync("/v1/events?count=2", account);
        Assert.Equal(2, list["data"]!.AsArray().Count);
        Assert.True((bool)list["has_more"]!);
    }

    [Fact]
    public async Task A_deprecated_version_gets_Deprecation_Sunset_and_Link_headers()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        var (old, _) = await server.SendAsync(account, HttpMethod.Get, "/v1/events");
        Assert.Equal("@1704067200", old.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Fri, 01 Jan 2027 00:00:00 GMT", old.Headers.GetValues("Sunset").Single());
        string link = old.Headers.GetValues("Link").Single();
        Assert.Contains("</docs/changelog>; rel=\"deprecation\"", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"sunset\"", link, StringComparison.Ordinal);

        var (current, _) = await server.SendAsync(account, HttpMethod.Get, "/v1/events", version: Latest);
        Assert.False(current.Headers.Contains("Deprecation"));
        Assert.False(current.Headers.Contains("Sunset"));
    }

    [Fact]
    public async Task The_meter_counts_requests_per_version_and_source()
    {
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "VersionKit" && instrument.Name == "versionkit.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string key = string.Join(",", tags.ToArray().Where(t => t.Key is "version" or "source").OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"));
            counts.AddOrUpdate(key, value, (_, old) => old + value);
        });
        listener.Start();

        string account = await server.CreateAccountAsync("2013-02-13");
        await server.SendAsync(account, HttpMethod.Get, "/v1/events");
        await server.SendAsync(account, HttpMethod.Get, "/v1/events");
        await server.SendAsync(account, HttpMethod.Get, "/v1/events", version: "2016-02-03");
        await server.SendAsync(null, HttpMethod.Post, "/v1/test_helpers/accounts", new { id = PaymentsServer.NewAccount() });

        Assert.True(counts.GetValueOrDefault("source=pin,version=2013-02-13") >= 2);
        Assert.True(counts.GetValueOrDefault("source=header,version=2016-02-03") >= 1);
        Assert.True(counts.GetValueOrDefault($"source=default,version={Latest}") >= 1);
    }
}
