using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VersionKit.Pins;

namespace VersionKit.AspNetCore.Tests;

/// <summary>VersionKit's own errors: a stable code in problem+json by default, the app's error at the caller's version with a factory.</summary>
public sealed class ErrorTests
{
    private sealed class DownStore : IApiVersionPinStore
    {
        public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default) => throw Down();

        public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default) => throw Down();

        public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default) => throw Down();

        public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default) => throw Down();

        private static PinStoreUnavailableException Down() => new("The test's store is down.", new IOException("down"));
    }

    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(Action<VersionKitBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.AddHeaderAuthentication();
        configure(builder.Services.AddVersionKit(NoteHistory.Default));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseVersionKit();
        var api = app.MapGroup("/api").WithVersionKit();
        api.MapGet("/notes/{id}", (string id) => new Note { Id = id, Author = id == "note_boom" ? "boom" : null });
        api.MapPost("/notes", (CreateNote note) => new Note { Body = note.Body ?? "" });
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
        return (app, client);
    }

    private static async Task<(HttpResponseMessage Response, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? version, string? json = null, string? account = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (version is not null)
        {
            request.Headers.Add("Stripe-Version", version);
        }

        if (account is not null)
        {
            request.Headers.Add("X-Account", account);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        return (response, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Theory]
    [InlineData("2019-13-01")]
    [InlineData("1999-01-01")]
    [InlineData("2020-01-01, 2021-01-01")]
    public async Task A_bad_version_is_problem_json_with_the_code_api_version_invalid_and_the_valid_versions(string version)
    {
        var (app, client) = await StartAsync(b => b.UseInMemoryPins());
        await using var _ = app;
        using var __ = client;

        var (response, body) = await SendAsync(client, HttpMethod.Get, "/api/notes/note_1", version);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(VersionKitErrorCodes.ApiVersionInvalid, (string?)body["code"]);
        Assert.Equal(NoteHistory.Default.Versions.Count, body["valid_versions"]!.AsArray().Count);
    }

    [Fact]
    public async Task Pins_that_cannot_be_read_are_a_503_with_the_code_pin_store_unavailable_and_retry_after()
    {
        var (app, client) = await StartAsync(b => b.UsePinStore<DownStore>());
        await using var _ = app;
        using var __ = client;

        var (response, body) = await SendAsync(client, HttpMethod.Get, "/api/notes/note_1", version: null, account: "acct_1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(VersionKitErrorCodes.PinStoreUnavailable, (string?)body["code"]);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("{\"text\":", "not valid JSON (line 1")]
    [InlineData("[1]", "must be a JSON object")]
    public async Task An_unreadable_old_body_is_request_malformed_in_VersionKits_words(string json, string message)
    {
        var (app, client) = await StartAsync(b => b.UseInMemoryPins());
        await using var _ = app;
        using var __ = client;

        var (response, body) = await SendAsync(client, HttpMethod.Post, "/api/notes", "2020-01-01", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(VersionKitErrorCodes.RequestMalformed, (string?)body["code"]);
        Assert.Contains(message, (string?)body["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("2020-01-01", response.Headers.GetValues("Stripe-Version").Single());
    }

    [Fact]
    public async Task With_a_factory_every_error_is_the_apps_own_rendered_at_the_callers_version()
    {
        var (app, client) = await StartAsync(b => b.UseInMemoryPins()
            .UseErrors((error, _) => new NoteError { Code = error.Code, Message = error.Message, Param = error.Param }));
        await using var _ = app;
        using var __ = client;

        // A render failure at 2021-01-01: the app's error in the shape of that version.
        var (failed, failure) = await SendAsync(client, HttpMethod.Get, "/api/notes/note_boom", "2021-01-01");
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/json", failed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(VersionKitErrorCodes.RenderFailed, (string?)failure["code"]);
        Assert.Equal("2021-01-01", failed.Headers.GetValues("Stripe-Version").Single());

        // At 2020-01-01 the same error names its field `field`, as that version did.
        var (old, oldBody) = await SendAsync(client, HttpMethod.Post, "/api/notes", "2020-01-01", "[1]");
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Equal(["object", "code", "message", "field"], oldBody.Select(p => p.Key));
        Assert.Equal(VersionKitErrorCodes.RequestMalformed, (string?)oldBody["code"]);

        // A version that cannot be read has no version to be rendered at: the latest shape.
        var (bad, badBody) = await SendAsync(client, HttpMethod.Get, "/api/notes/note_1", "2019-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["object", "code", "message", "param"], badBody.Select(p => p.Key));
        Assert.False(bad.Headers.Contains("Stripe-Version"));
    }

    [Fact]
    public async Task A_factory_that_declines_leaves_the_problem_json()
    {
        var (app, client) = await StartAsync(b => b.UseInMemoryPins().UseErrors((_, _) => null));
        await using var _ = app;
        using var __ = client;

        var (response, body) = await SendAsync(client, HttpMethod.Get, "/api/notes/note_1", "2019-13-01");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(VersionKitErrorCodes.ApiVersionInvalid, (string?)body["code"]);
    }

    [Fact]
    public async Task A_handler_returns_a_VersionKit_error_as_a_result_and_it_is_answered_the_same_way()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins()
            .UseErrors((error, _) => new NoteError { Code = error.Code, Message = error.Message, Param = error.Param });
        await using var app = builder.Build();
        app.UseVersionKit();
        app.MapGroup("/api").WithVersionKit().MapPost("/pins", (HttpContext context) =>
            new VersionKitError(StatusCodes.Status503ServiceUnavailable, VersionKitErrorCodes.PinStoreUnavailable, "Pins cannot be changed right now.") { Param = "api_version", Version = context.GetApiVersion() }.ToResult());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

        var (response, body) = await SendAsync(client, HttpMethod.Post, "/api/pins", "2020-01-01", "{}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("api_version", (string?)body["field"]);
    }
}
