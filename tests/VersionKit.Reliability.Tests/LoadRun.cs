using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace VersionKit.Reliability.Tests;

/// <summary>One thing the load asks for: an account's read of <see cref="Path"/>, and the body its pinned version must get.</summary>
public sealed record LoadTarget(string Account, ApiVersion Version, string Path, string ExpectedBody);

/// <summary>What a load run saw.</summary>
public sealed record LoadResult(int Requests, int Served, int Unavailable, IReadOnlyList<string> Mismatches, IReadOnlyList<string> Errors, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return 0;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"{Requests} requests in {Elapsed.TotalSeconds:0.0} s ({Requests / Elapsed.TotalSeconds:0} req/s): {Served} served, {Unavailable} 503, {Mismatches.Count} mismatches, {Errors.Count} errors; latency p50 {Percentile(50):0.00} ms, p99 {Percentile(99):0.00} ms, max {Percentile(100):0.00} ms");
}

/// <summary>
/// A bounded load run on 127.0.0.1: <c>workers</c> concurrent callers send GETs round-robin over the targets and the
/// instances until <c>maxRequests</c> are sent or <c>maxDuration</c> has passed, whichever comes first. Every answer is
/// checked: a <c>200</c> must carry the target's version in <c>Stripe-Version</c> and exactly its expected body; a
/// <c>503</c> (allowed only where the caller says so) must carry <c>Retry-After</c> and no version; anything else is an error.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadResult> RunAsync(
        IReadOnlyList<HttpClient> instances,
        IReadOnlyList<LoadTarget> targets,
        int maxRequests,
        TimeSpan maxDuration,
        int workers = 16,
        bool allowUnavailable = false)
    {
        int next = -1;
        var mismatches = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var latencies = new double[maxRequests];
        int served = 0, unavailable = 0;
        var clock = Stopwatch.StartNew();

        async Task WorkAsync()
        {
            while (clock.Elapsed < maxDuration)
            {
                int n = Interlocked.Increment(ref next);
                if (n >= maxRequests)
                {
                    return;
                }

                var target = targets[n % targets.Count];
                var instance = instances[(n / targets.Count + n) % instances.Count];
                long started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = SampleFleet.Request(HttpMethod.Get, target.Path, target.Account);
                    using var response = await instance.SendAsync(request);
                    string body = await response.Content.ReadAsStringAsync();
                    latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    switch (Check(target, response, body, allowUnavailable))
                    {
                        case Outcome.Served:
                            Interlocked.Increment(ref served);
                            break;
                        case Outcome.Unavailable:
                            Interlocked.Increment(ref unavailable);
                            break;
                        case Outcome.Mismatch:
                            mismatches.Enqueue($"{target.Account} at {target.Version} GET {target.Path}: got {response.Headers.GetValues("Stripe-Version").FirstOrDefault()} {body}");
                            break;
                        default:
                            errors.Enqueue($"{target.Account} at {target.Version} GET {target.Path}: {(int)response.StatusCode} {string.Join(",", response.Headers.Select(h => h.Key))} {body}");
                            break;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
                {
                    latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    errors.Enqueue($"{target.Account} GET {target.Path}: {exception.GetType().Name}: {exception.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)));
        int sent = Math.Min(next + 1, maxRequests);
        return new LoadResult(sent, served, unavailable, [.. mismatches], [.. errors], clock.Elapsed, latencies[..sent]);
    }

    private enum Outcome
    {
        Served,
        Unavailable,
        Mismatch,
        Error,
    }

    private static Outcome Check(LoadTarget target, HttpResponseMessage response, string body, bool allowUnavailable)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            bool sameVersion = response.Headers.TryGetValues("Stripe-Version", out var versions) && versions.SingleOrDefault() == target.Version.ToString();
            return sameVersion && body == target.ExpectedBody ? Outcome.Served : Outcome.Mismatch;
        }

        return allowUnavailable && IsCleanUnavailable(response) ? Outcome.Unavailable : Outcome.Error;
    }

    /// <summary>A <c>503</c> error (the sample's envelope) that tells the caller when to retry and carries no version: nothing was guessed.</summary>
    public static bool IsCleanUnavailable(HttpResponseMessage response)
        => response.StatusCode == HttpStatusCode.ServiceUnavailable
            && response.Headers.RetryAfter?.Delta > TimeSpan.Zero
            && !response.Headers.Contains("Stripe-Version")
            && response.Content.Headers.ContentType?.MediaType == "application/json";

    /// <summary>
    /// Where <paramref name="body"/> does not have, for every resource in it (nested, in lists), exactly the fields the
    /// generator computed for <paramref name="version"/>, in order: one line per resource that differs.
    /// </summary>
    public static IEnumerable<string> ShapeMismatches(ApiHistory history, JsonNode? body, ApiVersion version)
    {
        switch (body)
        {
            case JsonObject json:
                if (json["object"] is JsonValue name && name.TryGetValue(out string? objectName) && history.TryGetResource(objectName, out _))
                {
                    var expected = history.GetFields(objectName, version);
                    var actual = json.Select(p => p.Key).ToArray();
                    if (!expected.SequenceEqual(actual))
                    {
                        yield return $"{objectName} at {version}: [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]";
                    }
                }

                foreach (var (_, value) in json)
                {
                    foreach (string mismatch in ShapeMismatches(history, value, version))
                    {
                        yield return mismatch;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (string mismatch in ShapeMismatches(history, item, version))
                    {
                        yield return mismatch;
                    }
                }

                break;
        }
    }

    /// <summary>Reads every target's body once, before the load, checks its shape against the history and returns the targets.</summary>
    public static async Task<List<LoadTarget>> ReferenceAsync(ApiHistory history, HttpClient instance, IEnumerable<(string Account, ApiVersion Version, string[] Paths)> accounts)
    {
        var targets = new List<LoadTarget>();
        var problems = new StringBuilder();
        foreach (var (account, version, paths) in accounts)
        {
            foreach (string path in paths)
            {
                using var request = SampleFleet.Request(HttpMethod.Get, path, account);
                using var response = await instance.SendAsync(request);
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} as {account}: {(int)response.StatusCode} {body}");
                Assert.Equal(version.ToString(), response.Headers.GetValues("Stripe-Version").Single());
                foreach (string mismatch in ShapeMismatches(history, JsonNode.Parse(body), version))
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"GET {path}: {mismatch}");
                }

                targets.Add(new LoadTarget(account, version, path, body));
            }
        }

        Assert.True(problems.Length == 0, "Responses whose shape is not their version's:\n" + problems);
        return targets;
    }
}
