using System.ComponentModel;
using System.Text.Json.Nodes;

namespace VersionKit;

/// <summary>
/// The declarative instructions, as the generated chains call them. Each works in place on one resource object and
/// keeps the position of the fields it renames, so that an old shape reads in the same order as the new one.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class JsonTransforms
{
    /// <summary>Renames field <paramref name="from"/> to <paramref name="to"/> in place: backward for resources, forward for requests.</summary>
    public static void Rename(JsonObject json, string from, string to)
    {
        ArgumentNullException.ThrowIfNull(json);
        int index = json.IndexOf(from);
        if (index < 0)
        {
            return;
        }

        var value = json[index];
        json.RemoveAt(index);
        json.Insert(index, to, value);
    }

    /// <summary>Hides a field that older versions did not have (resources), or drops one they still send (requests).</summary>
    public static void Hide(JsonObject resource, string field)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.Remove(field);
    }

    /// <summary>Gives a removed field back to older versions, at the end of the object.</summary>
    public static void Restore(JsonObject resource, string field, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource[field] = value;
    }

    /// <summary>Replaces <paramref name="value"/> with <paramref name="legacyValue"/> where the field holds it.</summary>
    public static void MapEnumValue(JsonObject resource, string field, string value, string legacyValue)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource[field] is JsonValue current && current.TryGetValue(out string? text) && text == value)
        {
            resource[field] = legacyValue;
        }
    }
}
