namespace VersionKit.Webhooks;

// Wakes this process's delivery worker: an event with deliveries was recorded here, or an attempt finished and freed a slot.
// Other processes find the deliveries when they next poll.
internal sealed class WebhookSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: one wake-up covers every reason.
        }
        catch (ObjectDisposedException)
        {
            // The app is stopping.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
