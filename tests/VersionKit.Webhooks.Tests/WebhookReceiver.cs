using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VersionKit.Webhooks.Tests;

/// <summary>One request a <see cref="WebhookReceiver"/> got: where, when, its signature header and its body as sent.</summary>
public sealed record ReceivedWebhook(string Path, string? Signature, string Body, DateTimeOffset At);

/// <summary>
/// A webhook receiver on real Kestrel at 127.0.0.1: records every request, answers what <see cref="Respond"/> says (200 by
/// default), counts how many requests it holds at once (in all and per path), and can be stopped and started again on the
/// same port, as a receiver that goes down and comes back.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();
    private WebApplication? _app;
    private int _inFlightTotal;
    private int _maxInFlightTotal;

    private WebhookReceiver()
    {
    }

    /// <summary>What to answer a request: a status, after as long as the function takes (200 when it is not set).</summary>
    public Func<ReceivedWebhook, CancellationToken, Task<int>>? Respond { get; set; }

    public int Port { get; private set; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int MaxInFlight => _maxInFlightTotal;

    public int MaxInFlightOn(string path) => _maxInFlight.GetValueOrDefault(path);

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public IReadOnlyList<ReceivedWebhook> On(string path) => [.. Received.Where(r => r.Path == path)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAgainAsync();
        return receiver;
    }

    /// <summary>Starts it (again), on a free port the first time and on the same port afterwards.</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var app = builder.Build();
        app.MapPost("/{**path}", HandleAsync);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        _app = app;
    }

    /// <summary>Stops it: connections are refused until it starts again.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds of what arrived, or <paramref name="timeout"/> passes; says which.</summary>
    public async Task<bool> WaitUntilAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done([.. Received]))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path;
        using var reader = new StreamReader(context.Request.Body);
        var received = new ReceivedWebhook(path, context.Request.Headers["Stripe-Signature"].FirstOrDefault(), await reader.ReadToEndAsync(context.RequestAborted), DateTimeOffset.UtcNow);
        Received.Enqueue(received);
        int total = Interlocked.Increment(ref _inFlightTotal);
        int onPath = _inFlight.AddOrUpdate(path, 1, (_, n) => n + 1);
        Max(ref _maxInFlightTotal, total);
        _maxInFlight.AddOrUpdate(path, onPath, (_, n) => Math.Max(n, onPath));
        try
        {
            context.Response.StatusCode = Respond is { } respond ? await respond(received, context.RequestAborted) : (int)HttpStatusCode.OK;
        }
        catch (OperationCanceledException)
        {
            // The sender gave up (its timeout): nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlightTotal);
            _inFlight.AddOrUpdate(path, 0, (_, n) => n - 1);
        }
    }

    private static void Max(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
