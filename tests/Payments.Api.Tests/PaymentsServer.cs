using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api;

namespace Payments.Api.Tests;

/// <summary>The sample on real Kestrel, bound to 127.0.0.1 on a free port, for the tests of one class.</summary>
public sealed class PaymentsServer : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = PaymentsApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public async Task<(HttpResponseMessage Response, JsonObject Body)> SendAsync(HttpMethod method, string path, object? body = null, string? version = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Version", version);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_ignored");
        configure?.Invoke(request);
        var response = await Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response, (JsonObject)JsonNode.Parse(text)!);
    }

    public async Task<JsonObject> PostAsync(string path, object body, string? version = null, Action<HttpRequestMessage>? configure = null)
    {
        var (response, json) = await SendAsync(HttpMethod.Post, path, body, version, configure);
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {json.ToJsonString()}");
        return json;
    }

    public async Task<JsonObject> GetAsync(string path, string? version = null)
    {
        var (response, json) = await SendAsync(HttpMethod.Get, path, version: version);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {json.ToJsonString()}");
        return json;
    }
}
