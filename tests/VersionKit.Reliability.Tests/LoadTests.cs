using Payments.Api;
using Xunit.Abstractions;

namespace VersionKit.Reliability.Tests;

/// <summary>
/// A bounded load run (a count and a time limit) on 127.0.0.1 through two instances of the sample sharing one PostgreSQL,
/// with accounts pinned at every version of the sample: every response must be its account's version, shaped as the
/// generator says that version is, and byte for byte the body read before the run. The figures go to the test output
/// and to docs/reliability.md.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(PostgresCollection.Name)]
public sealed class LoadTests(PostgresFixture postgres, ITestOutputHelper output)
{
    public const int MaxRequests = 12_000;

    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_bounded_load_over_every_version_gets_every_response_in_its_versions_shape_with_no_error()
    {
        var history = PaymentsApiHistory.Default;
        await using var fleet = await SampleFleet.StartAsync(postgres.Cluster);
        var accounts = new List<(string Account, ApiVersion Version, string[] Paths)>();

        // An account is pinned to every release it can be pinned to: every one but the preview.
        var pinnable = history.Releases.Where(r => !r.IsPreview).Select(r => r.Version).ToList();
        foreach (var version in pinnable)
        {
            for (int i = 0; i < 2; i++)
            {
                string account = await SampleFleet.CreateAccountAsync(fleet.Instances[i], version);
                accounts.Add((account, version, await SampleFleet.SeedAsync(fleet.Instances[i], account, version)));
            }
        }

        var targets = await LoadRun.ReferenceAsync(history, fleet.Instances[0], accounts);
        Assert.Equal(pinnable.Count, targets.Select(t => t.Version).Distinct().Count());

        var result = await LoadRun.RunAsync(fleet.Instances, targets, MaxRequests, MaxDuration);

        output.WriteLine($"{accounts.Count} accounts over {pinnable.Count} versions, {targets.Count} distinct reads, 2 instances, 16 concurrent callers");
        output.WriteLine("Load run: " + result.Summary);
        Assert.Empty(result.Mismatches);
        Assert.Empty(result.Errors);
        Assert.Equal(result.Requests, result.Served);
        Assert.Empty(fleet.Errors);
    }
}
