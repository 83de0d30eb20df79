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
    /// <summary>Renames <paramref name="newName"/> back to <paramref name="oldName"/>, in place.</summary>
    public static void Rename(JsonObject resource, string newName, string oldName)
    {
        ArgumentNullException.ThrowIfNull(resource);
        int index = resource.IndexOf(newName);
        if (index < 0)
        {
            return;
        }

        var value = resource[index];
        resource.RemoveAt(index);
        resource.Insert(index, oldName, value);
    }

    /// <summary>Hides a field that older versions did not have.</summary>
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
