using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VersionKit;
using VersionKit.Pins;

namespace Payments.Api.Tests;

/// <summary>
/// The sample's HTTP surface as a Stripe integration meets it: every error in Stripe's envelope (401, 403, 404, 405,
/// 500, 503), idempotency as Stripe keeps it, bounded strings, pins changed only by their account, and a data file that
/// goes away without a write acknowledged and lost.
/// </summary>
public sealed class HttpSurfaceTests(ControlledPaymentsServer server) : IClassFixture<ControlledPaymentsServer>
{
    private static JsonObject ErrorOf(JsonObject body) => Assert.IsType<JsonObject>(body["error"]);

    [Theory]
    [InlineData("GET", "/v1/nothing_here", HttpStatusCode.NotFound, "url_unrecognized")]
    [InlineData("DELETE", "/v1/charges", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    public async Task A_url_or_method_the_api_does_not_have_is_an_error_in_the_envelope(string method, string path, HttpStatusCode status, string code)
    {
        string account = await server.CreateAccountAsync();
        var (response, body) = await server.SendAsync(account, new HttpMethod(method), path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (string?)ErrorOf(body)["code"]);
        Assert.Equal("invalid_request_error", (string?)ErrorOf(body)["type"]);
    }

    [Fact]
    public async Task A_call_for_an_account_not_connected_to_the_platform_is_a_permission_error()
    {
        string platform = await server.CreateAccountAsync();
        string stranger = await server.CreateAccountAsync();
        var (response, body) = await server.SendAsync(platform, HttpMethod.Get, "/v1/events", configure: r => r.Headers.Add("Stripe-Account", stranger));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("permission_error", (string?)ErrorOf(body)["type"]);
        Assert.Equal("account_not_connected", (string?)ErrorOf(body)["code"]);
    }

    [Fact]
    public async Task An_exception_in_a_handler_is_a_500_api_error_that_says_nothing_of_it()
    {
        string account = await server.CreateAccountAsync();
        server.Clock.Failing = true;
        try
        {
            var (response, body) = await server.SendAsync(account, HttpMethod.Post, "/v1/customers", new { email = "j@example.com" });
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("api_error", (string?)ErrorOf(body)["type"]);
            Assert.DoesNotContain("clock", body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", body.ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            server.Clock.Failing = false;
        }
    }

    [Fact]
    public async Task An_empty_or_overlong_idempotency_key_is_refused()
    {
        string account = await server.CreateAccountAsync();
        foreach (var keys in new[] { "", "  ", new string('k', 256) })
        {
            var (response, body) = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", new { amount = 100, currency = "usd" },
                configure: r => r.Headers.TryAddWithoutValidation("Idempotency-Key", keys));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("idempotency_key_invalid", (string?)ErrorOf(body)["code"]);
        }

        var events = await server.GetAsync("/v1/events", account);
        Assert.Empty(events["data"]!.AsArray());
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_one_account_and_last_24_hours()
    {
        string first = await server.CreateAccountAsync();
        string second = await server.CreateAccountAsync();
        void Key(HttpRequestMessage r) => r.Headers.Add("Idempotency-Key", "order-1");

        var a = await server.PostAsync("/v1/charges", new { amount = 100, currency = "usd" }, first, configure: Key);
        var b = await server.PostAsync("/v1/charges", new { amount = 100, currency = "usd" }, second, configure: Key);
        Assert.NotEqual((string?)a["id"], (string?)b["id"]);

        var retried = await server.PostAsync("/v1/charges", new { amount = 100, currency = "usd" }, first, configure: Key);
        Assert.Equal((string?)a["id"], (string?)retried["id"]);

        var (reused, error) = await server.SendAsync(first, HttpMethod.Post, "/v1/charges", new { amount = 999, currency = "usd" }, configure: Key);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("idempotency_error", (string?)ErrorOf(error)["type"]);

        server.Clock.Advance(PaymentsStore.IdempotencyWindow + TimeSpan.FromMinutes(1));
        var later = await server.PostAsync("/v1/charges", new { amount = 999, currency = "usd" }, first, configure: Key);
        Assert.NotEqual((string?)a["id"], (string?)later["id"]);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("form")]
    public async Task A_string_parameter_over_5000_characters_is_refused_and_nothing_is_stored(string encoding)
    {
        string account = await server.CreateAccountAsync();
        string currency = new('u', RequestBody.MaxStringLength + 1);
        HttpContent content = encoding == "json"
            ? new StringContent($$"""{"amount":100,"currency":"{{currency}}"}""", Encoding.UTF8, "application/json")
            : new FormUrlEncodedContent([new("amount", "100"), new("currency", currency)]);
        var (response, body) = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("currency", (string?)ErrorOf(body)["param"]);
        Assert.DoesNotContain(currency, body.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty((await server.GetAsync("/v1/events", account))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_bank_account_is_created_with_name_before_acacia_and_account_holder_name_since()
    {
        string account = await server.CreateAccountAsync();
        var customer = await server.PostAsync("/v1/customers", new { email = "j@example.com" }, account);
        string path = $"/v1/customers/{customer["id"]}/bank_accounts";

        var old = await server.PostAsync(path, new { country = "US", currency = "usd", account_number = "000123456789", routing_number = "110000000", name = "Jenny Rosen" }, account, "2020-08-27");
        Assert.Equal("Jenny Rosen", (string?)old["name"]);
        var latest = await server.GetAsync($"{path}/{old["id"]}", account, "2024-09-30.acacia");
        Assert.Equal("Jenny Rosen", (string?)latest["account_holder_name"]);

        var (refused, body) = await server.SendAsync(account, HttpMethod.Post, path, new { country = "US", currency = "usd", account_number = "000123456789", routing_number = "110000000", name = "Jenny Rosen" }, "2024-09-30.acacia");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("name", (string?)ErrorOf(body)["param"]);
    }

    [Fact]
    public async Task Changing_a_pin_while_the_store_is_down_is_a_503_with_retry_after_and_changes_nothing()
    {
        string account = await server.CreateAccountAsync("2011-08-01");
        server.Store!.Failing = true;
        try
        {
            foreach (var (path, body) in new (string, object)[] { ("/v1/account/api_version", new { api_version = "2014-05-19" }), ("/v1/account/api_version/rollback", new { }) })
            {
                var (response, error) = await server.SendAsync(account, HttpMethod.Post, path, body);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.Headers.Contains("Retry-After"), path);
                Assert.Equal("pin_store_unavailable", (string?)ErrorOf(error)["code"]);
            }
        }
        finally
        {
            server.Store.Failing = false;
        }

        var pins = server.App.Services.GetRequiredService<ApiVersionPins>();
        Assert.Single(await pins.GetChangesAsync(account));
    }

    [Fact]
    public async Task A_platform_cannot_change_a_connected_accounts_pin_and_the_audit_names_who_acted()
    {
        string platform = await server.CreateAccountAsync("2011-08-01");
        string connected = await server.CreateAccountAsync("2011-08-01", platform);
        var (refused, error) = await server.SendAsync(platform, HttpMethod.Post, "/v1/account/api_version", new { api_version = "2014-05-19" },
            configure: r => r.Headers.Add("Stripe-Account", connected));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("permission_error", (string?)ErrorOf(error)["type"]);

        await server.PostAsync("/v1/account/api_version", new { api_version = "2014-05-19" }, connected);
        var pins = server.App.Services.GetRequiredService<ApiVersionPins>();
        var changes = await pins.GetChangesAsync(connected);
        Assert.Equal(2, changes.Count);
        Assert.Equal(PinActor.Operator("test_helpers").ToString(), changes[0].Actor);
        Assert.True(PinActor.TryParse(changes[1].Actor, out var actor));
        Assert.Equal(PinActor.Account(connected), actor);
    }
}
