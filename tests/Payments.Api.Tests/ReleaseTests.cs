using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VersionKit;
using VersionKit.AspNetCore;
using VersionKit.Pins;

namespace Payments.Api.Tests;

/// <summary>The sample writes usage every 100 ms, so that the versions page shows a call within the test.</summary>
public sealed class QuickUsagePaymentsServer : PaymentsServer
{
    protected override void Configure(WebApplicationBuilder builder)
        => builder.Services.Configure<VersionKitOptions>(o => o.Pins.UsageFlushInterval = TimeSpan.FromMilliseconds(100));
}

/// <summary>
/// The sample's releases over HTTP: the preview served only by name and never pinned (fifty first requests at once
/// included), the monthly release rendered as its major, and who calls each release on /docs/versions.
/// </summary>
public class ReleaseTests(QuickUsagePaymentsServer server) : IClassFixture<QuickUsagePaymentsServer>
{
    private static readonly string Preview = PaymentsApiHistory.Version.V2026_11_15_Preview.ToString();
    private static readonly string Monthly = PaymentsApiHistory.Version.V2024_10_28_Acacia.ToString();

    private IApiVersionPinStore Pins => server.App.Services.GetRequiredService<IApiVersionPinStore>();

    private async Task<string> CreateCustomerAsync(string account)
        => (string)(await server.PostAsync("/v1/customers", new { email = "jenny.rosen@example.com", name = "Jenny Rosen" }, account))["id"]!;

    [Fact]
    public async Task A_preview_is_served_to_a_caller_that_names_it_on_top_of_the_latest_stable_release()
    {
        string account = await server.CreateAccountAsync();
        string customer = await CreateCustomerAsync(account);

        var (response, preview) = await server.SendAsync(account, HttpMethod.Get, "/v1/customers/" + customer, version: Preview);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Preview, response.Headers.GetValues("Stripe-Version").Single());
        Assert.Empty(preview["preferred_locales"]!.AsArray());

        var (pinned, latest) = await server.SendAsync(account, HttpMethod.Get, "/v1/customers/" + customer);
        Assert.Equal(Monthly, pinned.Headers.GetValues("Stripe-Version").Single());
        preview.Remove("preferred_locales");
        Assert.Equal(preview.ToJsonString(), latest.ToJsonString());
    }

    [Fact]
    public async Task A_preview_asked_for_by_its_date_alone_is_refused_with_the_name_to_send()
    {
        var (response, body) = await server.SendAsync(await server.CreateAccountAsync(), HttpMethod.Get, "/v1/events", version: "2026-11-15");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a preview is served only to callers that name it: send '2026-11-15.preview'", (string?)body["error"]!["message"], StringComparison.Ordinal);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task Fifty_concurrent_first_requests_that_name_the_preview_pin_the_account_once_to_the_latest_stable_release()
    {
        string account = PaymentsServer.NewAccount();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => server.SendAsync(account, HttpMethod.Get, "/v1/events", version: Preview)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.All(responses, r => Assert.Equal(Preview, r.Response.Headers.GetValues("Stripe-Version").Single()));
        var change = Assert.Single(await Pins.GetChangesAsync(account));
        Assert.Equal((PinChangeReason.FirstRequest, PaymentsApiHistory.Version.V2024_10_28_Acacia), (change.Reason, change.To));
        var (unnamed, _) = await server.SendAsync(account, HttpMethod.Get, "/v1/events");
        Assert.Equal(Monthly, unnamed.Headers.GetValues("Stripe-Version").Single());
    }

    [Fact]
    public async Task An_account_cannot_be_pinned_to_a_preview_and_is_told_why()
    {
        string account = await server.CreateAccountAsync("2020-08-27");
        var (refused, problem) = await server.SendAsync(account, HttpMethod.Post, "/v1/account/api_version", new { api_version = Preview });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("2026-11-15.preview is a preview: it is served only to calls that name it in the version header, and an account cannot be pinned to it. Pin a stable release; the latest is 2024-10-28.acacia.", (string?)problem["error"]!["message"]);
        Assert.Equal(PaymentsApiHistory.Version.V2020_08_27, (await Pins.FindAsync(account))!.Version);

        var (created, createProblem) = await server.SendAsync(null, HttpMethod.Post, "/v1/test_helpers/accounts", new { id = PaymentsServer.NewAccount(), api_version = Preview });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("an account cannot be pinned to it", (string?)createProblem["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_monthly_release_renders_every_resource_as_its_major()
    {
        var monthly = Directory.GetFiles(SnapshotsFolder(), "*.2024-10-28.acacia.verified.json");

        Assert.Equal(8, monthly.Length);
        // The same bodies, but for an event's `api_version`, which names the version it is rendered at.
        Assert.All(monthly, file => Assert.Equal(
            WithoutEventVersions(File.ReadAllText(file.Replace("2024-10-28.acacia", "2024-09-30.acacia", StringComparison.Ordinal))),
            WithoutEventVersions(File.ReadAllText(file))));
    }

    private static string WithoutEventVersions(string json)
    {
        var root = JsonNode.Parse(json)!;
        foreach (var node in Descendants(root).OfType<JsonObject>().Where(o => o["object"] is JsonValue name && name.TryGetValue<string>(out var kind) && kind == "event").ToList())
        {
            node.Remove("api_version");
        }

        return root.ToJsonString();

        static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
        {
            JsonObject o => [o, .. o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants)],
            JsonArray a => [a, .. a.OfType<JsonNode>().SelectMany(Descendants)],
            _ => [node],
        };
    }

    [Fact]
    public async Task Who_calls_each_release_is_on_the_versions_page_and_in_its_json()
    {
        string account = await server.CreateAccountAsync("2014-05-19");
        await server.GetAsync("/v1/events", account);
        await server.GetAsync("/v1/events", account, Preview);
        await server.GetAsync("/v1/events", account, Preview);

        JsonObject versions = [];
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(100))
        {
            versions = JsonNode.Parse(await server.Client.GetStringAsync("/docs/versions.json"))!.AsObject();
            if (Release(versions, Preview)["accounts"]!.AsArray().Any(a => (string?)a!["account"] == account))
            {
                break;
            }
        }

        Assert.Equal(PaymentsApiHistory.Default.Versions.Reverse().Select(v => v.ToString()), versions["releases"]!.AsArray().Select(r => (string?)r!["version"]));
        Assert.Equal(("preview", "supported"), Kind(Release(versions, Preview)));
        Assert.Equal(("monthly", "supported"), Kind(Release(versions, Monthly)));
        Assert.Equal(("major", "supported"), Kind(Release(versions, "2024-09-30.acacia")));
        Assert.Equal(("major", "sunset"), Kind(Release(versions, "2011-08-01")));
        Assert.All(versions["releases"]!.AsArray(), r => Assert.True(r!.AsObject().ContainsKey("accounts_pinned") && r.AsObject().ContainsKey("last_seen")));

        var old = Release(versions, "2014-05-19");
        Assert.True((long)old["accounts_pinned"]! >= 1);
        Assert.NotNull((string?)old["last_seen"]);
        var caller = Assert.Single(Release(versions, Preview)["accounts"]!.AsArray(), a => (string?)a!["account"] == account)!;
        Assert.Equal(2, (long)caller["requests"]!);
        Assert.Equal(0, (long)Release(versions, Preview)["accounts_pinned"]!);

        string html = await server.Client.GetStringAsync("/docs/versions");
        Assert.Contains("<h1 id=\"api-versions\">API versions</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<td><code>2026-11-15.preview</code></td>\n<td>preview</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<code>{account}</code>", html, StringComparison.Ordinal);
    }

    private static JsonObject Release(JsonObject versions, string version)
        => versions["releases"]!.AsArray().Single(r => (string?)r!["version"] == version)!.AsObject();

    private static (string?, string?) Kind(JsonObject release) => ((string?)release["kind"], (string?)release["status"]);

    private static string SnapshotsFolder([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");
}
