using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VersionKit.AspNetCore.Tests;

/// <summary>The same scenarios through a minimal API group (<c>/api</c>) and an MVC controller (<c>/mvc</c>), with one registration.</summary>
public sealed class VersioningTests : IAsyncLifetime
{
    private readonly CollectingLoggerProvider _logs = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders().AddProvider(_logs);
        builder.Services.AddControllers().AddApplicationPart(typeof(NotesController).Assembly);
        builder.Services.AddVersionKit(NoteHistory.Default, o => o.HeaderName = "Api-Version").UseInMemoryPins();
        _app = builder.Build();
        _app.UseVersionKit();
        _app.MapControllers().WithVersionKit();
        var api = _app.MapGroup("/api").WithVersionKit();
        api.MapPost("/notes", (CreateNote note) => new Note { Body = note.Body ?? "(none)" });
        api.MapGet("/plain", () => new Note());
        api.MapGet("/ok", () => TypedResults.Ok(new Note()));
        api.MapGet("/json", () => Results.Json(new Note(), statusCode: 201));
        api.MapGet("/text", () => "just text");
        api.MapGet("/empty", () => Results.NoContent());
        api.MapGet("/boom", () => new Note { Author = "boom" });
        api.MapGet("/boom-last", () => new[] { new Note { Id = "note_ok", Author = "fine" }, new Note { Id = "note_boom", Author = "boom" } });
        api.MapGet("/drafts", (HttpContext context) => new { drafts = context.CallerPredates<DraftsFirst>() ? "no" : "yes", version = context.GetApiVersion().ToString() });
        _app.MapGet("/unversioned", () => new Note());
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (version is not null)
        {
            request.Headers.Add("Api-Version", version);
        }

        return await _client.SendAsync(request);
    }

    [Theory]
    [InlineData("/api/plain", 200)]
    [InlineData("/api/ok", 200)]
    [InlineData("/api/json", 201)]
    [InlineData("/mvc/plain", 200)]
    [InlineData("/mvc/ok", 200)]
    [InlineData("/mvc/json", 201)]
    public async Task Values_plain_or_in_results_are_rendered_at_the_version_with_their_status(string path, int status)
    {
        var response = await GetAsync(path, "2020-01-01");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("2020-01-01", response.Headers.GetValues("Api-Version").Single());
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("hello", (string?)json["text"]);
        Assert.Null(json["body"]);

        var latest = JsonNode.Parse(await (await GetAsync(path, null)).Content.ReadAsStringAsync())!;
        Assert.Equal("hello", (string?)latest["body"]);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/mvc")]
    public async Task Results_without_a_value_pass_through(string prefix)
    {
        Assert.Equal("just text", await (await GetAsync(prefix + "/text", "2020-01-01")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await GetAsync(prefix + "/empty", "2020-01-01")).StatusCode);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/mvc")]
    public async Task An_old_request_body_bound_by_the_endpoint_is_upgraded(string prefix)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, prefix + "/notes") { Content = JsonContent.Create(new { text = "hi" }) };
        request.Headers.Add("Api-Version", "2020-01-01");
        var json = JsonNode.Parse(await (await _client.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal("hi", (string?)json["text"]);

        // The latest version has no `text`: it is refused, not silently dropped.
        using var current = new HttpRequestMessage(HttpMethod.Post, prefix + "/notes") { Content = JsonContent.Create(new { text = "hi" }) };
        using var refused = await _client.SendAsync(current);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(VersionKitErrorCodes.ParameterUnknown, (string?)problem["code"]);
        Assert.Equal("text", (string?)problem["param"]);
    }

    [Fact]
    public async Task Endpoints_without_WithVersionKit_are_not_versioned()
    {
        var response = await GetAsync("/unversioned", "not a version");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Api-Version"));
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/mvc")]
    public async Task The_header_name_is_configurable(string prefix)
    {
        var response = await GetAsync(prefix + "/plain", "2021-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Api-Version", (string?)problem["header"]);
    }

    [Trait("Category", "Reliability")]
    [Theory]
    [InlineData("/api")]
    [InlineData("/mvc")]
    public async Task A_transformation_that_throws_gives_a_clean_500_and_a_log_naming_change_resource_and_version(string prefix)
    {
        _logs.Entries.Clear();
        var response = await GetAsync(prefix + "/boom", "2021-01-01");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"id\":\"note_1\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot collapse", body, StringComparison.Ordinal);

        var entry = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith("Version change", StringComparison.Ordinal));
        Assert.Contains("NoteAuthor", entry.Message, StringComparison.Ordinal);
        Assert.Contains("'note'", entry.Message, StringComparison.Ordinal);
        Assert.Contains("2022-01-01", entry.Message, StringComparison.Ordinal);
        Assert.Contains("2021-01-01", entry.Message, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(prefix + "/boom", "2022-01-01")).StatusCode);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task A_transformation_that_throws_on_the_last_object_of_a_list_sends_nothing_of_the_objects_before_it()
    {
        _logs.Entries.Clear();
        var response = await GetAsync("/api/boom-last", "2021-01-01");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(response.Content.Headers.ContentLength, System.Text.Encoding.UTF8.GetByteCount(body));
        Assert.DoesNotContain("note_ok", body, StringComparison.Ordinal);
        Assert.Contains("could not be rendered at API version 2021-01-01", body, StringComparison.Ordinal);
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("NoteAuthor", StringComparison.Ordinal));

        var fine = JsonNode.Parse(await (await GetAsync("/api/boom-last", "2022-01-01")).Content.ReadAsStringAsync())!;
        Assert.Equal(["note_ok", "note_boom"], fine.AsArray().Select(n => (string?)n!["id"]));
    }

    [Theory]
    [InlineData("/api", "2022-01-01", "no")]
    [InlineData("/api", "2023-01-01", "yes")]
    [InlineData("/mvc", "2022-01-01", "no")]
    [InlineData("/mvc", "2023-01-01", "yes")]
    public async Task A_side_effect_change_is_asked_in_one_call(string prefix, string version, string drafts)
    {
        var json = JsonNode.Parse(await (await GetAsync(prefix + "/drafts", version)).Content.ReadAsStringAsync())!;
        Assert.Equal(drafts, (string?)json["drafts"]);
        Assert.Equal(version, (string?)json["version"]);
    }

    [Fact]
    public async Task Options_that_do_not_match_the_history_fail_the_start_not_a_request()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseUpper);
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins();
        await using var app = builder.Build();
        app.MapGroup("/api").WithVersionKit().MapGet("/x", () => new Note());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("do not match NoteHistory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_versioned_endpoint_without_UseVersionKit_says_what_is_missing()
    {
        var logs = new CollectingLoggerProvider();
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins();
        await using var app = builder.Build();
        app.MapGroup("/api").WithVersionKit().MapGet("/x", () => new Note());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
        var response = await client.GetAsync("/api/x");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("UseVersionKit", StringComparison.Ordinal));
    }

    [Fact]
    public void WithVersionKit_without_AddVersionKit_says_what_is_missing()
    {
        var builder = WebApplication.CreateBuilder();
        var app = builder.Build();
        app.MapGroup("/api").WithVersionKit().MapGet("/x", () => new Note());
        var error = Assert.Throws<InvalidOperationException>(() => ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).ToList());
        Assert.Contains("AddVersionKit", error.Message, StringComparison.Ordinal);
    }
}

internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => provider.Entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception.Message)));
    }
}
