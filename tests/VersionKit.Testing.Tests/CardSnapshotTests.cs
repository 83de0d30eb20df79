using System.Text;
using System.Text.Json.Nodes;

namespace VersionKit.Testing.Tests;

public class CardSnapshotTests
{
    private const string EveryVersion = "CardSnapshotTests." + nameof(A_card_matches_its_verified_snapshot_at_every_version);
    private const string Combined = "CardSnapshotTests." + nameof(A_list_of_cards_matches_its_combined_snapshot);

    private static readonly VersionSnapshots Snapshots = new(CardHistory.Default);

    private static readonly string[] AllVersions = ["2019-01-01", "2020-06-01", "2022-03-01"];

    private static SnapshotSettings In(SnapshotFolder folder, string? fileName = null, bool accept = false)
        => Snapshots.Settings with { Directory = folder.Path, FileName = fileName, AcceptReceived = accept };

    private static ApiList<Card> Cards() => new([new Card(), new Card { Id = "card_2Nb8kLkdIwHu7ixQx1Yv", Funding = "debit", Customer = null }], "/v1/cards");

    // The committed files next to this test are the snapshots a team reviews: the same card, as every version shows it.
    [Fact]
    public void A_card_matches_its_verified_snapshot_at_every_version() => Snapshots.Verify(new Card());

    [Fact]
    public void A_list_of_cards_matches_its_combined_snapshot()
        => Snapshots.Verify(Cards(), Snapshots.Settings with { Layout = SnapshotLayout.Combined });

    [Fact]
    public async Task A_broken_old_version_fails_with_a_diff_that_names_the_version()
    {
        using var folder = SnapshotFolder.WithCommitted(EveryVersion);
        string[] verifiedBefore = folder.FileNames();

        // The regression: CardFunding gives older versions the wrong is_credit. Set in this task's flow only.
        var failure = await Task.Run(() =>
        {
            CardFunding.Broken.Value = true;
            return Assert.Throws<SnapshotMismatchException>(() => Snapshots.Verify(new Card(), In(folder, EveryVersion)));
        });

        Assert.Equal(["2019-01-01", "2020-06-01"], failure.Versions.Select(v => v.ToString()));
        string[] lines = failure.Message.Split('\n');
        Assert.Equal($"{EveryVersion}: the snapshot does not match at 2019-01-01, 2020-06-01 (3 versions rendered).", lines[0]);
        Assert.Contains($"Version 2019-01-01 differs from {folder.PathOf(EveryVersion + ".2019-01-01.verified.json")}:", lines);
        Assert.Contains($"Version 2020-06-01 differs from {folder.PathOf(EveryVersion + ".2020-06-01.verified.json")}:", lines);
        Assert.Equal(2, lines.Count(l => l == "-   \"is_credit\": true"));
        Assert.Equal(2, lines.Count(l => l == "+   \"is_credit\": false"));
        Assert.DoesNotContain(lines, l => l.StartsWith("Version 2022-03-01", StringComparison.Ordinal));

        // Received files beside the verified ones, for the broken versions only; the verified files are untouched.
        string[] expected = [.. verifiedBefore, EveryVersion + ".2019-01-01.received.json", EveryVersion + ".2020-06-01.received.json"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), folder.FileNames());
        Assert.Contains("\"is_credit\": false", File.ReadAllText(folder.PathOf(EveryVersion + ".2019-01-01.received.json")), StringComparison.Ordinal);
        Assert.Contains("\"is_credit\": true", File.ReadAllText(folder.PathOf(EveryVersion + ".2019-01-01.verified.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_old_version_in_a_combined_file_is_named_with_its_own_diff()
    {
        using var folder = SnapshotFolder.WithCommitted(Combined);
        var failure = await Task.Run(() =>
        {
            CardFunding.Broken.Value = true;
            return Assert.Throws<SnapshotMismatchException>(() => Snapshots.Verify(Cards(), In(folder, Combined) with { Layout = SnapshotLayout.Combined }));
        });

        Assert.Equal(["2019-01-01", "2020-06-01"], failure.Versions.Select(v => v.ToString()));
        Assert.Contains($"Version 2020-06-01 differs from its part of {folder.PathOf(Combined + ".verified.json")}:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-       \"is_credit\": false", failure.Message, StringComparison.Ordinal);
        Assert.Contains("+       \"is_credit\": true", failure.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.PathOf(Combined + ".received.json")));
    }

    [Fact]
    public void A_combined_file_that_is_not_an_object_of_versions_is_shown_whole()
    {
        using var folder = new SnapshotFolder();
        File.WriteAllText(folder.PathOf("Cards.verified.json"), "[\n  1,\n  2\n]\n");
        var failure = Assert.Throws<SnapshotMismatchException>(() => Snapshots.Verify(Cards(), In(folder, "Cards") with { Layout = SnapshotLayout.Combined }));
        Assert.Contains($"{folder.PathOf("Cards.verified.json")} is not an object of versions; the whole file differs:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-   1,", failure.Message, StringComparison.Ordinal);
        Assert.Empty(failure.Versions);
    }

    [Fact]
    public void A_version_in_a_combined_file_that_is_no_longer_rendered_is_named()
    {
        using var folder = SnapshotFolder.WithCommitted(Combined);
        var settings = In(folder, Combined) with { Layout = SnapshotLayout.Combined, Versions = [ApiVersion.Parse("2020-06-01"), ApiVersion.Parse("2022-03-01")] };
        var failure = Assert.Throws<SnapshotMismatchException>(() => Snapshots.Verify(Cards(), settings));
        Assert.StartsWith($"{Combined}: the snapshot does not match at 2019-01-01 (2 versions rendered).", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"2019-01-01: in {folder.PathOf(Combined + ".verified.json")} but not rendered", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_whose_source_folder_is_not_on_this_machine_is_told_to_set_a_directory()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Snapshots.Verify(new Card(), sourceFile: "/_/tests/CardSnapshotTests.cs", testName: "Elsewhere"));
        Assert.StartsWith("The test's source folder '/_/tests' is not on this machine", error.Message, StringComparison.Ordinal);
        Assert.Contains("Set SnapshotSettings.Directory to an absolute folder.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_snapshot_fails_and_writes_what_was_received()
    {
        using var folder = new SnapshotFolder();
        var failure = Assert.Throws<SnapshotMismatchException>(() => Snapshots.Verify(new Card(), In(folder, "Card")));

        Assert.Equal(AllVersions, failure.Versions.Select(v => v.ToString()));
        Assert.Contains($"Version 2019-01-01: no verified snapshot yet ({folder.PathOf("Card.2019-01-01.verified.json")}); received:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"Visa\"", failure.Message, StringComparison.Ordinal);
        Assert.Equal(AllVersions.Select(v => $"Card.{v}.received.json"), folder.FileNames());
    }

    [Fact]
    public void Accepting_writes_the_verified_files_and_removes_the_received_ones()
    {
        using var folder = new SnapshotFolder();
        File.WriteAllText(folder.PathOf("Card.2022-03-01.received.json"), "stale");
        Snapshots.Verify(new Card(), In(folder, "Card", accept: true));

        Assert.Equal(AllVersions.Select(v => $"Card.{v}.verified.json"), folder.FileNames());
        string committed = File.ReadAllText(Path.Combine(ThisFolder(), EveryVersion + ".2019-01-01.verified.json"));
        Assert.Equal(committed, File.ReadAllText(folder.PathOf("Card.2019-01-01.verified.json")));
    }

    [Fact]
    public void A_matching_snapshot_removes_a_received_file_left_from_an_earlier_failure()
    {
        using var folder = SnapshotFolder.WithCommitted(EveryVersion);
        File.WriteAllText(folder.PathOf(EveryVersion + ".2020-06-01.received.json"), "from an earlier run");
        Snapshots.Verify(new Card(), In(folder, EveryVersion));
        Assert.DoesNotContain(folder.FileNames(), f => f.EndsWith(".received.json", StringComparison.Ordinal));
    }

    [Fact]
    public void Verified_files_with_CRLF_line_endings_and_a_byte_order_mark_still_match()
    {
        using var folder = SnapshotFolder.WithCommitted(EveryVersion);
        foreach (string file in Directory.GetFiles(folder.Path))
        {
            File.WriteAllText(file, File.ReadAllText(file).ReplaceLineEndings("\r\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        }

        Snapshots.Verify(new Card(), In(folder, EveryVersion));
    }

    [Fact]
    public void Field_order_is_part_of_the_snapshot()
    {
        using var folder = SnapshotFolder.WithCommitted(EveryVersion);
        string path = folder.PathOf(EveryVersion + ".2022-03-01.verified.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var reordered = new JsonObject(json.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        File.WriteAllText(path, reordered.ToJsonString());

        var failure = Assert.Throws<SnapshotMismatchException>(() => Snapshots.Verify(new Card(), In(folder, EveryVersion)));
        Assert.Equal(["2022-03-01"], failure.Versions.Select(v => v.ToString()));
    }

    [Fact]
    public void Chosen_versions_alone_are_rendered_and_compared()
    {
        using var folder = new SnapshotFolder();
        Snapshots.Verify(new Card(), In(folder, "Card", accept: true) with { Versions = [ApiVersion.Parse("2020-06-01")] });
        Assert.Equal(["Card.2020-06-01.verified.json"], folder.FileNames());
    }

    [Theory]
    [InlineData("2021-01-01", "SnapshotSettings.Versions names 2021-01-01, not a version of CardHistory. Valid versions: 2019-01-01, 2020-06-01, 2022-03-01.")]
    [InlineData("", "SnapshotSettings.Versions is empty: name at least one version, or leave it null for every version.")]
    public void Versions_that_are_not_in_the_history_are_refused(string version, string message)
    {
        using var folder = new SnapshotFolder();
        var settings = In(folder, "Card" + version) with { Versions = version.Length == 0 ? [] : [ApiVersion.Parse(version)] };
        var error = Assert.Throws<ArgumentException>(() => Snapshots.Verify(new Card(), settings));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void Files_are_named_by_test_class_method_and_version()
    {
        using var folder = new SnapshotFolder();
        Snapshots.Verify(new Card(), In(folder, accept: true));
        Assert.Equal(AllVersions.Select(v => $"CardSnapshotTests.{nameof(Files_are_named_by_test_class_method_and_version)}.{v}.verified.json"), folder.FileNames());
    }

    [Fact]
    public async Task An_async_test_and_a_lambda_find_their_test_class_after_an_await()
    {
        using var folder = new SnapshotFolder();
        await Task.Yield();
        Action verify = () => Snapshots.Verify(new Card(), In(folder, accept: true) with { Versions = [CardHistory.Default.Latest] });
        verify();
        Assert.Equal([$"CardSnapshotTests.{nameof(An_async_test_and_a_lambda_find_their_test_class_after_an_await)}.2022-03-01.verified.json"], folder.FileNames());
    }

    [Fact]
    public void Verifying_the_same_files_twice_in_one_run_is_refused()
    {
        using var folder = new SnapshotFolder();
        var settings = In(folder, "Twice", accept: true);
        Snapshots.Verify(new Card(), settings);
        var error = Assert.Throws<InvalidOperationException>(() => Snapshots.Verify(new Card { Brand = "Amex" }, settings));
        Assert.Contains("were already verified in this test run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_payload_in_the_current_shape_is_rendered_at_every_version()
    {
        using var folder = new SnapshotFolder();
        var payload = JsonNode.Parse("""{"object":"card","id":"card_9","brand":"Amex","last4":"0005","funding":"debit","created":5,"customer":null}""");
        Snapshots.Verify(payload, In(folder, "Payload", accept: true));

        Assert.Equal(
            "{\n  \"object\": \"card\",\n  \"id\": \"card_9\",\n  \"type\": \"Amex\",\n  \"last4\": \"0005\",\n  \"created\": 5,\n  \"customer\": null,\n  \"is_credit\": false\n}\n",
            File.ReadAllText(folder.PathOf("Payload.2019-01-01.verified.json")));
        Assert.Contains("\"funding\": \"debit\"", File.ReadAllText(folder.PathOf("Payload.2022-03-01.verified.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_directory_is_taken_from_the_test_folder()
    {
        string relative = "snapshots-" + Guid.NewGuid().ToString("N");
        try
        {
            Snapshots.Verify(new Card(), Snapshots.Settings with { Directory = relative, FileName = "Card", AcceptReceived = true, Versions = [CardHistory.Default.Latest] });
            Assert.True(File.Exists(Path.Combine(ThisFolder(), relative, "Card.2022-03-01.verified.json")));
        }
        finally
        {
            Directory.Delete(Path.Combine(ThisFolder(), relative), recursive: true);
        }
    }

    private static string ThisFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
