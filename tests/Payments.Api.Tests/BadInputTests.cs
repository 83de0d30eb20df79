using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using VersionKit.Pins;

namespace Payments.Api.Tests;

/// <summary>The sample with a small request body limit of its own (Kestrel's <c>MaxRequestBodySize</c>), so that "very large" is cheap to send.</summary>
public sealed class LimitedPaymentsServer : PaymentsServer
{
    public const int BodyLimit = 16 * 1024;

    protected override void Configure(WebApplicationBuilder builder)
        => builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = BodyLimit);
}

/// <summary>
/// Garbage in: every bad header and body gets a clear 4xx error, never a 500 or a stack trace, and changes nothing: no
/// object is created and no account is pinned. Old-version requests are read by VersionKit's request upgrade before the
/// handler, latest-version ones by the handler: each case is sent both ways where the two paths differ.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class BadInputTests(LimitedPaymentsServer server) : IClassFixture<LimitedPaymentsServer>
{
    private const string Old = "2011-08-01";

    private IApiVersionPinStore Pins => server.App.Services.GetRequiredService<IApiVersionPinStore>();

    private static string Deep(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    // At the latest version, whatever the account's pin: older versions call `limit` `count`.
    private async Task<int> EventCountAsync(string account)
        => (await server.GetAsync("/v1/events?limit=100", account, PaymentsApiHistory.Default.Latest.ToString()))["data"]!.AsArray().Count;

    private async Task<(HttpResponseMessage Response, JsonObject Body)> PostChargeAsync(string account, HttpContent content)
    {
        var result = await server.SendAsync(account, HttpMethod.Post, "/v1/charges", content);
        Assert.DoesNotContain("   at ", result.Body.ToJsonString(), StringComparison.Ordinal);
        return result;
    }

    private static async Task<string> SendRawAsync(PaymentsServer server, string head)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Client.BaseAddress!.Host, server.Client.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head + "Connection: close\r\n\r\n"));
        return await new StreamReader(stream, Encoding.Latin1).ReadToEndAsync();
    }

    [Fact]
    public async Task An_oversized_version_header_is_refused_by_its_length_without_echoing_it()
    {
        string huge = "2011-08-01." + new string('a', 8000);
        var (response, problem) = await server.SendAsync(PaymentsServer.NewAccount(), HttpMethod.Get, "/v1/events", version: huge);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("8011 characters long", (string?)problem["error"]!["message"], StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 100), problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_header_with_a_control_character_is_refused_and_the_character_is_not_echoed()
    {
        string answer = await SendRawAsync(server,
            $"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk_test_{PaymentsServer.NewAccount()}\r\nStripe-Version: 2011-08-01\u0001x\r\n");
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0001", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2011-08-01.acacia", "the release of 2011-08-01 is named '2011-08-01'")]
    [InlineData("2024-09-30.ACACIA", "may hold only lowercase letters")]
    [InlineData("2024-09-30.", "the release name after '.' is empty")]
    [InlineData("2011-08-01, 2013-02-13", "sent 2 times")]
    [InlineData("2030-02-29", "is not a version")]
    public async Task More_bad_version_headers_get_a_problem_naming_what_is_wrong(string version, string message)
    {
        var (response, problem) = await server.SendAsync(PaymentsServer.NewAccount(), HttpMethod.Get, "/v1/events", version: version);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, (string?)problem["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_version_on_an_accounts_first_request_does_not_pin_it()
    {
        string account = PaymentsServer.NewAccount();
        var (response, _) = await server.SendAsync(account, HttpMethod.Get, "/v1/events", version: "2011-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await Pins.FindAsync(account));
        Assert.Empty(await Pins.GetChangesAsync(account));
    }

    [Theory]
    [InlineData("{\"amount\":", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("\"card_1\"", "must be a JSON object")]
    [InlineData("{\"amount\":100,\"currency\":\"usd\",\"card\":\"card_1\",\"card\":\"card_2\"}", "card")]
    public async Task An_old_request_body_that_is_not_a_json_object_is_refused_before_the_handler(string body, string message)
    {
        string account = await server.CreateAccountAsync(Old);
        var (response, problem) = await PostChargeAsync(account, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0, await EventCountAsync(account));
    }

    [Theory]
    [InlineData(Old, 65)]
    [InlineData(Old, 2000)]
    [InlineData(null, 65)]
    [InlineData(null, 2000)]
    public async Task A_body_nested_beyond_the_serializers_depth_is_a_400_at_any_version(string? version, int depth)
    {
        string account = await server.CreateAccountAsync(version);
        string body = "{\"amount\":100,\"currency\":\"usd\",\"card\":" + Deep(depth) + "}";
        var (response, problem) = await PostChargeAsync(account, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // One rule at every version: the body is read, and refused at its depth, before any field is looked at.
        Assert.Contains("nested more than 64 levels deep", (string?)problem["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(0, await EventCountAsync(account));
    }

    [Theory]
    [InlineData(Old, false)]
    [InlineData(Old, true)]
    [InlineData(null, false)]
    [InlineData(null, true)]
    public async Task A_body_over_the_apps_limit_is_a_413_at_any_version(string? version, bool chunked)
    {
        string account = await server.CreateAccountAsync(version);
        string body = "{\"amount\":100,\"currency\":\"usd\",\"receipt_email\":\"" + new string('x', LimitedPaymentsServer.BodyLimit) + "\"}";
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)))
            : new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/charges") { Content = content };
        request.Headers.Authorization = new("Bearer", "sk_test_" + account);
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await EventCountAsync(account));
    }

    // The upgrade of an old form reads it and writes it again: whatever the handler would have read at the latest version,
    // it reads the same from an upgraded one, odd escapes and charsets included.
    [Theory]
    [InlineData("name=J%C3%A9r%C3%B4me+%F0%9F%92%B3&email=a%2Bb%26c%3Dd%40example.com", null)]
    [InlineData("name=100%25+%ZZ+%&email=x%40example.com", null)]
    [InlineData("name=J%E9r%F4me&email=x%40example.com", "iso-8859-1")]
    public async Task An_upgraded_form_reads_as_the_same_values_as_one_sent_at_the_latest_version(string form, string? charset)
    {
        async Task<JsonObject> CreateAsync(string? version, string body)
        {
            string account = await server.CreateAccountAsync(version);
            var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
            content.Headers.ContentType = new("application/x-www-form-urlencoded") { CharSet = charset };
            var (response, created) = await server.SendAsync(account, HttpMethod.Post, "/v1/customers", content);
            Assert.True(response.StatusCode == HttpStatusCode.OK, created.ToJsonString());
            return await server.GetAsync("/v1/customers/" + created["id"], account, "2024-09-30.acacia");
        }

        var latest = await CreateAsync(null, form + "&balance=5");
        var upgraded = await CreateAsync(Old, form + "&account_balance=5");
        Assert.Equal(((string?)latest["name"], (string?)latest["email"], 5L), ((string?)upgraded["name"], (string?)upgraded["email"], (long?)upgraded["balance"]));
    }

    [Theory]
    [InlineData(Old, "amount=100&currency=usd&items[0]=a&items[x]=b", "items")]
    [InlineData(null, "amount=100&currency=usd&items[0]=a&items[x]=b", "items")]
    [InlineData(Old, "amount=100&currency=usd&card[=x", "card")]
    [InlineData(Old, "amount=100&currency=usd&card=card_1&card[id]=card_2", "card")]
    [InlineData(Old, "amount=100&currency=usd&card=card_1&card[id][x][0]=y&card[id][x][a]=z", "card")]
    [InlineData(null, "amount=100&currency=usd&source=card_1%FF", "source")]
    [InlineData(Old, "amount=100&currency=usd&card=card_1%FF", "card")]
    public async Task A_form_with_odd_keys_or_encodings_gets_a_clear_answer_and_no_500(string? version, string form, string param)
    {
        string account = await server.CreateAccountAsync(version);
        var (response, body) = await PostChargeAsync(account, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Contains(param, body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0, await EventCountAsync(account));
    }

    [Theory]
    [InlineData(Old, "fields")]
    [InlineData(null, "fields")]
    [InlineData(Old, "key")]
    [InlineData(null, "key")]
    [InlineData(Old, "nesting")]
    [InlineData(null, "nesting")]
    public async Task A_form_beyond_the_form_readers_limits_is_a_400_at_any_version(string? version, string excess)
    {
        string account = await server.CreateAccountAsync(version);
        string form = "amount=100&currency=usd&" + excess switch
        {
            "fields" => string.Join("&", Enumerable.Range(0, 1100).Select(i => $"f{i}=1")),
            "key" => new string('k', 3000) + "=1",
            _ => "metadata" + string.Concat(Enumerable.Repeat("[a]", 600)) + "=1",
        };
        var (response, body) = await PostChargeAsync(account, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Contains(excess switch { "fields" or "key" => "more fields, or a longer key or value, than this server accepts", _ => "nested more than 32 levels" }, (string?)body["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(0, await EventCountAsync(account));
    }

    // Bytes that are not UTF-8 (in a form that declares no other charset) and a key sent twice are refused the same way at
    // the oldest and the latest version: one set of parsing rules (they were read at one version and refused at another).
    [Theory]
    [InlineData("name=100%25+%E9&email=x%40example.com", null, "name")]
    [InlineData("name=&email=x%40example.com&name=second", "utf-8", "name")]
    public async Task A_form_that_is_not_UTF_8_or_names_a_key_twice_is_refused_at_every_version(string form, string? charset, string param)
    {
        foreach (string? version in new[] { null, Old })
        {
            string account = await server.CreateAccountAsync(version);
            var content = new ByteArrayContent(Encoding.ASCII.GetBytes(form));
            content.Headers.ContentType = new("application/x-www-form-urlencoded") { CharSet = charset };
            var (response, body) = await server.SendAsync(account, HttpMethod.Post, "/v1/customers", content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{version ?? "latest"}: {(int)response.StatusCode} {body.ToJsonString()}");
            Assert.Contains(param, body.ToJsonString(), StringComparison.Ordinal);
        }
    }
}
