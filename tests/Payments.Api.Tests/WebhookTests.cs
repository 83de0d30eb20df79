using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using VersionKit.Webhooks;
using VersionKit.Webhooks.Tests;

namespace Payments.Api.Tests;

/// <summary>The sample with deliveries retried in tenths of seconds rather than minutes.</summary>
public sealed class WebhookServer : PaymentsServer
{
    protected override void Configure(WebApplicationBuilder builder)
        => builder.Services.Configure<WebhookOptions>(o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.FirstRetryDelay = TimeSpan.FromMilliseconds(200);
            o.MaxRetryDelay = TimeSpan.FromSeconds(1);
            o.Timeout = TimeSpan.FromSeconds(2);
            o.LeaseDuration = TimeSpan.FromSeconds(10);
        });
}

/// <summary>
/// Events at the version they were made, webhook endpoints with versions of their own, and signed deliveries to a receiver
/// on Kestrel at 127.0.0.1, over real HTTP.
/// </summary>
public sealed class WebhookTests(WebhookServer server) : IClassFixture<WebhookServer>, IAsyncLifetime
{
    private static readonly string Latest = PaymentsApiHistory.Default.Latest.ToString();

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static Task<JsonObject> ChargeAsync(WebhookServer server, string account, long amount = 2000)
        => server.PostAsync("/v1/charges", new { amount, currency = "usd", card = "card_1" }, account, "2011-08-01");

    private async Task<JsonObject> EventOfAsync(string account, JsonObject charge, string? version = null)
    {
        var list = await server.GetAsync("/v1/events?limit=100", account, version);
        string id = (string)list["data"]!.AsArray().Single(e => (string?)e!["data"]!["object"]!["id"] == (string?)charge["id"])!["id"]!;
        return await server.GetAsync("/v1/events/" + id, account, version);
    }

    [Fact]
    public async Task An_account_that_upgrades_reads_its_old_events_at_the_version_they_were_made_and_new_ones_at_the_new()
    {
        string account = await server.CreateAccountAsync("2017-04-06");
        var before = await ChargeAsync(server, account);
        await server.PostAsync("/v1/account/api_version", new { api_version = Latest }, account);
        var after = await ChargeAsync(server, account);

        var old = await EventOfAsync(account, before);
        Assert.Equal("2017-04-06", (string?)old["api_version"]);
        Assert.IsType<string>((string?)old["request"]);
        Assert.False(old.ContainsKey("pending_webhooks"));

        var current = await EventOfAsync(account, after);
        Assert.Equal(Latest, (string?)current["api_version"]);
        Assert.IsType<JsonObject>(current["request"]);

        // The list says the same of each, and a reader who names a version gets that one, at it.
        var list = (await server.GetAsync("/v1/events", account))["data"]!.AsArray();
        Assert.Equal([Latest, "2017-04-06"], list.Select(e => (string?)e!["api_version"]));
        var named = await EventOfAsync(account, before, Latest);
        Assert.Equal(Latest, (string?)named["api_version"]);
        Assert.Equal((string?)old["request"], (string?)named["request"]!["id"]);
        Assert.Equal(old.ToJsonString(), (await EventOfAsync(account, before)).ToJsonString());
    }

    [Fact]
    public async Task An_endpoint_at_2011_08_01_receives_events_in_that_shape_signed_with_its_secret()
    {
        string account = await server.CreateAccountAsync();
        var endpoint = await server.PostAsync("/v1/webhook_endpoints", new { url = _receiver.Url("/old").ToString(), enabled_events = new[] { "charge.succeeded" }, api_version = "2011-08-01" }, account);
        string secret = (string)endpoint["secret"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal("2011-08-01", (string?)endpoint["api_version"]);

        var charge = await ChargeAsync(server, account, 1234);
        Assert.True(await _receiver.WaitUntilAsync(r => r.Any(x => x.Path == "/old"), TimeSpan.FromSeconds(20)), "no delivery arrived");
        var delivery = _receiver.On("/old").Single();
        EventUtility.ValidateSignature(delivery.Body, delivery.Signature, secret, 300);
        Assert.Throws<StripeException>(() => EventUtility.ValidateSignature(delivery.Body.Replace("1234", "9999", StringComparison.Ordinal), delivery.Signature, secret, 300));

        var body = JsonNode.Parse(delivery.Body)!;
        Assert.Equal("2011-08-01", (string?)body["api_version"]);
        Assert.IsType<string>((string?)body["request"]);
        Assert.False(body.AsObject().ContainsKey("pending_webhooks"));
        Assert.Equal("card_1", (string?)body["data"]!["object"]!["card"]);
        Assert.Equal((string?)charge["id"], (string?)body["data"]!["object"]!["id"]);

        // The account reads the same event at its own version; the test helper lists the delivery.
        var own = await EventOfAsync(account, charge);
        Assert.Equal(Latest, (string?)own["api_version"]);
        Assert.Equal(1, (int?)own["pending_webhooks"]);
        var deliveries = await WaitForDeliveriesAsync(account, (string)own["id"]!, d => (string?)d["status"] == "succeeded");
        var listed = Assert.Single(deliveries);
        Assert.Equal(((string?)endpoint["id"], "2011-08-01", "succeeded", 1), ((string?)listed!["endpoint"], (string?)listed["api_version"], (string?)listed["status"], (int?)listed["attempts"]));
    }

    private async Task<JsonArray> WaitForDeliveriesAsync(string account, string eventId, Func<JsonNode, bool> done)
    {
        for (int i = 0; ; i++)
        {
            var deliveries = (await server.GetAsync($"/v1/test_helpers/events/{eventId}/deliveries", account))["data"]!.AsArray();
            if (deliveries.All(d => done(d!)) || i == 200)
            {
                return deliveries;
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_endpoint_made_through_Stripes_library_takes_the_accounts_version_and_its_events_are_read_by_ConstructEvent()
    {
        string account = await server.CreateAccountAsync();
        var client = new StripeClient(
            "sk_test_" + account,
            httpClient: new SystemNetHttpClient(new HttpClient(new StripeClientTests.VersionHandler(Latest))),
            apiBase: server.Client.BaseAddress!.ToString().TrimEnd('/'));
        var endpoint = await new WebhookEndpointService(client).CreateAsync(new WebhookEndpointCreateOptions { Url = _receiver.Url("/library").ToString(), EnabledEvents = ["*"] });
        Assert.Equal(Latest, endpoint.ApiVersion);
        Assert.Equal("enabled", endpoint.Status);

        await server.PostAsync("/v1/charges", new { amount = 500, currency = "usd" }, account);
        Assert.True(await _receiver.WaitUntilAsync(r => r.Any(x => x.Path == "/library"), TimeSpan.FromSeconds(20)), "no delivery arrived");
        var delivery = _receiver.On("/library").Single();
        var parsed = EventUtility.ConstructEvent(delivery.Body, delivery.Signature, endpoint.Secret, throwOnApiVersionMismatch: false);
        Assert.Equal("charge.succeeded", parsed.Type);
        Assert.Equal(500, ((Stripe.Charge)parsed.Data.Object).Amount);
    }

    [Fact]
    public async Task An_endpoint_takes_the_accounts_pin_by_default_shows_its_secret_once_and_goes_when_deleted()
    {
        string account = await server.CreateAccountAsync("2017-04-06");
        var created = await server.PostAsync("/v1/webhook_endpoints", new { url = "https://example.com/hooks", enabled_events = new[] { "*" } }, account);
        string id = (string)created["id"]!;
        Assert.StartsWith("we_", id, StringComparison.Ordinal);
        Assert.Equal(("webhook_endpoint", "2017-04-06", "enabled", "https://example.com/hooks"), ((string?)created["object"], (string?)created["api_version"], (string?)created["status"], (string?)created["url"]));
        Assert.True(created.ContainsKey("secret"));

        var read = await server.GetAsync("/v1/webhook_endpoints/" + id, account);
        Assert.False(read.ContainsKey("secret"));
        var list = await server.GetAsync("/v1/webhook_endpoints", account);
        Assert.Equal([id], list["data"]!.AsArray().Select(e => (string?)e!["id"]));
        Assert.False(list["data"]![0]!.AsObject().ContainsKey("secret"));

        var (deleted, gone) = await server.SendAsync(account, HttpMethod.Delete, "/v1/webhook_endpoints/" + id);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal((id, true), ((string?)gone["id"], (bool?)gone["deleted"]));
        var (missing, error) = await server.SendAsync(account, HttpMethod.Get, "/v1/webhook_endpoints/" + id);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("resource_missing", (string?)error["error"]!["code"]);
        Assert.Empty((await server.GetAsync("/v1/webhook_endpoints", account))["data"]!.AsArray());
    }

    // Stripe's update with `disabled`: a disabled endpoint is queued no event; enabled again, it gets the next one.
    [Fact]
    public async Task An_endpoint_disabled_gets_no_events_and_enabled_again_gets_the_next()
    {
        string account = await server.CreateAccountAsync();
        var endpoint = await server.PostAsync("/v1/webhook_endpoints", new { url = _receiver.Url("/toggled").ToString(), enabled_events = new[] { "charge.succeeded" } }, account);
        string id = (string)endpoint["id"]!;

        var disabled = await server.PostAsync("/v1/webhook_endpoints/" + id, new { disabled = true }, account);
        Assert.Equal((id, "disabled"), ((string?)disabled["id"], (string?)disabled["status"]));
        Assert.False(disabled.ContainsKey("secret"));
        var whileDisabled = await EventOfAsync(account, await ChargeAsync(server, account));
        Assert.Empty((await server.GetAsync($"/v1/test_helpers/events/{whileDisabled["id"]}/deliveries", account))["data"]!.AsArray());

        var enabled = await server.PostAsync("/v1/webhook_endpoints/" + id, new { disabled = false }, account);
        Assert.Equal("enabled", (string?)enabled["status"]);
        Assert.Equal("enabled", (string?)(await server.GetAsync("/v1/webhook_endpoints/" + id, account))["status"]);
        var afterwards = await EventOfAsync(account, await ChargeAsync(server, account));
        var delivery = Assert.Single(await WaitForDeliveriesAsync(account, (string)afterwards["id"]!, d => (string?)d["status"] == "succeeded"));
        Assert.Equal((id, "succeeded"), ((string?)delivery!["endpoint"], (string?)delivery["status"]));
    }

    [Fact]
    public async Task Updating_an_endpoint_that_is_not_the_accounts_or_with_a_bad_value_changes_nothing()
    {
        string owner = await server.CreateAccountAsync();
        string other = await server.CreateAccountAsync();
        string id = (string)(await server.PostAsync("/v1/webhook_endpoints", new { url = _receiver.Url("/kept").ToString(), enabled_events = new[] { "*" } }, owner))["id"]!;

        var (notFound, missing) = await server.SendAsync(other, HttpMethod.Post, "/v1/webhook_endpoints/" + id, new { disabled = true });
        Assert.Equal((HttpStatusCode.NotFound, "resource_missing"), (notFound.StatusCode, (string?)missing["error"]!["code"]));
        var (bad, invalid) = await server.SendAsync(owner, HttpMethod.Post, "/v1/webhook_endpoints/" + id, new { disabled = "maybe" });
        Assert.Equal((HttpStatusCode.BadRequest, "disabled"), (bad.StatusCode, (string?)invalid["error"]!["param"]));
        var (unknown, named) = await server.SendAsync(owner, HttpMethod.Post, "/v1/webhook_endpoints/" + id, new { url = "https://example.com/elsewhere" });
        Assert.Equal((HttpStatusCode.BadRequest, "url"), (unknown.StatusCode, (string?)named["error"]!["param"]));

        Assert.Equal("enabled", (string?)(await server.GetAsync("/v1/webhook_endpoints/" + id, owner))["status"]);
    }

    public static TheoryData<string, string> BadEndpoints => new()
    {
        { """{"enabled_events":["*"]}""", "url" },
        { """{"url":"not a url","enabled_events":["*"]}""", "url" },
        { """{"url":"/hooks","enabled_events":["*"]}""", "url" },
        { """{"url":"ftp://example.com/hooks","enabled_events":["*"]}""", "url" },
        { """{"url":"https://user:secret@example.com/hooks","enabled_events":["*"]}""", "url" },
        { """{"url":"https://example.com/hooks#part","enabled_events":["*"]}""", "url" },
        { """{"url":"https://example.com/hooks"}""", "enabled_events" },
        { """{"url":"https://example.com/hooks","enabled_events":[]}""", "enabled_events" },
        { """{"url":"https://example.com/hooks","enabled_events":["charge.refunded"]}""", "enabled_events" },
        { """{"url":"https://example.com/hooks","enabled_events":"*"}""", "enabled_events" },
        { """{"url":"https://example.com/hooks","enabled_events":["*"],"api_version":"2011-13-01"}""", "api_version" },
        { """{"url":"https://example.com/hooks","enabled_events":["*"],"api_version":"2099-01-01"}""", "api_version" },
        { """{"url":"https://example.com/hooks","enabled_events":["*"],"secret":"whsec_mine"}""", "secret" },
    };

    [Theory]
    [MemberData(nameof(BadEndpoints))]
    public async Task A_bad_endpoint_is_a_400_naming_the_parameter_and_nothing_is_created(string json, string param)
    {
        string account = await server.CreateAccountAsync();
        var (response, error) = await server.SendAsync(account, HttpMethod.Post, "/v1/webhook_endpoints", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (string?)error["error"]!["param"]);
        Assert.Empty((await server.GetAsync("/v1/webhook_endpoints", account))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_17th_endpoint_is_refused()
    {
        string account = await server.CreateAccountAsync();
        for (int i = 0; i < PaymentsEvents.MaxEndpoints; i++)
        {
            await server.PostAsync("/v1/webhook_endpoints", new { url = $"https://example.com/{i}", enabled_events = new[] { "*" } }, account);
        }

        var (response, error) = await server.SendAsync(account, HttpMethod.Post, "/v1/webhook_endpoints", new { url = "https://example.com/17", enabled_events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("webhook_endpoints_limit", (string?)error["error"]!["code"]);
        Assert.Equal(PaymentsEvents.MaxEndpoints, (await server.GetAsync("/v1/webhook_endpoints", account))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Another_accounts_endpoints_events_and_deliveries_are_not_found()
    {
        string owner = await server.CreateAccountAsync();
        string stranger = await server.CreateAccountAsync();
        string endpoint = (string)(await server.PostAsync("/v1/webhook_endpoints", new { url = "https://example.com/hooks", enabled_events = new[] { "*" } }, owner))["id"]!;
        var charge = await ChargeAsync(server, owner);
        string eventId = (string)(await EventOfAsync(owner, charge))["id"]!;

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v1/webhook_endpoints/" + endpoint), (HttpMethod.Delete, "/v1/webhook_endpoints/" + endpoint), (HttpMethod.Get, "/v1/events/" + eventId), (HttpMethod.Get, $"/v1/test_helpers/events/{eventId}/deliveries") })
        {
            var (response, _) = await server.SendAsync(stranger, method, path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Single((await server.GetAsync("/v1/webhook_endpoints", owner))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_charge_retried_with_its_idempotency_key_records_one_event_and_one_delivery()
    {
        string account = await server.CreateAccountAsync();
        await server.PostAsync("/v1/webhook_endpoints", new { url = _receiver.Url("/retried").ToString(), enabled_events = new[] { "*" } }, account);
        string key = "key-" + Guid.NewGuid();
        var first = await server.PostAsync("/v1/charges", new { amount = 700, currency = "usd" }, account, configure: r => r.Headers.Add("Idempotency-Key", key));
        var second = await server.PostAsync("/v1/charges", new { amount = 700, currency = "usd" }, account, configure: r => r.Headers.Add("Idempotency-Key", key));
        Assert.Equal((string?)first["id"], (string?)second["id"]);
        Assert.Single((await server.GetAsync("/v1/events", account))["data"]!.AsArray());
        Assert.True(await _receiver.WaitUntilAsync(r => r.Any(x => x.Path == "/retried"), TimeSpan.FromSeconds(20)));
        await Task.Delay(300);
        Assert.Single(_receiver.On("/retried"));
    }

    [Fact]
    public async Task A_form_encoded_endpoint_as_Stripes_clients_send_it_is_read_like_json()
    {
        string account = await server.CreateAccountAsync();
        var form = new FormUrlEncodedContent([new("url", "https://example.com/form"), new("enabled_events[0]", "charge.succeeded"), new("enabled_events[1]", "*"), new("api_version", "2014-05-19")]);
        var (response, created) = await server.SendAsync(account, HttpMethod.Post, "/v1/webhook_endpoints", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["charge.succeeded", "*"], created["enabled_events"]!.AsArray().Select(e => (string?)e));
        Assert.Equal("2014-05-19", (string?)created["api_version"]);
    }
}
