using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

public class SampleTests(PaymentsServer server) : IClassFixture<PaymentsServer>
{
    private static readonly string Latest = PaymentsApiHistory.Version.V2024_10_28_Acacia.ToString();

    // Each test acts as an account of its own, first seen now, so pinned to the latest version.
    private readonly string _account = PaymentsServer.NewAccount();

    private static string[] Keys(JsonNode? json) => [.. json!.AsObject().Select(p => p.Key)];

    private async Task<(string Customer, string BankAccount)> CreateBankAccountAsync(string accountNumber)
    {
        var customer = await server.PostAsync("/v1/customers", new { email = "jenny@example.com" }, _account);
        string customerId = (string)customer["id"]!;
        var account = await server.PostAsync($"/v1/customers/{customerId}/bank_accounts", new
        {
            country = "US",
            currency = "usd",
            account_number = accountNumber,
            routing_number = "110000000",
        }, _account);
        return (customerId, (string)account["id"]!);
    }

    [Theory]
    [InlineData("000123450000", "verified", true)]
    [InlineData("000123456789", "new", false)]
    [InlineData("000123451116", "errored", false)]
    public async Task Bank_accounts_before_2014_05_19_have_verified_instead_of_status(string accountNumber, string status, bool verified)
    {
        var (customer, account) = await CreateBankAccountAsync(accountNumber);
        string path = $"/v1/customers/{customer}/bank_accounts/{account}";

        var latest = await server.GetAsync(path, _account);
        Assert.Equal(status, (string?)latest["status"]);
        Assert.False(latest.ContainsKey("verified"));

        var old = await server.GetAsync(path, _account, "2013-08-12");
        Assert.Equal(verified, (bool)old["verified"]!);
        Assert.False(old.ContainsKey("status"));

        var first = await server.GetAsync(path, _account, "2014-05-19");
        Assert.True(first.ContainsKey("status"));
        Assert.False(first.ContainsKey("verified"));
    }

    [Fact]
    public async Task The_errored_status_reads_verification_failed_before_2016_02_03()
    {
        var (customer, account) = await CreateBankAccountAsync("000123451116");
        string path = $"/v1/customers/{customer}/bank_accounts/{account}";
        Assert.Equal("errored", (string?)(await server.GetAsync(path, _account, "2016-02-03"))["status"]);
        Assert.Equal("verification_failed", (string?)(await server.GetAsync(path, _account, "2014-05-19"))["status"]);
    }

    [Fact]
    public async Task A_named_release_renames_the_account_holder_and_a_bare_date_finds_it()
    {
        var (customer, account) = await CreateBankAccountAsync("000123450000");
        string path = $"/v1/customers/{customer}/bank_accounts/{account}";
        var (response, latest) = await server.SendAsync(_account, HttpMethod.Get, path, version: "2024-09-30");
        Assert.Equal(PaymentsApiHistory.Version.Acacia.ToString(), response.Headers.GetValues("Stripe-Version").Single());
        Assert.True(latest.ContainsKey("account_holder_name"));
        Assert.True((await server.GetAsync(path, _account, "2020-08-27")).ContainsKey("name"));
    }

    [Fact]
    public async Task Events_before_2017_05_25_carry_the_request_id_as_a_string()
    {
        var customer = await server.PostAsync("/v1/customers", new { email = "a@example.com" }, _account);
        var (response, charge) = await server.SendAsync(_account, HttpMethod.Post, "/v1/charges", new { amount = 2000, currency = "usd", customer = (string)customer["id"]! },
            configure: r => r.Headers.Add("Idempotency-Key", "key-" + Guid.NewGuid()));
        string requestId = response.Headers.GetValues("Request-Id").Single();
        var events = await server.GetAsync("/v1/events?limit=100", _account);
        var @event = events["data"]!.AsArray().Single(e => (string?)e!["data"]!["object"]!["id"] == (string?)charge["id"])!;
        string eventPath = "/v1/events/" + (string)@event["id"]!;

        var latest = await server.GetAsync(eventPath, _account);
        Assert.Equal(requestId, (string?)latest["request"]!["id"]);
        Assert.StartsWith("key-", (string?)latest["request"]!["idempotency_key"], StringComparison.Ordinal);

        var old = await server.GetAsync(eventPath, _account, "2017-04-06");
        Assert.Equal(requestId, (string?)old["request"]);

        var current = await server.GetAsync(eventPath, _account, "2017-05-25");
        Assert.Equal(requestId, (string?)current["request"]!["id"]);
    }

    [Fact]
    public async Task The_charge_inside_an_event_is_rendered_at_the_callers_version()
    {
        await server.PostAsync("/v1/charges", new { amount = 500, currency = "eur", source = "card_123" }, _account);
        var list = await server.GetAsync("/v1/events?count=1", _account, "2011-08-01");
        Assert.Equal("list", (string?)list["object"]);
        var charge = list["data"]![0]!["data"]!["object"]!;
        Assert.Equal(["id", "object", "amount", "currency", "customer", "created", "paid", "card"], Keys(charge));
        Assert.Equal("card_123", (string?)charge["card"]);
        Assert.False(list["data"]![0]!.AsObject().ContainsKey("pending_webhooks"));

        var latest = await server.GetAsync("/v1/events?limit=1", _account);
        Assert.Equal("card_123", (string?)latest["data"]![0]!["data"]!["object"]!["source"]);
        Assert.True(latest["data"]![0]!.AsObject().ContainsKey("pending_webhooks"));
    }

    [Fact]
    public async Task Events_list_newest_first_and_honour_the_limit()
    {
        for (int i = 0; i < 3; i++)
        {
            await server.PostAsync("/v1/charges", new { amount = 100 + i, currency = "usd" }, _account);
        }

        var list = await server.GetAsync("/v1/events?limit=2", _account);
        var created = list["data"]!.AsArray().Select(e => (long)e!["data"]!["object"]!["amount"]!).ToArray();
        Assert.Equal([102L, 101L], created);
        Assert.True((bool)list["has_more"]!);
    }

    [Fact]
    public async Task Callers_before_2017_04_06_create_legacy_transfers_to_bank_accounts()
    {
        var (_, account) = await CreateBankAccountAsync("000123450000");
        var legacy = await server.PostAsync("/v1/transfers", new { amount = 1000, currency = "usd", destination = account }, _account, "2016-07-06");
        Assert.Equal("pending", (string?)legacy["status"]);
        Assert.False(legacy.ContainsKey("type"));

        var older = await server.PostAsync("/v1/transfers", new { amount = 1000, currency = "usd", destination = account }, _account, "2016-02-03");
        Assert.Equal("bank_account", (string?)older["type"]);

        var (refused, problem) = await server.SendAsync(_account, HttpMethod.Post, "/v1/transfers", new { amount = 1000, currency = "usd", destination = account });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("destination", (string?)problem["error"]!["param"]);

        // Since 2017-04-06 a transfer goes to one of the platform's connected accounts, one that exists.
        var (stranger, strangerProblem) = await server.SendAsync(_account, HttpMethod.Post, "/v1/transfers", new { amount = 1000, currency = "usd", destination = "acct_nobody" });
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Contains("not one", (string?)strangerProblem["error"]!["message"], StringComparison.Ordinal);

        string connected = await server.CreateAccountAsync(platform: _account);
        var current = await server.PostAsync("/v1/transfers", new { amount = 1000, currency = "usd", destination = connected }, _account);
        Assert.Equal("paid", (string?)current["status"]);
    }

    [Fact]
    public async Task The_version_used_is_echoed_and_defaults_to_the_latest()
    {
        var (response, _) = await server.SendAsync(_account, HttpMethod.Get, "/v1/events");
        Assert.Equal(Latest, response.Headers.GetValues("Stripe-Version").Single());
        var (old, _) = await server.SendAsync(_account, HttpMethod.Get, "/v1/events", version: "2013-02-13");
        Assert.Equal("2013-02-13", old.Headers.GetValues("Stripe-Version").Single());
    }

    [Trait("Category", "Reliability")]
    [Theory]
    [InlineData("2011-13-01", "'2011-13-01' is not a version")]
    [InlineData("2012-01-01", "'2012-01-01' is not a version of this API")]
    [InlineData("2099-01-01", "newer than the newest version, the preview 2026-11-15.preview")]
    [InlineData("2024-09-30.basil", "is named '2024-09-30.acacia'")]
    [InlineData("", "The version is empty")]
    [InlineData("latest", "'latest' is not a version")]
    public async Task A_bad_version_header_gets_a_problem_naming_it_and_the_valid_versions(string version, string message)
    {
        var (response, problem) = await server.SendAsync(_account, HttpMethod.Get, "/v1/events", version: version);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, (string?)problem["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal("api_version_invalid", (string?)problem["error"]!["code"]);
        Assert.Equal("invalid_request_error", (string?)problem["error"]!["type"]);
        Assert.DoesNotContain("   at ", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_repeated_version_header_is_refused()
    {
        var (response, problem) = await server.SendAsync(_account, HttpMethod.Get, "/v1/events", configure: r =>
            r.Headers.TryAddWithoutValidation("Stripe-Version", ["2011-08-01", "2013-02-13"]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sent 2 times", (string?)problem["error"]!["message"], StringComparison.Ordinal);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_version_header_sent_on_two_lines_is_refused()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Client.BaseAddress!.Host, server.Client.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk_test_" + _account + "\r\nStripe-Version: 2011-08-01\r\nStripe-Version: 2013-02-13\r\nConnection: close\r\n\r\n"));
        string answer = await new StreamReader(stream).ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("sent 2 times", answer, StringComparison.Ordinal);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_bad_version_changes_nothing()
    {
        var before = (await server.GetAsync("/v1/events?limit=100", _account))["data"]!.AsArray().Count;
        var (response, _) = await server.SendAsync(_account, HttpMethod.Post, "/v1/charges", new { amount = 2000, currency = "usd" }, version: "nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await server.GetAsync("/v1/events?limit=100", _account))["data"]!.AsArray().Count);
    }

    [Trait("Category", "Reliability")]
    [Theory]
    [InlineData("{\"amount\":", "not valid JSON", null)]
    [InlineData("{\"amount\":\"lots\",\"currency\":\"usd\"}", "Invalid integer: lots", "amount")]
    [InlineData("{\"amount\":100}", "Missing required param: currency.", "currency")]
    [InlineData("{\"amount\":-5,\"currency\":\"usd\"}", "amount must be a positive integer", "amount")]
    [InlineData("{\"amount\":100,\"currency\":\"usd\",\"colour\":\"red\"}", "Received unknown parameter: colour.", "colour")]
    [InlineData("[1,2]", "must be a JSON object", null)]
    public async Task A_bad_charge_body_gets_a_problem_that_says_what_is_wrong(string body, string message, string? param)
    {
        var (response, problem) = await server.SendAsync(_account, HttpMethod.Post, "/v1/charges", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, (string?)problem["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(param, (string?)problem["error"]!["param"]);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_body_that_is_not_json_is_refused()
    {
        var (response, problem) = await server.SendAsync(_account, HttpMethod.Post, "/v1/customers", new StringContent("<customer/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be JSON", (string?)problem["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_object_is_a_404_problem()
    {
        var (response, problem) = await server.SendAsync(_account, HttpMethod.Get, "/v1/charges/ch_missing", version: "2011-08-01");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such charge: 'ch_missing'.", (string?)problem["error"]!["message"]);
    }

    [Fact]
    public async Task A_retried_charge_with_the_same_idempotency_key_is_made_once()
    {
        string key = "retry-" + Guid.NewGuid();
        var first = await server.PostAsync("/v1/charges", new { amount = 700, currency = "usd" }, _account, configure: r => r.Headers.Add("Idempotency-Key", key));
        var second = await server.PostAsync("/v1/charges", new { amount = 700, currency = "usd" }, _account, configure: r => r.Headers.Add("Idempotency-Key", key));
        Assert.Equal((string?)first["id"], (string?)second["id"]);
        var events = (await server.GetAsync("/v1/events?limit=100", _account))["data"]!.AsArray();
        Assert.Single(events, e => (string?)e!["request"]!["idempotency_key"] == key);
    }
}
