using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VersionKit;
using VersionKit.Testing;

namespace Payments.Api.Tests;

/// <summary>
/// Every resource of the sample at every version, as callers get it over HTTP, against the reviewed files in Snapshots/
/// (one per version). A change that breaks an old version shows as a diff in that version's file; after a deliberate
/// change, rerun with VERSIONKIT_ACCEPT_SNAPSHOTS=1 and review the diff of the files.
/// </summary>
public class ResourceSnapshotTests(PaymentsServer server) : IClassFixture<PaymentsServer>
{
    private static readonly VersionSnapshots Snapshots = new(PaymentsApiHistory.Default)
    {
        Settings = SnapshotSettings.Default with { Directory = "Snapshots" },
    };

    private static readonly ApiVersion LegacyTransfersEnd = PaymentsApiHistory.Version.V2017_04_06;

    // Ids long enough that the id scrubber always recognises them, as it does the sample's own.
    private async Task<string> CreateAccountAsync(string? platform = null, ApiVersion? version = null)
    {
        string id = "acct_" + Guid.NewGuid().ToString("N")[..16];
        var (response, json) = await server.SendAsync(null, HttpMethod.Post, "/v1/test_helpers/accounts", new { id, platform, api_version = version?.ToString() });
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return id;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string account, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_" + account);
        return request;
    }

    private Task VerifyGetAsync(string path, string account, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
        => Snapshots.VerifyEndpointAsync(server.Client, _ => Request(HttpMethod.Get, path, account), Snapshots.Settings with { FileName = "ResourceSnapshotTests." + test });

    private async Task<string> CreateCustomerAsync(string account)
        => (string)(await server.PostAsync("/v1/customers", new { email = "jenny.rosen@example.com", name = "Jenny Rosen" }, account))["id"]!;

    // Test numbers, as Stripe's: one ending in 0000 is verified at once, one ending in 1116 has errored.
    private async Task<string> CreateBankAccountAsync(string account, string customer, string accountNumber)
        => (string)(await server.PostAsync($"/v1/customers/{customer}/bank_accounts", new
        {
            country = "US",
            currency = "usd",
            account_holder_name = "Jenny Rosen",
            account_number = accountNumber,
            routing_number = "110000000",
        }, account))["id"]!;

    // Pinned to a release of its own, so that a new latest release does not change the account's snapshot at every version.
    [Fact]
    public async Task Account()
        => await VerifyGetAsync("/v1/account", await CreateAccountAsync(version: PaymentsApiHistory.Version.Acacia));

    [Fact]
    public async Task Customer()
    {
        string account = await CreateAccountAsync();
        await VerifyGetAsync($"/v1/customers/{await CreateCustomerAsync(account)}", account);
    }

    [Fact]
    public async Task Bank_account()
    {
        string account = await CreateAccountAsync();
        string customer = await CreateCustomerAsync(account);
        string bankAccount = await CreateBankAccountAsync(account, customer, "000123451116");
        await VerifyGetAsync($"/v1/customers/{customer}/bank_accounts/{bankAccount}", account);
    }

    [Fact]
    public async Task Charge()
    {
        string account = await CreateAccountAsync();
        var charge = await server.PostAsync("/v1/charges", new
        {
            amount = 2000,
            currency = "usd",
            customer = await CreateCustomerAsync(account),
            source = "tok_visa",
            receipt_email = "jenny.rosen@example.com",
        }, account);
        await VerifyGetAsync($"/v1/charges/{charge["id"]}", account);
    }

    [Fact]
    public async Task Events_list_with_a_charge_event()
    {
        string account = await CreateAccountAsync();
        await server.PostAsync("/v1/charges", new { amount = 1500, currency = "eur", source = "tok_visa" }, account,
            configure: r => r.Headers.Add("Idempotency-Key", "key-" + Guid.NewGuid()));

        // The parameter by its name at each version: `count` before 2013-08-12.
        await Snapshots.VerifyEndpointAsync(
            server.Client,
            version => Request(HttpMethod.Get, $"/v1/events?{PaymentsApiHistory.Default.GetRequestFieldName(typeof(ListEvents), "limit", version)}=1", account),
            Snapshots.Settings with { FileName = "ResourceSnapshotTests.Events_list_with_a_charge_event" });
    }

    // The change with side effects: before 2017-04-06 a transfer goes to a bank account and starts pending.
    [Fact]
    public async Task Transfer_created_at_each_version()
    {
        string account = await CreateAccountAsync();
        string customer = await CreateCustomerAsync(account);
        string bankAccount = await CreateBankAccountAsync(account, customer, "000123450000");
        string connected = await CreateAccountAsync(platform: account);

        await Snapshots.VerifyEndpointAsync(server.Client, version => Request(HttpMethod.Post, "/v1/transfers", account, new
        {
            amount = 1000,
            currency = "usd",
            destination = version < LegacyTransfersEnd ? bankAccount : connected,
        }));
    }

    // Endpoints of some versions only: each is held at the versions that have it (the others get 404 or 410).
    [Fact]
    public async Task Balance()
    {
        string account = await CreateAccountAsync();
        await server.PostAsync("/v1/charges", new { amount = 2000, currency = "usd" }, account);
        await Snapshots.VerifyEndpointAsync(server.Client, _ => Request(HttpMethod.Get, "/v1/balance", account), Snapshots.Settings with
        {
            FileName = "ResourceSnapshotTests.Balance",
            Versions = [.. PaymentsApiHistory.Default.Versions.Where(v => v >= ApiVersion.Parse("2016-07-06"))],
        });
    }

    [Fact]
    public async Task Recipient_list()
    {
        string account = await CreateAccountAsync();
        await server.PostAsync("/v1/recipients", new { name = "Jenny Rosen", type = "individual", email = "jenny.rosen@example.com" }, account, "2016-07-06");
        await Snapshots.VerifyEndpointAsync(server.Client, _ => Request(HttpMethod.Get, "/v1/recipients", account), Snapshots.Settings with
        {
            FileName = "ResourceSnapshotTests.Recipient_list",
            Versions = [.. PaymentsApiHistory.Default.Versions.Where(v => v < LegacyTransfersEnd)],
        });
    }

    // Errors are resources too, in Stripe's envelope; rendered here by the app's own renderer, as its handlers' errors are.
    [Fact]
    public void Error()
        => new VersionSnapshots(server.App.Services.GetRequiredService<ApiRenderer>()) { Settings = Snapshots.Settings }.Verify(new ErrorResponse
        {
            Error = new ApiError
            {
                Type = "invalid_request_error",
                Code = "parameter_invalid",
                Message = "amount must be a positive integer in the smallest currency unit.",
                Param = "amount",
            },
        });
}
