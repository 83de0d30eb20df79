using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Payments.Api.Tests;

/// <summary>
/// The sample on real Kestrel, bound to 127.0.0.1 on a free port, with its data and pins in a SQLite file of its own.
/// <see cref="RestartAsync"/> starts a new instance on the same file, as a redeploy would.
/// </summary>
public class PaymentsServer : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("payments-tests-").FullName;
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public WebApplication App => _app!;

    public string Database => "Data Source=" + Path.Combine(_directory, "payments.db");

    /// <summary>Changes the services of every instance this server starts (a fake clock, a failing store).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task InitializeAsync() => await StartAsync();

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartAsync()
    {
        _app = PaymentsApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Logging:LogLevel:Default=Warning", "--Payments:Database=" + Database],
            Configure);
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    private async Task StopAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public static string NewAccount() => "acct_" + Guid.NewGuid().ToString("N")[..12];

    public async Task<(HttpResponseMessage Response, JsonObject Body)> SendAsync(
        string? account, HttpMethod method, string path, object? body = null, string? version = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is HttpContent content)
        {
            request.Content = content;
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Version", version);
        }

        if (account is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_" + account);
        }

        configure?.Invoke(request);
        var response = await Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? [] : (JsonObject)JsonNode.Parse(text)!);
    }

    public async Task<JsonObject> PostAsync(string path, object body, string account, string? version = null, Action<HttpRequestMessage>? configure = null)
    {
        var (response, json) = await SendAsync(account, HttpMethod.Post, path, body, version, configure);
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {json.ToJsonString()}");
        return json;
    }

    public async Task<JsonObject> GetAsync(string path, string account, string? version = null)
    {
        var (response, json) = await SendAsync(account, HttpMethod.Get, path, version: version);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {json.ToJsonString()}");
        return json;
    }

    /// <summary>Creates an account pinned at <paramref name="version"/>, as if it had signed up then.</summary>
    public async Task<string> CreateAccountAsync(string? version = null, string? platform = null)
    {
        string id = NewAccount();
        var (response, json) = await SendAsync(null, HttpMethod.Post, "/v1/test_helpers/accounts", new { id, api_version = version, platform });
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return id;
    }
}
