using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Testing;

/// <summary>
/// The text of a snapshot: properties in the order they were rendered (field order is part of an API's shape), indented
/// by two spaces, LF line endings, readable characters unescaped, one final newline, volatile values scrubbed.
/// </summary>
internal static class SnapshotJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    public static JsonNode? Parse(ReadOnlySpan<byte> utf8Json) => JsonNode.Parse(utf8Json, NodeOptions, DocumentOptions);

    /// <summary>Scrubs <paramref name="node"/> in place.</summary>
    public static void Scrub(JsonNode? node, IReadOnlyList<JsonScrubber> scrubbers)
    {
        if (scrubbers.Count > 0)
        {
            Scrub(node, propertyName: null, scrubbers, new Placeholders());
        }
    }

    public static string Write(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>What a stored file says, read as if written here: any line endings, with or without a byte order mark.</summary>
    public static string ReadFile(string path) => SnapshotComparison.ReadText(path).TrimEnd('\n') + "\n";

    private static JsonNode? Scrub(JsonNode? node, string? propertyName, IReadOnlyList<JsonScrubber> scrubbers, Placeholders placeholders)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (name, value) in json.ToList())
                {
                    var scrubbed = Scrub(value, name, scrubbers, placeholders);
                    if (!ReferenceEquals(scrubbed, value))
                    {
                        json[name] = scrubbed;
                    }
                }

                return json;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    var scrubbed = Scrub(item, propertyName, scrubbers, placeholders);
                    if (!ReferenceEquals(scrubbed, item))
                    {
                        array[i] = scrubbed;
                    }
                }

                return array;
            case JsonValue value:
                var current = value;
                foreach (var scrubber in scrubbers)
                {
                    if (scrubber.Scrub(propertyName, current, placeholders) is { } replacement)
                    {
                        current = JsonValue.Create(replacement);
                    }
                }

                return current;
            default:
                return node;
        }
    }
}
