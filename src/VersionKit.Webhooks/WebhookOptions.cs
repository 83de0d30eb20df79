namespace VersionKit.Webhooks;

/// <summary>
/// How deliveries are made: the timeout of one attempt, the retry schedule (exponential backoff with jitter, bounded in
/// attempts), how many attempts run at once, and how often the outbox is polled. Checked as the app starts.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>How long one attempt may take, connecting included; a slower endpoint has failed the attempt. 10 s by default.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Attempts of one delivery before it fails and its endpoint is disabled: 16 by default, which with the default delays
    /// spans 1.4 to 2.7 days (the jitter decides), as Stripe retries for up to three.
    /// </summary>
    public int MaxAttempts { get; set; } = 16;

    /// <summary>The wait before the first retry (30 s by default); each further retry waits twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts (12 h by default).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Attempts this process makes at once, over every endpoint (16 by default); also how many bodies it holds in memory.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Attempts this process makes at once to one endpoint (4 by default), so that a slow endpoint cannot take every slot.</summary>
    public int MaxConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>How often the outbox is looked at for due deliveries when nothing woke the worker (1 s by default).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a leased delivery stays with the worker that leased it (1 min by default; longer than <see cref="Timeout"/>):
    /// if its result is not recorded by then (the process died, the database was unreachable), any worker may attempt it again.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The name this process records with its attempts (machine name and process id by default).</summary>
    public string WorkerName { get; set; } = Environment.MachineName + ":" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether this process delivers (true by default); false for an instance that only records events, while others deliver them.</summary>
    public bool Deliver { get; set; } = true;

    // The wait after the attempt-th failed attempt: doubling from FirstRetryDelay, capped at MaxRetryDelay, then "equal
    // jitter" (half the wait fixed, half random), so that deliveries that failed together do not all come back together.
    internal TimeSpan RetryDelay(int attempt, double random)
    {
        double doubled = FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 62));
        double wait = Math.Min(doubled, MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((wait / 2) + (wait / 2 * random));
    }

    internal IEnumerable<string> Problems()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            yield return "Timeout must be positive";
        }

        if (LeaseDuration <= Timeout)
        {
            yield return "LeaseDuration must be longer than Timeout, or an attempt still running could be made again elsewhere";
        }

        if (MaxAttempts < 1)
        {
            yield return "MaxAttempts must be at least 1";
        }

        if (FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
        {
            yield return "FirstRetryDelay must be positive and MaxRetryDelay at least FirstRetryDelay";
        }

        if (MaxConcurrency < 1 || MaxConcurrencyPerEndpoint < 1 || MaxConcurrencyPerEndpoint > MaxConcurrency)
        {
            yield return "MaxConcurrency and MaxConcurrencyPerEndpoint must be at least 1, and MaxConcurrencyPerEndpoint at most MaxConcurrency";
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            yield return "PollInterval must be positive";
        }

        if (string.IsNullOrWhiteSpace(WorkerName))
        {
            yield return "WorkerName must name the process";
        }
    }
}
