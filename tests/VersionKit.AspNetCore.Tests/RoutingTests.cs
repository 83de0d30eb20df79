using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VersionKit.Pins;

namespace VersionKit.AspNetCore.Tests;

/// <summary>
/// The version of a request is resolved in routing, before authentication, authorization and the endpoint run; the caller
/// comes from a real authentication scheme that the app runs after routing, as apps do. The header is Api-Version.
/// </summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _endpointRuns;

    private static string Latest => NoteHistory.Default.Latest.ToString();

    public async Task InitializeAsync()
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddHeaderAuthentication();
        builder.Services.AddVersionKit(NoteHistory.Default, o => o.HeaderName = "Api-Version").UseInMemoryPins().AddDocs();
        _app = builder.Build();

        // Clears the response, headers included, before it writes its own: what it writes must still name the version.
        _app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return context.Response.WriteAsync("the handler failed");
            },
        });
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.UseVersionKit();
        var api = _app.MapGroup("/api").WithVersionKit();
        api.MapGet("/whoami", (HttpContext context) =>
        {
            Interlocked.Increment(ref _endpointRuns);
            var feature = context.GetApiVersionFeature();
            return new { version = feature.Version.ToString(), source = feature.Source.ToString() };
        });
        api.MapGet("/private", () => new Note()).RequireAuthorization();
        api.MapGet("/throws", IResult () => throw new InvalidOperationException("the handler failed"));
        _app.MapVersionKitDocs();
        await _app.StartAsync();
        _client = TestHttp.ClientOf(_app);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private ApiVersionPins Pins => _app.Services.GetRequiredService<ApiVersionPins>();

    private static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..10];

    private Task<(HttpResponseMessage Response, string Body)> GetAsync(string path, string? version = null, string? account = null, string? application = null)
        => _client.GetWithHeadersAsync(path, ("Api-Version", version), ("X-Account", account), ("X-Application", application));

    [Fact]
    public async Task A_pinned_accounts_version_is_resolved_from_a_scheme_that_runs_after_routing_and_the_scheme_runs_once()
    {
        string account = NewId("acct");
        await Pins.AssignAsync(account, ApiVersion.Parse("2021-01-01"), VersionKit.Pins.PinActor.Operator("test"));
        string path = "/api/whoami?call=" + NewId("call");

        var (response, body) = await GetAsync(path, account: account);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2021-01-01", response.Headers.GetValues("Api-Version").Single());
        var json = JsonNode.Parse(body)!;
        Assert.Equal("2021-01-01", (string?)json["version"]);
        Assert.Equal("Pin", (string?)json["source"]);
        Assert.Equal(1, _app.Services.GetRequiredService<HeaderAuthentication.Runs>().Count(path));
    }

    [Fact]
    public async Task An_accounts_first_call_pins_it_to_the_latest()
    {
        string account = NewId("acct");

        var (response, _) = await GetAsync("/api/whoami", account: account);

        Assert.Equal(Latest, response.Headers.GetValues("Api-Version").Single());
        Assert.Equal(NoteHistory.Default.Latest, (await Pins.FindAsync(account))?.Version);
    }

    [Fact]
    public async Task A_bad_version_header_is_a_400_before_authorization_and_before_the_endpoint_runs()
    {
        int runs = _endpointRuns;

        var (refused, body) = await GetAsync("/api/private", "2021-13-01");
        var (refusedToo, _) = await GetAsync("/api/whoami", "2021-13-01");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(VersionKitErrorCodes.ApiVersionInvalid, (string?)JsonNode.Parse(body)!["code"]);
        Assert.Equal(HttpStatusCode.BadRequest, refusedToo.StatusCode);
        Assert.Equal(runs, _endpointRuns);
    }

    [Theory]
    [InlineData("2021-01-01", "2021-01-01")]
    [InlineData(null, null)]
    public async Task A_401_from_authorization_carries_the_version(string? sent, string? echoed)
    {
        var (response, _) = await GetAsync("/api/private", sent);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(echoed ?? Latest, response.Headers.GetValues("Api-Version").Single());
    }

    [Fact]
    public async Task A_500_written_by_the_exception_handler_carries_the_version()
    {
        var (response, body) = await GetAsync("/api/throws", "2021-01-01");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("the handler failed", body);
        Assert.Equal("2021-01-01", response.Headers.GetValues("Api-Version").Single());
    }

    [Fact]
    public async Task An_exception_while_resolving_the_caller_reaches_the_apps_exception_handler()
    {
        int runs = _endpointRuns;

        var (response, body) = await GetAsync("/api/whoami", account: "acct_throws");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("the handler failed", body);
        Assert.Equal(runs, _endpointRuns);
    }

    [Fact]
    public async Task The_docs_pages_read_the_version_the_api_resolves_including_an_acting_applications()
    {
        string account = NewId("acct");
        string application = NewId("app");
        await Pins.AssignAsync(account, ApiVersion.Parse("2020-01-01"), VersionKit.Pins.PinActor.Operator("test"));
        await Pins.AssignAsync(application, ApiVersion.Parse("2021-01-01"), VersionKit.Pins.PinActor.Operator("test"));

        var (_, page) = await GetAsync("/docs/upgrade", account: account, application: application);
        var (_, api) = await GetAsync("/api/whoami", account: account, application: application);

        Assert.Equal("2021-01-01", (string?)JsonNode.Parse(api)!["version"]);
        Assert.Contains("Your version: 2021-01-01", page, StringComparison.Ordinal);
        Assert.Contains("changes since your version, 2021-01-01", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_docs_pages_pin_neither_an_account_nor_an_application_on_their_first_call()
    {
        string account = NewId("acct");
        string application = NewId("app");

        var (withApplication, page) = await GetAsync("/docs/changelog", account: account, application: application);
        var (alone, _) = await GetAsync("/docs/upgrade", account: account);

        Assert.Equal(HttpStatusCode.OK, withApplication.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        Assert.Null(await Pins.FindAsync(account));
        Assert.Null(await Pins.FindAsync(application));

        // What the first call will get, which is the version the page describes.
        Assert.Contains("Your version: " + Latest, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_version_header_on_a_docs_page_is_explained_as_the_api_explains_it()
    {
        var (api, problem) = await GetAsync("/api/whoami", "2021-01-01, 2022-01-01");
        var (docs, page) = await GetAsync("/docs/upgrade", "2021-01-01, 2022-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, docs.StatusCode);
        string detail = (string)JsonNode.Parse(problem)!["detail"]!;
        Assert.Contains("sent 2 times", detail, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(detail), page, StringComparison.Ordinal);
    }
}
