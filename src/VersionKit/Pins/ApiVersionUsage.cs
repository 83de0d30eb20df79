namespace VersionKit.Pins;

/// <summary>How much one account called one version: the last time seen and how many requests.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Version">The version its requests were served at.</param>
/// <param name="LastSeen">The latest request recorded.</param>
/// <param name="Requests">How many requests were recorded.</param>
public sealed record ApiVersionUsage(string AccountId, ApiVersion Version, DateTimeOffset LastSeen, long Requests)
{
    /// <summary>
    /// Usage added up per account and version, as a store keeps it: the requests summed, the later time seen kept. Batches
    /// recorded on many machines add up the same way, in any order.
    /// </summary>
    public static IReadOnlyList<ApiVersionUsage> Merge(IEnumerable<ApiVersionUsage> usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return [.. usage
            .GroupBy(u => (u.AccountId, u.Version))
            .Select(g => new ApiVersionUsage(g.Key.AccountId, g.Key.Version, g.Max(u => u.LastSeen), g.Sum(u => u.Requests)))
            .OrderBy(u => u.AccountId, StringComparer.Ordinal)
            .ThenBy(u => u.Version)];
    }
}

/// <summary>One version's usage across accounts: who is pinned to it and who calls it.</summary>
/// <param name="Version">The version.</param>
/// <param name="AccountsPinned">How many accounts are pinned to it.</param>
/// <param name="AccountsSeen">How many accounts called it.</param>
/// <param name="Requests">How many requests it served, over all accounts.</param>
/// <param name="LastSeen">Its latest request recorded, or <see langword="null"/> when none was.</param>
public sealed record ApiVersionUsageSummary(ApiVersion Version, long AccountsPinned, long AccountsSeen, long Requests, DateTimeOffset? LastSeen);

/// <summary>
/// Who still calls which version, kept beside the pins (the three stores implement it): per account and version the last
/// time seen and a request count, written in batches off the request path, so that a team knows who to tell before it
/// retires a version.
/// </summary>
public interface IApiVersionUsageStore
{
    /// <summary>
    /// Adds <paramref name="usage"/> to what is recorded, in one transaction: per account and version, the requests summed
    /// and the later time seen kept (<see cref="ApiVersionUsage.Merge"/>).
    /// </summary>
    Task RecordUsageAsync(IReadOnlyCollection<ApiVersionUsage> usage, CancellationToken cancellationToken = default);

    /// <summary>The accounts that called <paramref name="version"/>, most recently seen first.</summary>
    Task<IReadOnlyList<ApiVersionUsage>> GetUsageAsync(ApiVersion version, CancellationToken cancellationToken = default);

    /// <summary>Every version that has an account pinned to it or a request recorded, oldest first.</summary>
    Task<IReadOnlyList<ApiVersionUsageSummary>> GetUsageSummaryAsync(CancellationToken cancellationToken = default);
}
