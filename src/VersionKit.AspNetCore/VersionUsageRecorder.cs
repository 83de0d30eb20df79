using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VersionKit.Pins;

namespace VersionKit.AspNetCore;

/// <summary>
/// Counts, in memory, the requests of each account at each version, and writes them to the pin store in one batch per
/// <see cref="PinOptions.UsageFlushInterval"/>: a request only adds to a counter, and a store that is slow or down delays
/// the counts, never a call. What a failed write held is added to the next batch.
/// </summary>
internal sealed partial class VersionUsageRecorder
{
    private readonly IApiVersionUsageStore? _store;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string AccountId, ApiVersion Version), (long Requests, DateTimeOffset LastSeen)> _pending = new();

    public VersionUsageRecorder(IServiceProvider services, TimeProvider clock, ILogger<VersionUsageRecorder> logger)
    {
        // The store a builder chose, if it keeps usage: a store of the app's own may not.
        _store = services.GetService(typeof(IApiVersionPinStore)) as IApiVersionUsageStore;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Whether usage is recorded: the pin store keeps it.</summary>
    public bool IsRecording => _store is not null;

    /// <summary>Counts one request of <paramref name="accountId"/> at <paramref name="version"/>.</summary>
    public void Record(string accountId, ApiVersion version)
    {
        if (_store is null)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        _pending.AddOrUpdate((accountId, version), static (_, now) => (1, now), static (_, counted, now) => (counted.Requests + 1, counted.LastSeen > now ? counted.LastSeen : now), now);
    }

    /// <summary>Writes what was counted since the last write, in one batch; on failure keeps it for the next.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_store is null || _pending.IsEmpty)
        {
            return;
        }

        // Each key taken out alone: a request counted meanwhile starts a new entry, for the next batch.
        var batch = new List<ApiVersionUsage>();
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var counted))
            {
                batch.Add(new ApiVersionUsage(key.AccountId, key.Version, counted.LastSeen, counted.Requests));
            }
        }

        try
        {
            await _store.RecordUsageAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            // Any failure of any store: a background write that threw would stop the app.
            foreach (var usage in batch)
            {
                _pending.AddOrUpdate(
                    (usage.AccountId, usage.Version),
                    static (_, usage) => (usage.Requests, usage.LastSeen),
                    static (_, counted, usage) => (counted.Requests + usage.Requests, counted.LastSeen > usage.LastSeen ? counted.LastSeen : usage.LastSeen),
                    usage);
            }

            LogFlushFailed(_logger, exception, batch.Count);
            if (exception is OperationCanceledException)
            {
                throw;
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The usage of {Count} account and version pairs could not be written; it is kept for the next write")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}

/// <summary>Writes the recorder's counts every <see cref="PinOptions.UsageFlushInterval"/>, and what is left when the app stops.</summary>
internal sealed class VersionUsageFlusher(VersionUsageRecorder recorder, TimeProvider clock, IOptions<VersionKitOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!recorder.IsRecording)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.Pins.UsageFlushInterval, clock, stoppingToken).ConfigureAwait(false);
                await recorder.FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last write is StopAsync's.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await recorder.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout passed: what is left is lost with the instance, as a crash would lose it.
        }
    }
}
