using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VersionKit.Webhooks;

/// <summary>
/// Delivers the outbox: leases due deliveries (at most <see cref="WebhookOptions.MaxConcurrency"/> at once, at most
/// <see cref="WebhookOptions.MaxConcurrencyPerEndpoint"/> per endpoint), posts each, signed, with a timeout, and records the
/// result: success, a retry at the next step of the schedule, or failure when the schedule is spent. A result it cannot
/// record (the process stops, the database is down) is left to the lease, which runs out and makes the delivery due
/// again: each delivery is made at least once. Meter <c>VersionKit.Webhooks</c>: <c>versionkit.webhook_attempts</c> by
/// <c>outcome</c> (<c>succeeded</c>, <c>retrying</c>, <c>failed</c>).
/// </summary>
internal sealed partial class WebhookDeliveryService : BackgroundService
{
    public const string MeterName = "VersionKit.Webhooks";

    private readonly IWebhookStore _store;
    private readonly WebhookOptions _options;
    private readonly WebhookSignal _wake;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _attempts;
    private readonly HttpClient _http;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _running = [];
    private readonly Channel<WebhookAttemptResult> _ended = Channel.CreateUnbounded<WebhookAttemptResult>(new UnboundedChannelOptions { SingleReader = true });
    private int _inFlightTotal;

    public WebhookDeliveryService(IWebhookStore store, IOptions<WebhookOptions> options, WebhookSignal wake, TimeProvider time, ILoggerFactory loggers, IMeterFactory meters)
    {
        _store = store;
        _options = options.Value;
        _wake = wake;
        _time = time;
        _logger = loggers.CreateLogger("VersionKit.Webhooks");
        _attempts = meters.Create(MeterName).CreateCounter<long>("versionkit.webhook_attempts", "{attempt}", "Webhook delivery attempts by outcome.");
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = _options.Timeout,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("VersionKit-Webhooks", "1.0"));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Deliver)
        {
            return;
        }

        var recorder = Task.Run(RecordAsync, CancellationToken.None);
        bool storeDown = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            int free;
            string[] busy;
            lock (_gate)
            {
                free = _options.MaxConcurrency - _inFlightTotal;
                busy = [.. _inFlight.Keys];
            }

            int leasedCount = 0;
            if (free > 0)
            {
                try
                {
                    var request = new WebhookLeaseRequest(_options.WorkerName, free, _options.MaxConcurrencyPerEndpoint, busy, _time.GetUtcNow(), _options.LeaseDuration);
                    var leased = await _store.LeaseAsync(request, stoppingToken).ConfigureAwait(false);
                    if (storeDown)
                    {
                        storeDown = false;
                        LogStoreBack(_logger);
                    }

                    leasedCount = leased.Count;
                    foreach (var delivery in leased)
                    {
                        Start(delivery, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (WebhookStoreUnavailableException exception)
                {
                    if (!storeDown)
                    {
                        storeDown = true;
                        LogStoreDown(_logger, exception.Message);
                    }
                }
            }

            // More may be due when every free slot was filled; otherwise wait for a slot, a new event or the next poll.
            if (leasedCount == 0 || leasedCount < free)
            {
                try
                {
                    await _wake.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        // The attempts in flight were cancelled with the token: their leases run out and the deliveries are made again.
        // What ended before is still recorded.
        await Task.WhenAll(running).ConfigureAwait(false);
        _ended.Writer.TryComplete();
        await recorder.ConfigureAwait(false);
    }

    private void Start(LeasedDelivery delivery, CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _inFlightTotal++;
            _inFlight[delivery.EndpointId] = _inFlight.GetValueOrDefault(delivery.EndpointId) + 1;
        }

        var task = Task.Run(() => AttemptAsync(delivery, stoppingToken), CancellationToken.None);
        lock (_gate)
        {
            _running.Add(task);
        }

        task.ContinueWith(
            finished =>
            {
                lock (_gate)
                {
                    _running.Remove(finished);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    // A delivery holds its slot until its result is recorded (or given up), so that what waits in memory stays bounded.
    private void Release(LeasedDelivery delivery)
    {
        lock (_gate)
        {
            _inFlightTotal--;
            if (--_inFlight[delivery.EndpointId] == 0)
            {
                _inFlight.Remove(delivery.EndpointId);
            }
        }

        _wake.Set();
    }

    // Records the results of ended attempts in batches: one transaction for all that ended meanwhile.
    private async Task RecordAsync()
    {
        var batch = new List<WebhookAttemptResult>();
        while (await _ended.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 256 && _ended.Reader.TryRead(out var result))
            {
                batch.Add(result);
            }

            try
            {
                var recorded = await _store.CompleteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    Recorded(batch[i], recorded[i]);
                }
            }
            catch (WebhookStoreUnavailableException exception)
            {
                LogNotRecorded(_logger, batch.Count, exception.Message);
            }

            foreach (var result in batch)
            {
                Release(result.Delivery);
            }

            batch.Clear();
        }
    }

    private void Recorded(WebhookAttemptResult result, bool recorded)
    {
        var delivery = result.Delivery;
        if (!recorded)
        {
            LogLeaseLost(_logger, delivery.Id, delivery.EndpointId);
        }
        else if (!result.Succeeded)
        {
            if (result.RetryAt is { } next)
            {
                LogRetrying(_logger, delivery.EventId, delivery.EndpointId, delivery.Attempt, result.Error!, next);
            }
            else
            {
                LogFailed(_logger, delivery.EventId, delivery.EndpointId, delivery.Attempt, result.Error!);
            }
        }
    }

    private async Task AttemptAsync(LeasedDelivery delivery, CancellationToken stoppingToken)
    {
        int? status = null;
        string? error = null;
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            attempt.CancelAfter(_options.Timeout);
            using var content = new ReadOnlyMemoryContent(delivery.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = content };
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(delivery.Secret, _time.GetUtcNow(), delivery.Body.Span));

            // Only the status counts: the response's body is never read.
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"The endpoint answered {status}.";
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Release(delivery);
            return;
        }
        catch (OperationCanceledException)
        {
            error = $"The endpoint did not answer within {_options.Timeout.TotalSeconds:0.###} s.";
        }
        catch (HttpRequestException exception)
        {
            error = "The endpoint could not be reached: " + exception.Message;
        }
        catch (InvalidOperationException exception)
        {
            error = "The request could not be sent: " + exception.Message;
        }

        bool succeeded = error is null;
        var at = _time.GetUtcNow();
        DateTimeOffset? retryAt = succeeded || delivery.Attempt >= _options.MaxAttempts ? null : at + _options.RetryDelay(delivery.Attempt, Random.Shared.NextDouble());
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : retryAt is null ? "failed" : "retrying"));
        _ended.Writer.TryWrite(new WebhookAttemptResult(delivery, succeeded, status, error, at, retryAt, _options.WorkerName));
    }

    [LoggerMessage(1, LogLevel.Warning, "The webhook store cannot be used; deliveries wait until it can: {Reason}")]
    private static partial void LogStoreDown(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information, "The webhook store can be used again; deliveries resume.")]
    private static partial void LogStoreBack(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "Event {EventId} to endpoint {EndpointId}: attempt {Attempt} failed ({Error}); next attempt at {RetryAt:O}.")]
    private static partial void LogRetrying(ILogger logger, string eventId, string endpointId, int attempt, string error, DateTimeOffset retryAt);

    [LoggerMessage(4, LogLevel.Warning, "Event {EventId} to endpoint {EndpointId}: attempt {Attempt}, the last of the schedule, failed ({Error}); the delivery has failed and the endpoint is disabled.")]
    private static partial void LogFailed(ILogger logger, string eventId, string endpointId, int attempt, string error);

    [LoggerMessage(5, LogLevel.Information, "Delivery {DeliveryId} to endpoint {EndpointId}: its lease ran out before the attempt ended; another attempt took over, and this result was dropped.")]
    private static partial void LogLeaseLost(ILogger logger, long deliveryId, string endpointId);

    [LoggerMessage(6, LogLevel.Warning, "The results of {Count} attempts could not be recorded, so those deliveries will be made again when their leases run out: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, int count, string reason);
}
