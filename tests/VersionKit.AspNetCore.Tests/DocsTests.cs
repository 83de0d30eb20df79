using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using VersionKit.Pins;

namespace VersionKit.AspNetCore.Tests;

/// <summary>The docs pages and the per-version OpenAPI documents of NoteHistory, over real HTTP, with the header named Api-Version.</summary>
public sealed class DocsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddHeaderAuthentication();
        builder.Services.AddVersionKit(NoteHistory.Default, o => o.HeaderName = "Api-Version").UseInMemoryPins().AddOpenApi().AddDocs();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseVersionKit();
        var api = _app.MapGroup("/api").WithVersionKit();
        api.MapGet("/notes/{id}", (string id) => new Note { Id = id });
        api.MapGet("/notes", (int? limit) => new { limit }).WithApiRequest<ListNotes>();
        api.MapPost("/notes", (HttpRequest request) => request.ReadFromJsonAsync<CreateNote>()).WithApiRequest<CreateNote>();
        api.MapPost("/shipments", (CreateShipment shipment) => ShipmentEcho.Of(shipment));
        _app.MapGet("/health", () => "ok");
        _app.MapVersionKitDocs();
        _app.MapVersionKitOpenApi();
        await _app.StartAsync();
        _client = TestHttp.ClientOf(_app);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private Task<(HttpResponseMessage Response, string Body)> GetAsync(string path, string? version = null, string? account = null)
        => _client.GetWithHeadersAsync(path, ("Api-Version", version), ("X-Account", account));

    [Fact]
    public async Task The_changelog_page_lists_every_version_and_warns_a_caller_on_an_old_version()
    {
        var (response, html) = await GetAsync("/docs/changelog");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var version in NoteHistory.Default.Versions)
        {
            Assert.Contains($">{version}</h2>", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("class=\"warning\"", html, StringComparison.Ordinal);

        var (_, old) = await GetAsync("/docs/changelog", "2021-01-01");
        Assert.Contains("class=\"warning\"", old, StringComparison.Ordinal);
        int since = NoteHistory.Default.GetUpgradeGuide(ApiVersion.Parse("2021-01-01"), NoteHistory.Default.Latest).Changes.Count;
        Assert.Contains($"{since} changes since your version, 2021-01-01", old, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs/upgrade?from=2021-01-01\"", old, StringComparison.Ordinal);
        Assert.Contains("Api-Version", response.Headers.Vary);
    }

    [Fact]
    public async Task The_upgrade_page_starts_from_the_callers_version_and_shows_each_change()
    {
        var (response, html) = await GetAsync("/docs/upgrade", "2020-01-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<h1 id=\"upgrading-from-2020-01-01-to-{NoteHistory.Default.Latest.ToString().Replace(".", "", StringComparison.Ordinal)}\">Upgrading from 2020-01-01 to {NoteHistory.Default.Latest}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("changes since your version, 2020-01-01", html, StringComparison.Ordinal);
        Assert.Contains("<td><code>text</code></td>\n<td><code>body</code></td>\n<td>renamed</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td><code>string</code></td>\n<td><code>object</code></td>\n<td>type changed</td>", html, StringComparison.Ordinal);
        Assert.Contains("Changes with side effects", html, StringComparison.Ordinal);
        Assert.Contains("<option selected>2020-01-01</option>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_upgrade_page_takes_from_and_to_over_the_callers_version()
    {
        var (response, html) = await GetAsync("/docs/upgrade?from=2021-01-01&to=2022-01-01", "2020-01-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(">Upgrading from 2021-01-01 to 2022-01-01</h1>", html, StringComparison.Ordinal);
        Assert.Contains("2 changes since 2021-01-01", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>text</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_caller_is_told_there_is_nothing_to_upgrade()
    {
        var (response, html) = await GetAsync("/docs/upgrade");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("is the version you upgrade to: nothing changes", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"warning\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_account_sees_what_changed_since_its_pin_and_the_page_pins_nobody()
    {
        var pins = _app.Services.GetRequiredService<ApiVersionPins>();
        string pinned = "acct_" + Guid.NewGuid().ToString("N")[..8];
        await pins.AssignAsync(pinned, ApiVersion.Parse("2021-01-01"), PinActor.Operator("test"));

        var (_, html) = await GetAsync("/docs/upgrade", account: pinned);
        Assert.Contains("changes since your version, 2021-01-01", html, StringComparison.Ordinal);
        Assert.Contains("Your version: 2021-01-01", html, StringComparison.Ordinal);

        // Reading the docs is not a first request: an account without a pin stays without one.
        string fresh = "acct_" + Guid.NewGuid().ToString("N")[..8];
        var (_, latest) = await GetAsync("/docs/upgrade", account: fresh);
        Assert.Contains("nothing changes", latest, StringComparison.Ordinal);
        Assert.Null(await pins.FindAsync(fresh));
    }

    [Theory]
    [InlineData("/docs/upgrade?from=2019-01-01", null, "The &#39;from&#39; version is not valid. &#39;2019-01-01&#39; is not a version of this API. Valid versions: 2020-01-01")]
    [InlineData("/docs/upgrade?to=2030-01-01", null, "The &#39;to&#39; version is not valid. &#39;2030-01-01&#39; is not a version of this API: it is newer than the latest version")]
    [InlineData("/docs/upgrade?from=2022-01-01&to=2021-01-01", null, "&#39;from&#39; (2022-01-01) is newer than &#39;to&#39; (2021-01-01)")]
    [InlineData("/docs/upgrade?from=%3Cscript%3Ealert(1)%3C/script%3E", null, "&#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; is not a version")]
    [InlineData("/docs/upgrade?from=2021-01-01&from=2022-01-01", null, "&#39;from&#39; was given 2 times; give one version.")]
    [InlineData("/docs/upgrade", "yesterday", "Your Api-Version header is not valid. &#39;yesterday&#39; is not a version")]
    public async Task A_bad_upgrade_request_gets_a_400_page_that_says_why(string path, string? header, string expected)
    {
        var (response, html) = await GetAsync(path, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("<div class=\"error\" role=\"alert\">", html, StringComparison.Ordinal);
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);

        // The page still offers the way out: a form with the valid versions.
        Assert.Contains("<form class=\"versions\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_changelog_filtered_since_a_version_shows_only_the_releases_after_it()
    {
        var (response, html) = await GetAsync("/docs/changelog?since=2021-01-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The releases after 2021-01-01, newest first: 2 releases and 3 changes.", html, StringComparison.Ordinal);
        Assert.Contains(">2023-01-01</h2>", html, StringComparison.Ordinal);
        Assert.Contains(">2022-01-01</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">2021-01-01</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">2020-01-01</h2>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/docs/changelog?since=2021-06-01", "The &#39;since&#39; version is not valid. &#39;2021-06-01&#39; is not a version of this API. Valid versions: 2020-01-01")]
    [InlineData("/docs/changelog?since=2021-01-01&since=2022-01-01", "&#39;since&#39; was given 2 times; give one version.")]
    public async Task A_bad_since_gets_a_400_page_that_says_why(string path, string expected)
    {
        var (response, html) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_changelog_json_is_the_changelog_as_data()
    {
        var (response, json) = await GetAsync("/docs/changelog.json");

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(ApiChangelog.From(NoteHistory.Default).ToJson(), json);
        Assert.Equal("NoteHistory", ApiChangelog.FromJson(json).HistoryName);
    }

    [Fact]
    public async Task Each_version_has_its_openapi_document_with_the_resource_as_it_was()
    {
        var old = JsonNode.Parse((await GetAsync("/openapi/2020-01-01.json")).Body)!;
        var latest = JsonNode.Parse((await GetAsync($"/openapi/{NoteHistory.Default.Latest}.json")).Body)!;

        Assert.Equal("2020-01-01", (string?)old["info"]!["version"]);
        var oldNote = old["components"]!["schemas"]!["Note"]!["properties"]!.AsObject();
        var latestNote = latest["components"]!["schemas"]!["Note"]!["properties"]!.AsObject();
        Assert.Equal(["id", "object", "text", "author"], oldNote.Select(p => p.Key));
        Assert.Equal(["id", "object", "body", "author"], latestNote.Select(p => p.Key));
        Assert.Equal("string", (string?)oldNote["author"]!["type"]);
    }

    [Fact]
    public async Task The_version_header_is_documented_on_versioned_operations_only_with_the_valid_versions()
    {
        var document = JsonNode.Parse((await GetAsync("/openapi/2021-01-01.json")).Body)!;
        var paths = document["paths"]!.AsObject();

        var parameter = paths["/api/notes/{id}"]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "Api-Version")!;
        Assert.Equal("header", (string?)parameter["in"]);
        Assert.Equal(NoteHistory.Default.Versions.Select(v => v.ToString()), parameter["schema"]!["enum"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("2021-01-01", (string?)parameter["schema"]!["default"]);
        Assert.DoesNotContain(paths["/health"]!["get"]!["parameters"]?.AsArray() ?? [], p => (string?)p!["name"] == "Api-Version");

        // The docs endpoints document nothing of themselves.
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/docs", StringComparison.Ordinal) || p.Key.StartsWith("/openapi", StringComparison.Ordinal));
    }

    private async Task<JsonNode> DocumentAsync(string version) => JsonNode.Parse((await GetAsync($"/openapi/{version}.json")).Body)!;

    // A schema's properties, through a reference or a nullable reference (oneOf null and the reference).
    private static JsonObject Properties(JsonNode document, JsonNode schema)
    {
        if (schema["oneOf"] is JsonArray choices)
        {
            schema = choices.Single(c => c!["$ref"] is not null)!;
        }

        return (schema["$ref"] is { } reference ? document["components"]!["schemas"]![((string)reference!)["#/components/schemas/".Length..]]! : schema)["properties"]!.AsObject();
    }

    [Theory]
    [InlineData("2021-01-01", new[] { "to", "stops", "metadata", "weightGrams", "fragile", "reference", "insured" }, new[] { "line1", "zip" })]
    [InlineData("2023-01-01", new[] { "to", "stops", "metadata", "weightGrams", "fragile", "customerReference", "receiptEmail" }, new[] { "line1", "postalCode" })]
    public async Task Each_versions_document_has_the_request_bodies_at_that_versions_field_names_nested_objects_too(string version, string[] shipment, string[] address)
    {
        var document = await DocumentAsync(version);
        var body = document["paths"]!["/api/shipments"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.Equal(["application/json", "application/x-www-form-urlencoded"], body.Select(c => c.Key).Order(StringComparer.Ordinal));

        var properties = Properties(document, body["application/json"]!["schema"]!);
        Assert.Equal(shipment, properties.Select(p => p.Key));
        Assert.Equal(address, Properties(document, properties["to"]!).Select(p => p.Key));
        if (properties["insured"] is { } insured)
        {
            Assert.Equal("Taken and ignored: API version 2022-01-01 removed it.", (string?)insured["description"]);
        }
    }

    [Theory]
    [InlineData("2020-01-01", "count", "text")]
    [InlineData("2023-01-01", "limit", "body")]
    public async Task An_endpoint_naming_its_request_type_has_its_query_or_body_at_that_versions_names(string version, string query, string field)
    {
        var document = await DocumentAsync(version);
        var notes = document["paths"]!["/api/notes"]!;
        var parameters = notes["get"]!["parameters"]!.AsArray().Where(p => (string?)p!["in"] == "query").Select(p => (string?)p!["name"]);
        Assert.Equal([query], parameters);

        var body = notes["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.Equal(["application/json", "application/x-www-form-urlencoded"], body.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal([field], Properties(document, body["application/json"]!["schema"]!).Select(p => p.Key));
    }

    [Fact]
    public async Task An_unknown_version_has_no_document()
        => Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/openapi/2019-01-01.json")).Response.StatusCode);

    [Fact]
    public void Mapping_the_documents_or_the_pages_without_registering_them_says_what_is_missing()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins();
        var app = builder.Build();

        Assert.Contains("AddVersionKit(history).AddOpenApi()", Assert.Throws<InvalidOperationException>(() => app.MapVersionKitOpenApi()).Message, StringComparison.Ordinal);
        Assert.Contains("AddVersionKit(history).AddDocs()", Assert.Throws<InvalidOperationException>(() => app.MapVersionKitDocs()).Message, StringComparison.Ordinal);
    }
}
