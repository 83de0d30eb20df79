namespace VersionKit.Testing.Tests;

// The variable is read by every verification in the process: these tests run alone, after the others.
[CollectionDefinition(nameof(AcceptEnvironmentVariableTests), DisableParallelization = true)]
public sealed class AcceptEnvironmentVariableCollection;

[Collection(nameof(AcceptEnvironmentVariableTests))]
public class AcceptEnvironmentVariableTests
{
    private static readonly VersionSnapshots Snapshots = new(CardHistory.Default);

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void The_environment_variable_accepts_received_snapshots(string value, bool accepts)
    {
        using var folder = new SnapshotFolder();
        var settings = Snapshots.Settings with { Directory = folder.Path, FileName = "Card" + value };
        Environment.SetEnvironmentVariable(SnapshotSettings.AcceptEnvironmentVariable, value);
        try
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
        }
        finally
        {
            Environment.SetEnvironmentVariable(SnapshotSettings.AcceptEnvironmentVariable, null);
        }
    }
}
