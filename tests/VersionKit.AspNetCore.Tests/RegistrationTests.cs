using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore.Tests;

/// <summary>What <c>AddVersionKit</c> registers, what it asks the app to choose, and which JSON options render.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task Without_a_pin_store_the_app_refuses_to_start_and_names_the_three_calls()
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddVersionKit(NoteHistory.Default);
        await using var app = builder.Build();
        app.MapGroup("/api").WithVersionKit().MapGet("/x", () => new Note());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(".UseSqlitePins(", error.Message, StringComparison.Ordinal);
        Assert.Contains(".UsePostgreSqlPins(", error.Message, StringComparison.Ordinal);
        Assert.Contains(".UseInMemoryPins()", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(builder.Environment.ContentRootPath, "*.db"));
    }

    [Fact]
    public async Task Options_that_make_no_sense_fail_the_start_with_what_is_wrong()
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddVersionKit(NoteHistory.Default, o => o.HeaderName = " ").UseInMemoryPins();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("HeaderName must name a header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_pins_an_account_without_a_version_header_gets_the_latest_and_nothing_is_stored()
    {
        var builder = TestHttp.NewBuilder();
        builder.Services.AddHeaderAuthentication();
        builder.Services.AddVersionKit(NoteHistory.Default).WithoutPins();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseVersionKit();
        app.MapGroup("/api").WithVersionKit().MapGet("/caller", (HttpContext context) => new
        {
            account = context.GetApiVersionFeature().Caller.AccountId,
            source = context.GetApiVersionFeature().Source.ToString(),
        });
        await app.StartAsync();
        using var client = TestHttp.ClientOf(app);
        client.DefaultRequestHeaders.Add("X-Account", "acct_1");

        var response = await client.GetAsync("/api/caller");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NoteHistory.Default.Latest.ToString(), response.Headers.GetValues("Stripe-Version").Single());
        var caller = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("acct_1", (string?)caller["account"]);
        Assert.Equal("Default", (string?)caller["source"]);
        Assert.Null(await app.Services.GetRequiredService<VersionKit.Pins.ApiVersionPins>().FindAsync("acct_1"));
    }

    [Fact]
    public async Task Controllers_render_with_MVCs_json_options_and_minimal_apis_with_theirs()
    {
        var builder = TestHttp.NewBuilder();

        // Minimal APIs write snake_case, which NoteHistory (camelCase) does not match: only MVC's options fit it.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddControllers().AddApplicationPart(typeof(NotesController).Assembly);
        builder.Services.AddVersionKit(NoteHistory.Default, o => o.HeaderName = "Api-Version").UseInMemoryPins();
        await using var app = builder.Build();
        app.UseVersionKit();
        app.MapControllers().WithVersionKit();
        await app.StartAsync();
        using var client = TestHttp.ClientOf(app);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/mvc/plain");
        request.Headers.Add("Api-Version", "2020-01-01");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"id":"note_1","object":"note","text":"hello","author":null}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Json_options_handed_to_VersionKit_render_every_endpoint_and_the_registered_renderer()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = false };
        var builder = TestHttp.NewBuilder();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins().UseJsonOptions(options);
        await using var app = builder.Build();
        app.UseVersionKit();
        app.MapGroup("/api").WithVersionKit().MapGet("/notes/{id}", (string id) => new Note { Id = id, Author = "ada" });
        await app.StartAsync();
        using var client = TestHttp.ClientOf(app);

        var old = JsonNode.Parse(await client.GetStringAsync("/api/notes/note_9?x=1"))!;
        Assert.Equal("note_9", (string?)old["id"]);
        var renderer = app.Services.GetRequiredService<ApiRenderer>();
        Assert.Equal("""{"id":"note_1","object":"note","text":"hello","author":null}""", renderer.Render(new Note(), ApiVersion.Parse("2020-01-01")));
    }

    [Fact]
    public void A_second_history_is_refused_with_the_first_ones_name()
    {
        var services = new ServiceCollection();
        services.AddVersionKit(NoteHistory.Default);
        var error = Assert.Throws<InvalidOperationException>(() => services.AddVersionKit(new OtherHistory()));
        Assert.Contains("already called with NoteHistory", error.Message, StringComparison.Ordinal);
    }

    private sealed class OtherHistory() : ApiHistory(ApiVersion.Parse("2020-01-01"), System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, [], [], [], []);
}
