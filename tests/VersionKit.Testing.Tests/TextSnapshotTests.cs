using System.Runtime.CompilerServices;
using System.Text;

namespace VersionKit.Testing.Tests;

/// <summary>Plain-text snapshots: they fail loudly with a diff, write what they received, and accept only when asked.</summary>
public class TextSnapshotTests
{
    [Fact]
    public void A_missing_file_fails_and_writes_only_the_received_file()
    {
        using var folder = new SnapshotFolder();

        var failure = Assert.Throws<SnapshotMismatchException>(() => TextSnapshot.Verify("a\r\nb\n", "Sample.g.cs.txt", folder.Path));

        string[] lines = failure.Message.Split('\n');
        Assert.Equal("Sample.g.cs.txt: the text has no snapshot yet.", lines[0]);
        Assert.Contains($"What was received is in {folder.PathOf("Sample.received.g.cs.txt")}.", lines[1], StringComparison.Ordinal);
        Assert.Contains("VERSIONKIT_ACCEPT_SNAPSHOTS=1", lines[1], StringComparison.Ordinal);
        Assert.Contains($"Sample.g.cs.txt: no verified snapshot yet ({folder.PathOf("Sample.g.cs.txt")}); received:", lines);
        Assert.Empty(failure.Versions);
        Assert.Equal(["Sample.received.g.cs.txt"], folder.FileNames());
        Assert.Equal("a\nb\n", File.ReadAllText(folder.PathOf("Sample.received.g.cs.txt")));
    }

    [Fact]
    public void A_difference_fails_with_a_line_diff_and_leaves_the_checked_in_file_alone()
    {
        using var folder = new SnapshotFolder();
        File.WriteAllText(folder.PathOf("Widget.2019-01-01.md"), "one\ntwo\nthree\n");

        var failure = Assert.Throws<SnapshotMismatchException>(() => TextSnapshot.Verify("one\n2\nthree\n", "Widget.2019-01-01.md", folder.Path));

        string[] lines = failure.Message.Split('\n');
        Assert.Equal("Widget.2019-01-01.md: the text does not match its snapshot.", lines[0]);
        Assert.Contains($"Widget.2019-01-01.md differs from {folder.PathOf("Widget.2019-01-01.md")}:", lines);
        int diff = Array.IndexOf(lines, "--- verified");
        Assert.Equal(["--- verified", "+++ received", "  one", "- two", "+ 2", "  three"], lines[diff..(diff + 6)]);
        Assert.Equal(["Widget.2019-01-01.md", "Widget.received.2019-01-01.md"], folder.FileNames());
        Assert.Equal("one\n2\nthree\n", File.ReadAllText(folder.PathOf("Widget.received.2019-01-01.md")));
        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(folder.PathOf("Widget.2019-01-01.md")));
    }

    [Fact]
    public void A_missing_final_newline_is_a_difference()
    {
        using var folder = new SnapshotFolder();
        File.WriteAllText(folder.PathOf("Sample.txt"), "one\n");
        Assert.Throws<SnapshotMismatchException>(() => TextSnapshot.Verify("one", "Sample.txt", folder.Path));
    }

    [Theory]
    [InlineData("one\r\ntwo\r\n", "one\ntwo\n")]
    [InlineData("one\ntwo\n", "one\r\ntwo\r\n")]
    public void Line_endings_and_a_byte_order_mark_do_not_count_and_a_match_rewrites_nothing(string checkedIn, string received)
    {
        using var folder = new SnapshotFolder();
        string path = folder.PathOf("Sample.g.cs.txt");
        File.WriteAllText(path, checkedIn, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        byte[] before = File.ReadAllBytes(path);
        File.WriteAllText(folder.PathOf("Sample.received.g.cs.txt"), "left from an earlier failure");

        TextSnapshot.Verify(received, "Sample.g.cs.txt", folder.Path);

        Assert.Equal(["Sample.g.cs.txt"], folder.FileNames());
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void The_default_folder_is_Baselines_beside_the_test()
    {
        string fileName = $"Missing{Guid.NewGuid():N}.txt";
        string baselines = Path.Combine(ThisFolder(), "Baselines");
        bool existed = Directory.Exists(baselines);
        try
        {
            var failure = Assert.Throws<SnapshotMismatchException>(() => TextSnapshot.Verify("text\n", fileName));
            Assert.Contains($"({Path.Combine(baselines, fileName)}); received:", failure.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(baselines, fileName.Replace(".txt", ".received.txt", StringComparison.Ordinal))));
        }
        finally
        {
            if (existed)
            {
                File.Delete(Path.Combine(baselines, fileName.Replace(".txt", ".received.txt", StringComparison.Ordinal)));
            }
            else if (Directory.Exists(baselines))
            {
                Directory.Delete(baselines, recursive: true);
            }
        }
    }

    [Fact]
    public void A_relative_folder_is_taken_from_the_test_folder()
    {
        using var folder = new SnapshotFolder();
        File.WriteAllText(folder.PathOf("Sample.txt"), "text\n");
        string relative = Path.GetRelativePath(ThisFolder(), folder.Path);
        Assert.False(Path.IsPathRooted(relative));

        TextSnapshot.Verify("text\n", "Sample.txt", relative);
    }

    [Theory]
    [InlineData("Baselines/Sample.txt", "'Baselines/Sample.txt' is a path; name the file alone and pass its folder as the directory.")]
    [InlineData("Sample", "'Sample' is not a name with an extension, like 'Widget.md': the received file needs an extension after '.received' for '*.received.*' in .gitignore to keep it out of the repository.")]
    [InlineData("Sample.", "'Sample.' is not a name with an extension, like 'Widget.md'")]
    [InlineData(".txt", "'.txt' is not a name with an extension, like 'Widget.md'")]
    [InlineData("Sample.received.txt", "'Sample.received.txt' is named like a received file, which '*.received.*' in .gitignore keeps out of the repository.")]
    public void A_file_name_that_is_not_a_plain_name_with_an_extension_is_refused(string fileName, string message)
    {
        using var folder = new SnapshotFolder();
        var error = Assert.Throws<ArgumentException>(() => TextSnapshot.Verify("text\n", fileName, folder.Path));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("fileName", error.ParamName);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void Verifying_the_same_file_twice_in_one_run_is_refused()
    {
        using var folder = new SnapshotFolder();
        File.WriteAllText(folder.PathOf("Twice.txt"), "text\n");
        TextSnapshot.Verify("text\n", "Twice.txt", folder.Path);

        var error = Assert.Throws<InvalidOperationException>(() => TextSnapshot.Verify("other\n", "Twice.txt", folder.Path));
        Assert.Equal($"The snapshot {folder.PathOf("Twice.txt")} was already verified in this test run. Give each verification its own file name (in a theory, include the case's data).", error.Message);
        Assert.Equal(["Twice.txt"], folder.FileNames());
    }

    [Fact]
    public void A_test_whose_source_folder_is_not_on_this_machine_is_told_to_pass_an_absolute_folder()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TextSnapshot.Verify("text\n", "Elsewhere.txt", sourceFile: "/_/tests/TextSnapshotTests.cs"));
        Assert.StartsWith("The test's source folder '/_/tests' is not on this machine", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Pass TextSnapshot.Verify an absolute directory.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_new_text_is_shown_in_part()
    {
        using var folder = new SnapshotFolder();
        string text = string.Concat(Enumerable.Range(1, 200).Select(i => $"line {i}\n"));

        var failure = Assert.Throws<SnapshotMismatchException>(() => TextSnapshot.Verify(text, "Long.txt", folder.Path));

        Assert.Contains("line 80\n", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 81\n", failure.Message, StringComparison.Ordinal);
        Assert.Contains("  ... (121 more lines)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(folder.PathOf("Long.received.txt")));
    }

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
