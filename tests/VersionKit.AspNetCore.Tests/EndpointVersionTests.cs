using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VersionKit.Pins;

namespace VersionKit.AspNetCore.Tests;

/// <summary>
/// Endpoints introduced and removed at versions (IntroducedIn, RemovedIn on minimal APIs, groups, controllers and actions),
/// over real HTTP with the header named Api-Version: 404 and 410 for callers outside, routing by version on one route, the
/// OpenAPI documents, the changelog and the upgrade guide.
/// </summary>
public sealed class EndpointVersionTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddHeaderAuthentication();
        builder.Services.AddControllers().AddApplicationPart(typeof(ArchiveController).Assembly);
        builder.Services.AddVersionKit(NoteHistory.Default, o => o.HeaderName = "Api-Version").UseInMemoryPins().AddOpenApi().AddDocs();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.UseVersionKit();
        _app.MapControllers().WithVersionKit();
        var api = _app.MapGroup("/api").WithVersionKit();
        api.MapGet("/drafts", () => new Note { Id = "note_draft" }).IntroducedIn("2023-01-01");
        api.MapGet("/legacy-notes", () => new Note { Id = "note_legacy" }).RemovedIn("2021-01-01");
        api.MapGet("/feed", () => Results.Text("old feed")).RemovedIn("2022-01-01");
        api.MapGet("/feed", () => Results.Text("new feed")).IntroducedIn("2022-01-01");
        var beta = api.MapGroup("/beta").IntroducedIn("2022-01-01");
        beta.MapGet("/notes", () => new Note { Id = "note_beta" });
        beta.MapGet("/old", () => new Note { Id = "note_beta_old" }).RemovedIn("2023-01-01");
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

    private static void AssertNotInVersion(HttpResponseMessage response, string body, HttpStatusCode status, string detail, string version, string echoed)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(echoed, response.Headers.GetValues("Api-Version").Single());
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(VersionKitErrorCodes.EndpointNotInVersion, (string?)problem["code"]);
        Assert.Equal(version, (string?)problem[detail]);
        Assert.Contains(version, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/drafts", "2022-01-01", "2023-01-01")]
    [InlineData("/api/beta/notes", "2021-01-01", "2022-01-01")]
    [InlineData("/mvc/archive", "2020-01-01", "2021-01-01")]
    public async Task An_endpoint_is_404_before_the_version_that_introduced_it_and_says_which(string path, string older, string introduced)
    {
        var (response, body) = await GetAsync(path, older);
        AssertNotInVersion(response, body, HttpStatusCode.NotFound, "introduced_in", introduced, older);

        var (since, _) = await GetAsync(path, introduced);
        Assert.Equal(HttpStatusCode.OK, since.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(path)).Response.StatusCode);
    }

    [Theory]
    [InlineData("/api/legacy-notes", "2020-01-01", "2021-01-01", "2023-01-01")]
    [InlineData("/api/beta/old", "2022-01-01", "2023-01-01", "2023-01-01")]
    [InlineData("/mvc/archive/old", "2021-01-01", "2022-01-01", "2023-01-01")]
    public async Task A_removed_endpoint_is_410_at_and_after_the_version_that_removed_it_and_says_which(string path, string before, string removed, string after)
    {
        var (served, note) = await GetAsync(path, before);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(before, served.Headers.GetValues("Api-Version").Single());
        Assert.NotNull(JsonNode.Parse(note)!["id"]);

        var (atRemoval, body) = await GetAsync(path, removed);
        AssertNotInVersion(atRemoval, body, HttpStatusCode.Gone, "removed_in", removed, removed);
        var (later, laterBody) = await GetAsync(path, after);
        AssertNotInVersion(later, laterBody, HttpStatusCode.Gone, "removed_in", removed, after);
    }

    [Theory]
    [InlineData("2020-01-01", "old feed")]
    [InlineData("2021-01-01", "old feed")]
    [InlineData("2022-01-01", "new feed")]
    [InlineData("2023-01-01", "new feed")]
    [InlineData(null, "new feed")]
    public async Task Two_handlers_on_one_route_are_chosen_by_the_callers_version(string? version, string expected)
    {
        var (response, body) = await GetAsync("/api/feed", version);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task A_pinned_accounts_version_decides_which_endpoints_it_has()
    {
        var pins = _app.Services.GetRequiredService<ApiVersionPins>();
        string account = "acct_" + Guid.NewGuid().ToString("N")[..10];
        await pins.AssignAsync(account, ApiVersion.Parse("2021-01-01"), VersionKit.Pins.PinActor.Operator("test"));

        Assert.Equal("old feed", (await GetAsync("/api/feed", account: account)).Body);
        var (drafts, body) = await GetAsync("/api/drafts", account: account);
        AssertNotInVersion(drafts, body, HttpStatusCode.NotFound, "introduced_in", "2023-01-01", "2021-01-01");

        await pins.UpgradeAsync(account, ApiVersion.Parse("2023-01-01"), VersionKit.Pins.PinActor.Operator("test"));
        Assert.Equal("new feed", (await GetAsync("/api/feed", account: account)).Body);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/drafts", account: account)).Response.StatusCode);
    }

    [Fact]
    public async Task Each_versions_openapi_document_has_only_the_endpoints_of_that_version()
    {
        var oldest = JsonNode.Parse((await GetAsync("/openapi/2020-01-01.json")).Body)!["paths"]!.AsObject();
        var middle = JsonNode.Parse((await GetAsync("/openapi/2022-01-01.json")).Body)!["paths"]!.AsObject();
        var latest = JsonNode.Parse((await GetAsync("/openapi/2023-01-01.json")).Body)!["paths"]!.AsObject();

        Assert.Equal(
            ["/api/feed", "/api/legacy-notes", "/mvc/plain"],
            new[] { "/api/drafts", "/api/feed", "/api/legacy-notes", "/api/beta/notes", "/mvc/archive", "/mvc/archive/old", "/mvc/plain" }.Where(oldest.ContainsKey));
        Assert.Equal(
            ["/api/feed", "/api/beta/notes", "/api/beta/old", "/mvc/archive", "/mvc/plain"],
            new[] { "/api/drafts", "/api/feed", "/api/legacy-notes", "/api/beta/notes", "/api/beta/old", "/mvc/archive", "/mvc/archive/old", "/mvc/plain" }.Where(middle.ContainsKey));
        Assert.Equal(
            ["/api/drafts", "/api/feed", "/api/beta/notes", "/mvc/archive", "/mvc/plain"],
            new[] { "/api/drafts", "/api/feed", "/api/legacy-notes", "/api/beta/notes", "/api/beta/old", "/mvc/archive", "/mvc/archive/old", "/mvc/plain" }.Where(latest.ContainsKey));
    }

    [Fact]
    public async Task The_changelog_lists_each_endpoint_change_at_its_version()
    {
        var changes = _app.Services.GetRequiredService<ApiEndpointChanges>().Changes;
        Assert.Equal(
            [
                "2021-01-01 Introduced GET /mvc/archive",
                "2021-01-01 Introduced GET /mvc/archive/old",
                "2021-01-01 Removed GET /api/legacy-notes",
                "2022-01-01 Introduced GET /api/beta/notes",
                "2022-01-01 Introduced GET /api/beta/old",
                "2022-01-01 Removed GET /mvc/archive/old",
                "2022-01-01 Replaced GET /api/feed",
                "2023-01-01 Introduced GET /api/drafts",
                "2023-01-01 Removed GET /api/beta/old",
            ],
            changes.Select(c => $"{c.Version} {c.Kind} {c.Endpoint}"));

        var (_, page) = await GetAsync("/docs/changelog");
        Assert.Contains("<li><code>GET /api/drafts</code>: added; older versions get 404</li>", page, StringComparison.Ordinal);
        var json = JsonNode.Parse((await GetAsync("/docs/changelog.json")).Body)!;
        Assert.Equal(changes.Count, json["endpoint_changes"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_upgrade_guide_from_the_callers_version_lists_the_endpoint_changes_since()
    {
        var (_, page) = await GetAsync("/docs/upgrade", "2021-01-01");

        Assert.Contains("and 6 endpoint changes in 2 versions", page, StringComparison.Ordinal);
        Assert.Contains("<td>2023-01-01</td>\n<td><code>GET /api/drafts</code></td>\n<td>added; older versions get 404</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("GET /api/legacy-notes", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2019-06-01", null, "GET /api/x: IntroducedIn(\"2019-06-01\") names no version of NoteHistory.")]
    [InlineData(null, "21-01-01", "GET /api/x: RemovedIn(\"21-01-01\") names no version of NoteHistory.")]
    [InlineData("2022-01-01", "2021-01-01", "GET /api/x: introduced in 2022-01-01 and removed in 2021-01-01, it would be in no version")]
    [InlineData("2022-01-01", "2022-01-01", "GET /api/x: introduced in 2022-01-01 and removed in 2022-01-01, it would be in no version")]
    public async Task Endpoint_versions_the_history_cannot_serve_fail_the_start_with_what_is_wrong(string? introduced, string? removed, string expected)
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins();
        await using var app = builder.Build();
        var endpoint = app.MapGroup("/api").WithVersionKit().MapGet("/x", () => new Note());
        if (introduced is not null)
        {
            endpoint.IntroducedIn(introduced);
        }

        if (removed is not null)
        {
            endpoint.RemovedIn(removed);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_version_on_an_endpoint_that_is_not_versioned_fails_the_start()
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins();
        await using var app = builder.Build();
        app.MapGet("/plain", () => "not versioned").IntroducedIn("2021-01-01");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("GET /plain says which version introduced or removed it but is not versioned: add WithVersionKit()", error.Message, StringComparison.Ordinal);
    }
}
