using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace VersionKit.Docs.Tests;

/// <summary>
/// An internal change over HTTP: it applies to responses and to the documents' schemas, but no public document names it:
/// not the changelog page or its JSON, not the upgrade guide, not an OpenAPI description.
/// </summary>
public sealed class InternalChangeTests : IAsyncLifetime
{
    private const string Source = """
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using VersionKit;

        namespace Tickets;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class TicketHistory;

        [ApiResource("ticket")]
        public sealed class Ticket
        {
            public string Id { get; init; } = "tkt_1";

            public string Object => "ticket";

            public string Status { get; init; } = "escalated";

            public string Queue { get; init; } = "triage";
        }

        [VersionChange("2021-01-01", "Tickets can be `escalated`; older versions see `open`.")]
        [EnumValueAdded(typeof(Ticket), "status", "escalated", "open")]
        public sealed class EscalatedTickets;

        [VersionChange("2022-01-01", "Internal: the support tool's queue `triage` was `inbox`, and `routing_hint` is gone.", Internal = true)]
        [EnumValueAdded(typeof(Ticket), "queue", "triage", "inbox")]
        [FieldRemoved(typeof(Ticket), "routing_hint", Value = "none")]
        public sealed class SupportToolQueues;

        public static class TicketApp
        {
            public static WebApplication Build(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
                builder.Services.AddVersionKit(TicketHistory.Default).UseInMemoryPins().AddOpenApi().AddDocs();
                var app = builder.Build();
                app.UseVersionKit();
                app.MapGroup("/v1").WithVersionKit().MapGet("/tickets/{id}", (string id) => new Ticket { Id = id });
                app.MapVersionKitOpenApi();
                app.MapVersionKitDocs();
                return app;
            }
        }
        """;

    private static readonly Lazy<Assembly> Tickets = new(() => ReadmeTests.Compile("TicketsExample", Source, "Tickets.cs"));

    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = (WebApplication)Tickets.Value.GetType("Tickets.TicketApp")!.GetMethod("Build")!.Invoke(null, [new[] { "--urls", "http://127.0.0.1:0" }])!;
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<string> GetAsync(string path, string? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (version is not null)
        {
            request.Headers.Add("Stripe-Version", version);
        }

        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_internal_change_applies_to_responses()
        => Assert.Equal("""{"id":"tkt_1","object":"ticket","status":"open","queue":"inbox","routing_hint":"none"}""", await GetAsync("/v1/tickets/tkt_1", "2020-01-01"));

    [Theory]
    [InlineData("/docs/changelog")]
    [InlineData("/docs/changelog.json")]
    [InlineData("/docs/upgrade?from=2020-01-01")]
    [InlineData("/openapi/2020-01-01.json")]
    [InlineData("/openapi/2021-01-01.json")]
    public async Task No_public_document_names_the_internal_change(string path)
    {
        string document = await GetAsync(path);

        Assert.DoesNotContain("Internal:", document, StringComparison.Ordinal);
        Assert.DoesNotContain("SupportToolQueues", document, StringComparison.Ordinal);
        Assert.DoesNotContain("added the value 'triage'", document, StringComparison.Ordinal);
        Assert.DoesNotContain("2022-01-01 removed it", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documents_still_have_the_internal_changes_shape_and_name_the_public_change()
    {
        string old = await GetAsync("/openapi/2020-01-01.json");

        Assert.Contains("\"routing_hint\"", old, StringComparison.Ordinal);
        Assert.Contains("API version 2021-01-01 added the value 'escalated'", old, StringComparison.Ordinal);
        Assert.Contains("Returned by this version.", old, StringComparison.Ordinal);
    }
}
