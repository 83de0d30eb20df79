using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VersionKit.Pins;

namespace VersionKit.Docs.Tests;

/// <summary>
/// docs/using-versionkit.md: its blocks compiled as one program, started on Kestrel with its pins in a SQLite file, and
/// called as the page says it behaves.
/// </summary>
public sealed class GuideTests : IAsyncLifetime
{
    private static readonly Lazy<Assembly> Guide = new(() => ReadmeTests.CompilePage("using-versionkit.md", minimumBlocks: 5));

    private readonly string _folder = Directory.CreateTempSubdirectory("versionkit-guide-").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var build = Guide.Value.GetType("Shipping.ShippingApp")!.GetMethod("Build")!;
        string pins = "Data Source=" + Path.Combine(_folder, "pins.db");
        _app = (WebApplication)build.Invoke(null, [new[] { "--urls", "http://127.0.0.1:0", "--ConnectionStrings:Pins=" + pins, "--contentRoot", _folder }])!;
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(HttpResponseMessage Response, JsonObject? Body)> SendAsync(HttpMethod method, string path, string? key, string? version, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (version is not null)
        {
            request.Headers.Add("Stripe-Version", version);
        }

        var response = await _client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response, response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true ? JsonNode.Parse(text) as JsonObject : null);
    }

    [Fact]
    public async Task An_anonymous_call_is_refused_by_the_apps_own_authorization()
    {
        var (response, _) = await SendAsync(HttpMethod.Get, "/v1/parcels/pcl_1", key: null, version: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_old_caller_sends_a_form_with_the_old_name_and_gets_the_old_name_and_the_old_behaviour()
    {
        var form = new FormUrlEncodedContent([new("weight", "1200")]);
        var (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_old", "2024-01-01", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1200, (int)body!["weight"]!);
        Assert.False(body.ContainsKey("weight_grams"));
        Assert.False((bool)body["insured"]!);
        Assert.Equal("2024-01-01", response.Headers.GetValues("Stripe-Version").Single());
        Assert.True(response.Headers.Contains("Deprecation"), "the page deprecates 2024-01-01");
    }

    [Fact]
    public async Task A_caller_between_the_changes_sends_the_new_name_and_keeps_the_legacy_default()
    {
        var json = new StringContent("""{"weight_grams":500}""", Encoding.UTF8, "application/json");
        var (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_mid", "2024-06-01", json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(500, (int)body!["weight_grams"]!);
        Assert.False((bool)body["insured"]!);
        Assert.False(response.Headers.Contains("Deprecation"));
    }

    [Fact]
    public async Task The_old_name_is_refused_at_a_version_that_no_longer_has_it_and_the_new_one_before_it()
    {
        var form = new FormUrlEncodedContent([new("weight", "1200")]);
        var (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_mid", "2024-06-01", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("parameter_unknown", (string?)body!["code"]);
        Assert.Equal("weight", (string?)body["param"]);

        var json = new StringContent("""{"weight_grams":500}""", Encoding.UTF8, "application/json");
        (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_old", "2024-01-01", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Received unknown parameter: weight_grams. At API version 2024-01-01 this parameter is 'weight'.", (string?)body!["message"]);
    }

    [Fact]
    public async Task The_handlers_own_error_names_the_field_as_the_callers_version_does()
    {
        var form = new FormUrlEncodedContent([new("insured", "true")]);
        var (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_old", "2024-01-01", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'weight' is required.", (string?)body!["detail"]);

        (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_new", "2025-03-01", new FormUrlEncodedContent([new("insured", "true")]));
        Assert.Equal("'weight_grams' is required.", (string?)body!["detail"]);
    }

    [Fact]
    public async Task A_form_value_that_is_not_a_number_is_refused_naming_the_callers_field()
    {
        var form = new FormUrlEncodedContent([new("weight", "heavy")]);
        var (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_old", "2024-01-01", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("parameter_invalid", (string?)body!["code"]);
        Assert.Equal("weight", (string?)body["param"]);
    }

    [Fact]
    public async Task A_new_account_without_a_header_is_pinned_to_the_latest_from_its_claim()
    {
        var json = new StringContent("""{"weight_grams":500}""", Encoding.UTF8, "application/json");
        var (response, body) = await SendAsync(HttpMethod.Post, "/v1/parcels", "sk_new", version: null, json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body!["insured"]!);
        Assert.Equal("2025-03-01", response.Headers.GetValues("Stripe-Version").Single());
        var pins = _app.Services.GetRequiredService<ApiVersionPins>();
        var pinned = Assert.Single(await pins.GetChangesAsync("acct_new"));
        Assert.Equal(ApiVersion.Parse("2025-03-01"), pinned.To);
    }

    [Fact]
    public async Task VersionKits_own_errors_are_the_apps_error_resource()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "/v1/parcels/pcl_1", "sk_err", "2024-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", (string?)body!["object"]);
        Assert.Equal("api_version_invalid", (string?)body["code"]);
        Assert.Contains("2024-13-01", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracking_is_404_before_the_version_that_introduced_it()
    {
        var (before, problem) = await SendAsync(HttpMethod.Get, "/v1/parcels/pcl_1/tracking", "sk_tracking", "2024-06-01");
        var (since, tracking) = await SendAsync(HttpMethod.Get, "/v1/parcels/pcl_1/tracking", "sk_tracking", "2025-03-01");

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("endpoint_not_in_version", (string?)problem!["code"]);
        Assert.Contains("2025-03-01", (string?)problem["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, since.StatusCode);
        Assert.Equal("in_transit", (string?)tracking!["status"]);
    }

    [Theory]
    [InlineData("2024-01-01", "1250")]
    [InlineData("2024-06-01", """{"amount":1250,"currency":"eur"}""")]
    [InlineData("2025-03-01", """{"amount":1250,"currency":"eur"}""")]
    public async Task The_quote_is_answered_by_the_handler_of_the_callers_version(string version, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/quote");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_quote");
        request.Headers.Add("Stripe-Version", version);
        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_kept_renderer_renders_a_webhook_at_the_endpoints_version()
    {
        var assembly = Guide.Value;
        var webhooks = _app.Services.GetRequiredService(assembly.GetType("Shipping.ParcelWebhooks")!);
        var parcel = NewParcel(assembly);

        byte[] payload = (byte[])webhooks.GetType().GetMethod("Payload")!.Invoke(webhooks, [parcel, ApiVersion.Parse("2024-01-01")])!;
        Assert.Equal("""{"id":"pcl_1","object":"parcel","weight":900,"insured":true}""", Encoding.UTF8.GetString(payload));
        Assert.Same(_app.Services.GetRequiredService<ApiRenderer>(), _app.Services.GetRequiredService<ApiRenderer>());
    }

    private static object NewParcel(Assembly assembly)
    {
        var parcel = Activator.CreateInstance(assembly.GetType("Shipping.Parcel")!)!;
        parcel.GetType().GetProperty("Id")!.SetValue(parcel, "pcl_1");
        parcel.GetType().GetProperty("WeightGrams")!.SetValue(parcel, 900);
        parcel.GetType().GetProperty("Insured")!.SetValue(parcel, true);
        return parcel;
    }

    [Fact]
    public async Task An_event_reaches_an_endpoint_at_the_endpoints_version_signed_with_its_secret()
    {
        var assembly = Guide.Value;
        var parcelEvents = assembly.GetType("Shipping.ParcelEvents")!;
        var history = (ApiHistory)assembly.GetType("Shipping.ShippingHistory")!.GetProperty("Default")!.GetValue(null)!;
        await using var receiver = await VersionKit.Webhooks.Tests.WebhookReceiver.StartAsync();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        string pins = "Data Source=" + Path.Combine(_folder, "events.db");
        parcelEvents.GetMethod("AddParcelEvents")!.Invoke(null, [builder.Services.AddVersionKit(history).UseSqlitePins(pins), pins]);
        await using var app = builder.Build();
        await app.StartAsync();

        var events = app.Services.GetRequiredService<VersionKit.Webhooks.ApiEvents>();
        string secret = VersionKit.Webhooks.WebhookSignature.NewSecret();
        await (Task)parcelEvents.GetMethod("AddEndpointAsync")!.Invoke(null, [events, "acct_1", receiver.Url("/parcels"), ApiVersion.Parse("2024-01-01"), secret])!;
        var recorded = await (Task<VersionKit.Webhooks.ApiEvent>)parcelEvents.GetMethod("ParcelCreatedAsync")!.Invoke(null, [events, "acct_1", ApiVersion.Parse("2025-03-01"), NewParcel(assembly)])!;

        Assert.True(await receiver.WaitUntilAsync(r => r.Count == 1, TimeSpan.FromSeconds(20)), "no delivery arrived");
        var delivery = receiver.Received.Single();
        Assert.Equal("""{"id":"evt_pcl_1","object":"event","api_version":"2024-01-01","type":"parcel.created","data":{"id":"pcl_1","object":"parcel","weight":900,"insured":true}}""", delivery.Body);
        Assert.Equal("""{"id":"evt_pcl_1","object":"event","api_version":"2025-03-01","type":"parcel.created","data":{"id":"pcl_1","object":"parcel","weight_grams":900,"insured":true}}""", Encoding.UTF8.GetString(recorded.Body.Span));

        // The header as Stripe signs: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">, the whole secret the key.
        var signature = System.Text.RegularExpressions.Regex.Match(delivery.Signature!, "^t=([0-9]+),v1=([0-9a-f]{64})$");
        Assert.True(signature.Success, delivery.Signature);
        byte[] mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signature.Groups[1].Value + "." + delivery.Body));
        Assert.Equal(Convert.ToHexStringLower(mac), signature.Groups[2].Value);
        await app.StopAsync();
    }
}
