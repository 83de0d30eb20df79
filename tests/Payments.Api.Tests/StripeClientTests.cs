using System.Net;
using Stripe;

namespace Payments.Api.Tests;

/// <summary>
/// Stripe's own .NET client library pointed at the sample: what it reads of the sample's errors is what a Stripe
/// integration would read. The library pins its own API version; a handler sends one of the sample's instead, except
/// where the test is about that header.
/// </summary>
public sealed class StripeClientTests(PaymentsServer server) : IClassFixture<PaymentsServer>
{
    internal sealed class VersionHandler(string? version) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (version is not null)
            {
                request.Headers.Remove("Stripe-Version");
                request.Headers.Add("Stripe-Version", version);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private StripeClient Client(string apiKey, string? version = "2024-09-30.acacia")
        => new(apiKey, httpClient: new SystemNetHttpClient(new HttpClient(new VersionHandler(version))), apiBase: server.Client.BaseAddress!.ToString().TrimEnd('/'));

    private static string Key(string account) => "sk_test_" + account;

    [Fact]
    public async Task A_customer_made_through_the_library_reads_back()
    {
        string account = await server.CreateAccountAsync();
        var customer = await new CustomerService(Client(Key(account))).CreateAsync(new CustomerCreateOptions { Email = "jenny@example.com", Name = "Jenny" });
        Assert.StartsWith("cus_", customer.Id, StringComparison.Ordinal);
        Assert.Equal("jenny@example.com", customer.Email);
    }

    [Fact]
    public async Task A_missing_parameter_is_a_StripeException_with_type_code_and_param()
    {
        string account = await server.CreateAccountAsync();
        var error = await Assert.ThrowsAsync<StripeException>(() => new CustomerService(Client(Key(account))).CreateAsync(new CustomerCreateOptions { Name = "Jenny" }));
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.Equal("parameter_missing", error.StripeError.Code);
        Assert.Equal("email", error.StripeError.Param);
        Assert.Contains("email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_object_is_resource_missing()
    {
        string account = await server.CreateAccountAsync();
        var error = await Assert.ThrowsAsync<StripeException>(() => new ChargeService(Client(Key(account))).GetAsync("ch_missing"));
        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        Assert.Equal("resource_missing", error.StripeError.Code);
    }

    [Fact]
    public async Task A_bad_key_is_a_401_the_library_reads()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => new CustomerService(Client("sk_live_not-a-test-key")).GetAsync("cus_1"));
        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatusCode);
        Assert.Equal("api_key_invalid", error.StripeError.Code);
        Assert.Contains("API key", error.StripeError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_librarys_own_pinned_version_is_refused_in_words_the_library_reads()
    {
        string account = await server.CreateAccountAsync();
        var error = await Assert.ThrowsAsync<StripeException>(() => new CustomerService(Client(Key(account), version: null)).GetAsync("cus_1"));
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("api_version_invalid", error.StripeError.Code);
        Assert.Contains(StripeConfiguration.ApiVersion, error.StripeError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reused_idempotency_key_with_other_parameters_is_an_idempotency_error()
    {
        string account = await server.CreateAccountAsync();
        var charges = new ChargeService(Client(Key(account)));
        var options = new RequestOptions { IdempotencyKey = "order-6735" };
        var first = await charges.CreateAsync(new ChargeCreateOptions { Amount = 100, Currency = "usd" }, options);
        var again = await charges.CreateAsync(new ChargeCreateOptions { Amount = 100, Currency = "usd" }, options);
        Assert.Equal(first.Id, again.Id);

        var error = await Assert.ThrowsAsync<StripeException>(() => charges.CreateAsync(new ChargeCreateOptions { Amount = 200, Currency = "usd" }, options));
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("idempotency_error", error.StripeError.Type);
    }
}
