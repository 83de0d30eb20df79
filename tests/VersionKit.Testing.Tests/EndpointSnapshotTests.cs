using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VersionKit.AspNetCore;

namespace VersionKit.Testing.Tests;

/// <summary>A small card API on real Kestrel at 127.0.0.1, snapshotted over HTTP.</summary>
public sealed class CardApi : IAsyncLifetime
{
    private WebApplication _app = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", "--environment", "Production"]);
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddVersionKit(CardHistory.Default).UseInMemoryPins();
        _app = builder.Build();
        _app.UseVersionKit();

        var api = _app.MapGroup("/v1").WithVersionKit();
        api.MapGet("/cards/{id}", (string id, HttpRequest request) => request.Headers.Authorization.ToString() == "Bearer sk_test_cards"
            ? Results.Ok(new Card { Id = id, Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds() })
            : Results.Problem(statusCode: 401, title: "No valid API key provided."));
        api.MapPost("/cards", (Card card) => new Card { Id = "card_" + Guid.NewGuid().ToString("N"), Brand = card.Brand });
        api.MapGet("/text", () => "not json");
        _app.MapGet("/unversioned/cards/{id}", (string id) => new Card { Id = id });
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}

public class EndpointSnapshotTests(CardApi api) : IClassFixture<CardApi>
{
    private static readonly VersionSnapshots Snapshots = new(CardHistory.Default);

    private static HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_cards");
        return request;
    }

    // The committed file next to this test: the live endpoint at every version, its random id and clock scrubbed.
    [Fact]
    public Task The_card_endpoint_matches_its_verified_snapshot_at_every_version()
        => Snapshots.VerifyEndpointAsync(api.Client, _ => Get("/v1/cards/card_" + Guid.NewGuid().ToString("N")), Snapshots.Settings with { Layout = SnapshotLayout.Combined });

    [Fact]
    public async Task Each_version_gets_its_own_request_and_its_version_header()
    {
        using var folder = new SnapshotFolder();
        var bodies = new List<string>();
        await Snapshots.VerifyEndpointAsync(
            api.Client,
            version =>
            {
                // A request of its own for each version, which may depend on the version.
                bodies.Add(version.ToString());
                return new HttpRequestMessage(HttpMethod.Post, "/v1/cards") { Content = JsonContent.Create(new { brand = "Amex " + version }) };
            },
            Snapshots.Settings with { Directory = folder.Path, FileName = "Post", AcceptReceived = true });

        Assert.Equal(["2019-01-01", "2020-06-01", "2022-03-01"], bodies);
        Assert.Contains("\"type\": \"Amex 2019-01-01\"", File.ReadAllText(folder.PathOf("Post.2019-01-01.verified.json")), StringComparison.Ordinal);
        Assert.Contains("\"brand\": \"Amex 2022-03-01\"", File.ReadAllText(folder.PathOf("Post.2022-03-01.verified.json")), StringComparison.Ordinal);
        Assert.Contains("\"id\": \"Id_1\"", File.ReadAllText(folder.PathOf("Post.2022-03-01.verified.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_s_own_headers_go_with_every_request()
    {
        using var folder = new SnapshotFolder();
        using var client = new HttpClient { BaseAddress = api.Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_cards");
        await Snapshots.VerifyEndpointAsync(client, "/v1/cards/card_1", Snapshots.Settings with { Directory = folder.Path, FileName = "Get", AcceptReceived = true });
        Assert.Equal(3, folder.FileNames().Length);
    }

    [Fact]
    public async Task A_failing_response_names_the_request_the_version_and_the_status()
    {
        using var folder = new SnapshotFolder();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Snapshots.VerifyEndpointAsync(api.Client, "/v1/cards/card_1", In(folder)));
        Assert.StartsWith("GET /v1/cards/card_1 at version 2019-01-01 answered 401 Unauthorized: {", error.Message, StringComparison.Ordinal);
        Assert.Contains("No valid API key provided.", error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public async Task An_unversioned_endpoint_is_refused_rather_than_snapshotted_as_the_latest_shape()
    {
        using var folder = new SnapshotFolder();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Snapshots.VerifyEndpointAsync(api.Client, "/unversioned/cards/card_1", In(folder)));
        Assert.Equal(
            "GET /unversioned/cards/card_1 at version 2019-01-01 answered without a Stripe-Version header: the endpoint is not versioned (WithVersionKit()), "
            + "or the app reads another header than SnapshotSettings.VersionHeader (Stripe-Version).",
            error.Message);
    }

    [Fact]
    public async Task A_response_that_is_not_json_is_refused_with_its_content()
    {
        using var folder = new SnapshotFolder();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Snapshots.VerifyEndpointAsync(api.Client, "/v1/text", In(folder)));
        Assert.StartsWith("GET /v1/text at version 2019-01-01 answered text/plain; charset=utf-8, not JSON (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("): not json", error.Message, StringComparison.Ordinal);
    }

    private static SnapshotSettings In(SnapshotFolder folder) => Snapshots.Settings with { Directory = folder.Path, AcceptReceived = true };
}
