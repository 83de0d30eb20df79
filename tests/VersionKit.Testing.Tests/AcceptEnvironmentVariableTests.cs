namespace VersionKit.Testing.Tests;

// The variable is read by every verification in the process: these tests run alone, after the others.
[CollectionDefinition(nameof(AcceptEnvironmentVariableTests), DisableParallelization = true)]
public sealed class AcceptEnvironmentVariableCollection;

[Collection(nameof(AcceptEnvironmentVariableTests))]
public class AcceptEnvironmentVariableTests
{
    private static readonly VersionSnapshots Snapshots = new(CardHistory.Default);

    public static TheoryData<string, bool> Values { get; } = new() { { "1", true }, { "true", true }, { "0", false }, { "", false } };

    [Theory]
    [MemberData(nameof(Values))]
    public void The_environment_variable_accepts_received_snapshots(string value, bool accepts)
    {
        using var folder = new SnapshotFolder();
        var settings = Snapshots.Settings with { Directory = folder.Path, FileName = "Card" + value };
        WithVariable(value, () =>
        {
            if (accepts)
            {
                Snapshots.Verify(new Card(), settings);
                Assert.All(folder.FileNames(), f => Assert.EndsWith(".verified.json", f, StringComparison.Ordinal));
            }
            else
            {
                Assert.Throws<SnapshotMismatchException>(() => Snapshots.Verify(new Card(), settings));
                Assert.All(folder.FileNames(), f => Assert.EndsWith(".received.json", f, StringComparison.Ordinal));
            }

            Assert.Equal(3, folder.FileNames().Length);
        });
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void The_environment_variable_accepts_a_received_text_as_its_checked_in_file(string value, bool accepts)
    {
        using var folder = new SnapshotFolder();
        File.WriteAllText(folder.PathOf("Changed.g.cs.txt"), "old\n");
        File.WriteAllText(folder.PathOf("Changed.received.g.cs.txt"), "stale");
        WithVariable(value, () =>
        {
            if (accepts)
            {
                TextSnapshot.Verify("new\r\nlines\r\n", "Changed.g.cs.txt", folder.Path);
                TextSnapshot.Verify("first\n", "New.md", folder.Path);
                Assert.Equal(["Changed.g.cs.txt", "New.md"], folder.FileNames());
                Assert.Equal("new\nlines\n", File.ReadAllText(folder.PathOf("Changed.g.cs.txt")));
                Assert.Equal("first\n", File.ReadAllText(folder.PathOf("New.md")));
            }
            else
            {
                Assert.Throws<SnapshotMismatchException>(() => TextSnapshot.Verify("new\r\nlines\r\n", "Changed.g.cs.txt", folder.Path));
                Assert.Throws<SnapshotMismatchException>(() => TextSnapshot.Verify("first\n", "New.md", folder.Path));
                Assert.Equal(["Changed.g.cs.txt", "Changed.received.g.cs.txt", "New.received.md"], folder.FileNames());
                Assert.Equal("old\n", File.ReadAllText(folder.PathOf("Changed.g.cs.txt")));
                Assert.Equal("new\nlines\n", File.ReadAllText(folder.PathOf("Changed.received.g.cs.txt")));
            }
        });
    }

    private static void WithVariable(string value, Action verify)
    {
        Environment.SetEnvironmentVariable(SnapshotSettings.AcceptEnvironmentVariable, value);
        try
        {
            verify();
        }
        finally
        {
            Environment.SetEnvironmentVariable(SnapshotSettings.AcceptEnvironmentVariable, null);
        }
    }
}
