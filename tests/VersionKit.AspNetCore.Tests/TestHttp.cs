using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VersionKit.AspNetCore.Tests;

/// <summary>Test apps on Kestrel: a builder bound to 127.0.0.1 on a free port, a client for its address, and a GET with the headers a test names.</summary>
internal static class TestHttp
{
    public static WebApplicationBuilder NewBuilder()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        return builder;
    }

    public static HttpClient ClientOf(WebApplication app)
        => new() { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

    /// <summary>GETs <paramref name="path"/> with each header whose value is not null (sent as is, unvalidated).</summary>
    public static async Task<(HttpResponseMessage Response, string Body)> GetWithHeadersAsync(this HttpClient client, string path, params (string Name, string? Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }
}
