namespace VersionKit.Generators.Tests;

/// <summary>The snapshot step itself: it fails loudly, writes what it got, and accepts only when asked.</summary>
public sealed class SnapshotTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vk-snapshots-" + Guid.NewGuid().ToString("N"));

    private string Baseline => Path.Combine(_directory, "Sample" + Snapshot.BaselineSuffix);

    private string Received => Path.Combine(_directory, "Sample" + Snapshot.ReceivedSuffix);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Missing_baseline_fails_and_writes_the_received_file_only()
    {
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Snapshot.Match(_directory, "Sample", "a\nb\n", accept: false));

        Assert.Contains("No baseline", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Baseline));
        Assert.Equal("a\nb\n", File.ReadAllText(Received));
    }

    [Fact]
    public void Mismatch_fails_with_a_line_diff_and_writes_the_received_file()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Baseline, "one\ntwo\nthree\n");

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Snapshot.Match(_directory, "Sample", "one\n2\nthree\n", accept: false));

        Assert.Contains("-    2: two", failure.Message, StringComparison.Ordinal);
        Assert.Contains("+    2: 2", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("one", failure.Message.Split('\n').Skip(1), StringComparer.Ordinal);
        Assert.Equal("one\n2\nthree\n", File.ReadAllText(Received));
        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(Baseline));
    }

    [Fact]
    public void Line_endings_do_not_matter_and_a_stale_received_file_is_removed()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Baseline, "one\r\ntwo\r\n");
        File.WriteAllText(Received, "stale");

        Snapshot.Match(_directory, "Sample", "one\ntwo\n", accept: false);

        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void Accepting_overwrites_the_baseline_and_passes()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Baseline, "old\n");

        Snapshot.Match(_directory, "Sample", "new\r\n", accept: true);

        Assert.Equal("new\n", File.ReadAllText(Baseline));
        Assert.False(File.Exists(Received));
    }
}
