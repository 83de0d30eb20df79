using System.Net;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>
/// The sample's endpoints that versions added and removed, over real HTTP: the balance since 2016-07-06, recipients until
/// 2017-04-06; what callers outside get, by header and by pin, and where the docs and OpenAPI documents say so.
/// </summary>
public sealed class EndpointVersionTests(PaymentsServer server) : IClassFixture<PaymentsServer>
{
    // In the sample's envelope: Stripe's error has no room for `introduced_in`/`removed_in`; the message names the version.
    private static void AssertNotInVersion(HttpResponseMessage response, JsonObject body, HttpStatusCode status, string version)
    {
        Assert.Equal(status, response.StatusCode);
        var error = Assert.IsType<JsonObject>(body["error"]);
        Assert.Equal("endpoint_not_in_version", (string?)error["code"]);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Contains(version, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_balance_is_404_before_2016_07_06_which_introduced_it()
    {
        string account = await server.CreateAccountAsync();

        var (before, problem) = await server.SendAsync(account, HttpMethod.Get, "/v1/balance", version: "2016-02-03");

        AssertNotInVersion(before, problem, HttpStatusCode.NotFound, "2016-07-06");
        Assert.Equal("2016-02-03", before.Headers.GetValues("Stripe-Version").Single());
        var balance = await server.GetAsync("/v1/balance", account, "2016-07-06");
        Assert.Equal("balance", (string?)balance["object"]);
    }

    [Fact]
    public async Task The_balance_is_what_charges_brought_in_less_what_transfers_took_out()
    {
        string account = await server.CreateAccountAsync();
        string connected = await server.CreateAccountAsync(platform: account);
        await server.PostAsync("/v1/charges", new { amount = 2000, currency = "usd" }, account);
        await server.PostAsync("/v1/charges", new { amount = 500, currency = "eur" }, account);
        await server.PostAsync("/v1/transfers", new { amount = 700, currency = "usd", destination = connected }, account);

        var balance = await server.GetAsync("/v1/balance", account);

        Assert.Equal("""[{"amount":500,"currency":"eur"},{"amount":1300,"currency":"usd"}]""", balance["available"]!.ToJsonString());
        Assert.Equal("[]", balance["pending"]!.ToJsonString());
    }

    [Fact]
    public async Task Recipients_are_served_before_2017_04_06_and_gone_at_it_and_after()
    {
        string account = await server.CreateAccountAsync();
        var created = await server.PostAsync("/v1/recipients", new { name = "Jenny Rosen", type = "individual" }, account, "2016-07-06");

        var list = await server.GetAsync("/v1/recipients", account, "2016-07-06");
        Assert.Equal("list", (string?)list["object"]);
        Assert.Equal([(string?)created["id"]], list["data"]!.AsArray().Select(r => (string?)r!["id"]));

        foreach (string version in (string[])["2017-04-06", "2024-09-30.acacia"])
        {
            var (gone, problem) = await server.SendAsync(account, HttpMethod.Get, "/v1/recipients", version: version);
            AssertNotInVersion(gone, problem, HttpStatusCode.Gone, "2017-04-06");
            var (notCreated, _) = await server.SendAsync(account, HttpMethod.Post, "/v1/recipients", new { name = "Jenny Rosen", type = "individual" }, version);
            Assert.Equal(HttpStatusCode.Gone, notCreated.StatusCode);
        }
    }

    [Fact]
    public async Task An_account_pinned_before_2017_04_06_keeps_its_recipients_and_has_no_balance()
    {
        string account = await server.CreateAccountAsync("2016-02-03");

        var (recipients, _) = await server.SendAsync(account, HttpMethod.Get, "/v1/recipients");
        var (balance, problem) = await server.SendAsync(account, HttpMethod.Get, "/v1/balance");

        Assert.Equal(HttpStatusCode.OK, recipients.StatusCode);
        Assert.Equal("2016-02-03", recipients.Headers.GetValues("Stripe-Version").Single());
        AssertNotInVersion(balance, problem, HttpStatusCode.NotFound, "2016-07-06");
    }

    [Theory]
    [InlineData("2016-02-03", false, true)]
    [InlineData("2016-07-06", true, true)]
    [InlineData("2017-04-06", true, false)]
    public async Task Each_versions_openapi_document_has_the_endpoints_of_that_version(string version, bool balance, bool recipients)
    {
        var paths = JsonNode.Parse(await server.Client.GetStringAsync($"/openapi/{version}.json"))!["paths"]!.AsObject();

        Assert.Equal(balance, paths.ContainsKey("/v1/balance"));
        Assert.Equal(recipients, paths.ContainsKey("/v1/recipients"));
        Assert.True(paths.ContainsKey("/v1/charges"));
    }

    [Fact]
    public async Task The_upgrade_guide_and_the_changelog_say_which_versions_added_and_removed_endpoints()
    {
        string guide = await server.Client.GetStringAsync("/docs/upgrade?from=2016-02-03&to=2017-04-06");
        string changelog = await server.Client.GetStringAsync("/docs/changelog");

        Assert.Contains("<td>2016-07-06</td>\n<td><code>GET /v1/balance</code></td>\n<td>added; older versions get 404</td>", guide, StringComparison.Ordinal);
        Assert.Contains("<td>2017-04-06</td>\n<td><code>GET /v1/recipients</code></td>\n<td>removed; this version and newer ones get 410</td>", guide, StringComparison.Ordinal);
        Assert.Contains("<li><code>POST /v1/recipients</code>: removed; this version and newer ones get 410</li>", changelog, StringComparison.Ordinal);
    }
}
