using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VersionKit.Testing.Tests;

public partial class ScrubberTests
{
    private static readonly VersionSnapshots Snapshots = new(CardHistory.Default);

    // A payload with no resource in it is the same at every version: snapshot the latest, read back the file.
    private static string Snapshot(string json, IReadOnlyList<JsonScrubber>? scrubbers = null)
    {
        using var folder = new SnapshotFolder();
        var settings = Snapshots.Settings with
        {
            Directory = folder.Path,
            FileName = "Payload",
            AcceptReceived = true,
            Versions = [CardHistory.Default.Latest],
            Scrubbers = scrubbers ?? JsonScrubber.Defaults,
        };
        Snapshots.Verify(JsonNode.Parse(json), settings);
        return File.ReadAllText(folder.PathOf("Payload.2022-03-01.verified.json"));
    }

    private static string Compact(string snapshot) => JsonNode.Parse(snapshot)!.ToJsonString();

    [Fact]
    public void Ids_become_numbered_placeholders_and_the_same_id_keeps_its_number()
    {
        string snapshot = Snapshot("""
            {"id":"ch_3MmlLrLkdIwHu7ix0snN0B15","customer":"cus_NffrFeUfNV2Hib","source":{"id":"ch_3MmlLrLkdIwHu7ix0snN0B15"},
             "url":"/v1/customers/cus_NffrFeUfNV2Hib/sources","request":"req_abcdefghijklmn","schedule":"sub_sched_1Mr3YeLkdIwHu7ix"}
            """);
        Assert.Equal(
            """{"id":"Id_1","customer":"Id_2","source":{"id":"Id_1"},"url":"/v1/customers/Id_2/sources","request":"Id_3","schedule":"Id_4"}""",
            Compact(snapshot));
    }

    [Theory]
    [InlineData("card_123")]
    [InlineData("requires_confirmation")]
    [InlineData("verification_failed")]
    [InlineData("charge.succeeded")]
    [InlineData("4242424242424242")]
    public void Words_and_short_ids_are_not_scrubbed(string value)
        => Assert.Equal($$"""{"value":"{{value}}"}""", Compact(Snapshot($$"""{"value":"{{value}}"}""")));

    [Fact]
    public void Unix_timestamps_in_time_fields_become_placeholders_and_other_numbers_stay()
    {
        string snapshot = Snapshot("""
            {"created":1680651950,"updated_at":1680651950,"available_on":1700000000,"arrival_date":1700000001,
             "amount":1680651950,"date":12,"created_text":"1680651950","expires_at":1.5}
            """);
        Assert.Equal(
            """{"created":"Timestamp_1","updated_at":"Timestamp_1","available_on":"Timestamp_2","arrival_date":"Timestamp_3","amount":1680651950,"date":12,"created_text":"1680651950","expires_at":1.5}""",
            Compact(snapshot));
    }

    [Fact]
    public void Timestamps_can_be_limited_to_named_fields()
    {
        string snapshot = Snapshot("""{"created":1680651950,"paid_on":1680651950}""", [JsonScrubber.UnixTimestamps("paid_on")]);
        Assert.Equal("""{"created":1680651950,"paid_on":"Timestamp_1"}""", Compact(snapshot));
    }

    [Fact]
    public void Guids_alone_or_inside_strings_become_placeholders()
    {
        string snapshot = Snapshot("""{"idempotency_key":"key-6f1c2a4e-9b0d-4c3e-8a7f-1b2c3d4e5f60","trace":"6F1C2A4E-9B0D-4C3E-8A7F-1B2C3D4E5F61"}""");
        Assert.Equal("""{"idempotency_key":"key-Guid_1","trace":"Guid_2"}""", Compact(snapshot));
    }

    [Fact]
    public void Property_names_are_never_scrubbed()
        => Assert.Equal("""{"cus_NffrFeUfNV2Hib":1680651950}""", Compact(Snapshot("""{"cus_NffrFeUfNV2Hib":1680651950}""")));

    [Fact]
    public void Custom_scrubbers_replace_a_property_or_a_pattern()
    {
        string snapshot = Snapshot(
            """{"fingerprint":"Xt5EWLLDS7FJjR1c","nested":[{"fingerprint":"Xt5EWLLDS7FJjR1c"},{"fingerprint":42}],"phone":"call +1 555 0100 or +1 555 0199"}""",
            [.. JsonScrubber.Defaults, JsonScrubber.Property("fingerprint", "Fingerprint"), JsonScrubber.Pattern(Phone(), "Phone")]);
        Assert.Equal(
            """{"fingerprint":"Fingerprint_1","nested":[{"fingerprint":"Fingerprint_1"},{"fingerprint":"Fingerprint_2"}],"phone":"call Phone_1 or Phone_2"}""",
            Compact(snapshot));
    }

    [Fact]
    public void Without_scrubbers_every_value_is_kept()
        => Assert.Equal("""{"id":"ch_3MmlLrLkdIwHu7ix0snN0B15","created":1680651950}""", Compact(Snapshot("""{"id":"ch_3MmlLrLkdIwHu7ix0snN0B15","created":1680651950}""", [])));

    [Theory]
    [InlineData("")]
    [InlineData("Finger print")]
    [InlineData("Id_")]
    public void A_placeholder_kind_is_letters_and_digits(string kind)
        => Assert.Throws<ArgumentException>(() => JsonScrubber.Property("fingerprint", kind));

    [Fact]
    public void Snapshots_are_indented_by_two_spaces_with_LF_and_readable_characters()
        => Assert.Equal(
            "{\n  \"name\": \"Café <Zoë> & 'ü'\",\n  \"tags\": [\n    1,\n    true\n  ],\n  \"empty\": {}\n}\n",
            Snapshot("""{"name":"Caf\u00e9 <Zo\u00eb> & 'ü'","tags":[1,true],"empty":{}}"""));

    [GeneratedRegex(@"\+1 555 \d{4}")]
    private static partial Regex Phone();
}
