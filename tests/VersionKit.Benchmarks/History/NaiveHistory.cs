using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VersionKit.Benchmarks.History;

/// <summary>One change of the naive chain: what it does to a resource's JSON, going back past the version <see cref="Version"/>.</summary>
/// <param name="Version">The index of the change's version (1 to 500).</param>
/// <param name="Apply">
/// The change, backward, on the resource's JSON object; it is also given the C# object rendered, from which a typed
/// computation takes its value as hand-written code would.
/// </param>
public sealed record NaiveStep(int Version, Action<JsonObject, object> Apply);

/// <summary>
/// The comparison the issue asks for, written as one would by hand and with no VersionKit code: serialize the current
/// shape to a JsonNode DOM, apply every change newer than the target in turn, newest first, then write the DOM.
/// </summary>
public static partial class NaiveHistory
{
    /// <summary>Renders <paramref name="value"/> as it was at the version of index <paramref name="target"/>.</summary>
    public static void Render<T>(IBufferWriter<byte> output, T value, JsonTypeInfo<T> typeInfo, NaiveStep[] steps, int target)
        where T : class
    {
        var json = JsonSerializer.SerializeToNode(value, typeInfo)!.AsObject();
        foreach (var step in steps)
        {
            if (step.Version <= target)
            {
                break;
            }

            step.Apply(json, value);
        }

        using var writer = new Utf8JsonWriter(output);
        json.WriteTo(writer);
    }
}

/// <summary>The naive chain's edits of a JSON object.</summary>
public static class NaiveJson
{
    /// <summary>Renames a field, keeping its place.</summary>
    public static void Rename(JsonObject json, string from, string to)
    {
        int index = json.IndexOf(from);
        var value = json[index];
        json.RemoveAt(index);
        json.Insert(index, to, value);
    }

    /// <summary>Writes <paramref name="legacy"/> where the field holds <paramref name="value"/>.</summary>
    public static void MapValue(JsonObject json, string field, string value, string legacy)
    {
        if (json[field] is JsonValue current && current.TryGetValue(out string? text) && text == value)
        {
            json[field] = legacy;
        }
    }
}
