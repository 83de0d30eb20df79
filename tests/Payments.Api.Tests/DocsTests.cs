using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VersionKit;
using VersionKit.AspNetCore;

namespace Payments.Api.Tests;

/// <summary>The sample's docs pages and per-version OpenAPI documents over real HTTP.</summary>
public sealed class DocsTests(PaymentsServer server) : IClassFixture<PaymentsServer>
{
    private const string Latest = "2024-10-28.acacia";

    private async Task<JsonObject> OpenApiAsync(string version)
    {
        var response = await server.Client.GetAsync($"/openapi/{version}.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static string[] Properties(JsonObject document, string schema)
        => [.. document["components"]!["schemas"]![schema]!["properties"]!.AsObject().Select(p => p.Key)];

    [Fact]
    public async Task In_2011_a_charge_has_card_and_a_bank_account_verified()
    {
        var document = await OpenApiAsync("2011-08-01");

        Assert.Equal("2011-08-01", (string?)document["info"]!["version"]);
        string[] charge = Properties(document, "Charge");
        Assert.Contains("card", charge);
        Assert.DoesNotContain("source", charge);
        Assert.DoesNotContain("status", charge);
        Assert.DoesNotContain("amount_refunded", charge);
        string[] bankAccount = Properties(document, "BankAccount");
        Assert.Contains("verified", bankAccount);
        Assert.DoesNotContain("status", bankAccount);
        Assert.Contains("name", bankAccount);
        Assert.Contains("account_balance", Properties(document, "Customer"));
        Assert.Equal("string", (string?)document["components"]!["schemas"]!["Event"]!["properties"]!["request"]!["type"]);
    }

    [Fact]
    public async Task In_2011_removed_fields_have_the_type_of_the_value_they_get_back()
    {
        var schemas = (await OpenApiAsync("2011-08-01"))["components"]!["schemas"]!;

        // A typed computation (BankAccountStatus.Verified returns bool) and a constant (TransferType's "bank_account").
        var verified = schemas["BankAccount"]!["properties"]!["verified"]!;
        Assert.Equal("boolean", (string?)verified["type"]);
        Assert.Contains("until API version 2014-05-19 removed it", (string?)verified["description"], StringComparison.Ordinal);
        var type = schemas["Transfer"]!["properties"]!["type"]!;
        Assert.Equal("string", (string?)type["type"]);
        Assert.Contains("Always \"bank_account\"", (string?)type["description"], StringComparison.Ordinal);

        // A value added later is documented as what this version gets in its place.
        var status = (await OpenApiAsync("2014-05-19"))["components"]!["schemas"]!["BankAccount"]!["properties"]!["status"]!;
        Assert.Contains("added the value 'errored'; this version gets 'verification_failed'", (string?)status["description"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2014-05-19", "BankAccount", "status", "verified")]
    [InlineData("2014-08-04", "Charge", "source", "card")]
    [InlineData("2013-02-13", "Customer", "balance", "account_balance")]
    [InlineData(Latest, "BankAccount", "account_holder_name", "name")]
    public async Task From_its_version_on_a_field_has_its_new_name(string version, string schema, string present, string gone)
    {
        string[] properties = Properties(await OpenApiAsync(version), schema);

        Assert.Contains(present, properties);
        Assert.DoesNotContain(gone, properties);
    }

    // The newest version is the preview, on top of the latest stable release: its document has the C# shapes.
    [Fact]
    public async Task The_newest_document_has_the_current_shapes()
    {
        var history = PaymentsApiHistory.Default;
        var document = await OpenApiAsync(history.Versions[^1].ToString());

        foreach (var resource in history.Resources.Where(r => r.ObjectName != "error"))
        {
            Assert.Equal(resource.CurrentFields, Properties(document, resource.ResourceType!.Name));
        }
    }

    [Fact]
    public async Task Every_version_has_a_document_whose_resources_have_that_versions_fields()
    {
        var history = PaymentsApiHistory.Default;
        foreach (var version in history.Versions)
        {
            var document = await OpenApiAsync(version.ToString());
            foreach (var resource in history.Resources.Where(r => r.ObjectName != "error"))
            {
                Assert.Equal(history.GetFields(resource.ObjectName, version), Properties(document, resource.ResourceType!.Name));
            }
        }
    }

    [Fact]
    public async Task The_versioned_operations_document_the_stripe_version_header()
    {
        var document = await OpenApiAsync("2016-02-03");

        var parameters = document["paths"]!["/v1/charges/{id}"]!["get"]!["parameters"]!.AsArray();
        var header = parameters.Single(p => (string?)p!["name"] == "Stripe-Version")!;
        Assert.Equal("header", (string?)header["in"]);
        Assert.Equal(PaymentsApiHistory.Default.Versions.Select(v => v.ToString()), header["schema"]!["enum"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public async Task The_changelog_json_is_what_the_build_embedded_with_the_apps_endpoint_changes()
    {
        var response = await server.Client.GetAsync("/docs/changelog.json");
        string json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var endpoints = server.App.Services.GetRequiredService<ApiEndpointChanges>().Changes;
        Assert.NotEmpty(endpoints);
        Assert.Equal(ApiChangelog.From(PaymentsApiHistory.Default).WithEndpointChanges(endpoints).ToJson(), json);
        var embedded = typeof(PaymentsApiHistory).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == ApiChangelog.AssemblyMetadataKey);
        Assert.Equal(ApiChangelog.FromJson(embedded.Value!).WithEndpointChanges(endpoints).ToJson(), json);
    }

    [Fact]
    public async Task A_pinned_account_reads_what_changed_since_its_version()
    {
        string account = await server.CreateAccountAsync("2014-05-19");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/docs/upgrade");
        request.Headers.Authorization = new("Bearer", "sk_test_" + account);

        var response = await server.Client.SendAsync(request);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($">Upgrading from 2014-05-19 to {Latest}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("changes since your version, 2014-05-19", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"changes-with-side-effects\">Changes with side effects</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Transfers move money to a connected account (<code>acct_...</code>) and are <code>paid</code> at once", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Charges have a <code>status</code>", html, StringComparison.Ordinal);
    }

    // A preview is newer than every stable release: its caller has nothing to upgrade to, which is no bad request.
    [Fact]
    public async Task A_caller_at_the_preview_reads_that_there_is_nothing_to_upgrade_to()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/docs/upgrade");
        request.Headers.Add("Stripe-Version", "2026-11-15.preview");

        var response = await server.Client.SendAsync(request);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your version: 2026-11-15.preview", html, StringComparison.Ordinal);
        Assert.Contains($"Your version, 2026-11-15.preview, is a preview, newer than {Latest}: there is nothing to upgrade to.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_date_in_the_query_finds_its_named_release()
    {
        string html = await server.Client.GetStringAsync("/docs/upgrade?from=2020-08-27&to=2024-09-30");

        Assert.Contains($">Upgrading from 2020-08-27 to {PaymentsApiHistory.Version.Acacia}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("A bank account's <code>name</code> is now <code>account_holder_name</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_version_in_the_query_gets_a_400_page()
    {
        var response = await server.Client.GetAsync("/docs/upgrade?from=2014-08-04&to=2013-01-01");
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The &#39;to&#39; version is not valid. &#39;2013-01-01&#39; is not a version of this API.", html, StringComparison.Ordinal);
    }
}
