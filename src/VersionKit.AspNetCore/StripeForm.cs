using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace VersionKit.AspNetCore;

/// <summary>
/// Form-encoded bodies as Stripe's clients send them (<c>metadata[order]=6735&amp;expand[]=customer&amp;items[0][price]=p_1</c>),
/// read into a JSON object and written back, so that request changes work on forms exactly as on JSON.
/// Values stay strings; brackets make objects, <c>[]</c> and numeric indexes make arrays.
/// </summary>
public static class StripeForm
{
    /// <summary>How deeply a form key may nest (<c>a[b][c]</c> is 3): well inside the depth JSON readers and writers allow.</summary>
    public const int MaxDepth = 32;

    /// <summary>Reads form fields into a JSON object.</summary>
    /// <exception cref="RequestShapeException">A key is malformed, nested deeper than <see cref="MaxDepth"/>, or used both as a value and as an object.</exception>
    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, StringValues>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var root = new JsonObject();
        foreach (var (key, values) in form)
        {
            var path = Parse(key);
            foreach (string? value in values)
            {
                Set(root, path, key, value ?? string.Empty);
            }
        }

        return root;
    }

    /// <summary>Writes a JSON object as a form body, the inverse of <see cref="ToJson"/>.</summary>
    public static string Encode(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var builder = new StringBuilder();
        foreach (var (name, value) in json)
        {
            Write(builder, name, value);
        }

        return builder.ToString();
    }

    private static List<string> Parse(string key)
    {
        int open = key.IndexOf('[', StringComparison.Ordinal);
        var path = new List<string> { open < 0 ? key : key[..open] };
        if (path[0].Length == 0)
        {
            throw new RequestShapeException(key, $"The form field '{key}' has no name.");
        }

        while (open >= 0)
        {
            int close = key.IndexOf(']', open);
            if (close < 0 || (close + 1 < key.Length && key[close + 1] != '['))
            {
                throw new RequestShapeException(path[0], $"The form field '{key}' is malformed: brackets must close and follow each other, as in a[b][c].");
            }

            path.Add(key[(open + 1)..close]);
            open = close + 1 < key.Length ? close + 1 : -1;
            if (path.Count > MaxDepth)
            {
                throw new RequestShapeException(path[0], $"The form field '{path[0]}[...]' is nested more than {MaxDepth} levels deep.");
            }
        }

        return path;
    }

    private static void Set(JsonObject root, List<string> path, string key, string value)
    {
        JsonNode container = root;
        for (int i = 0; i < path.Count; i++)
        {
            bool last = i == path.Count - 1;
            string segment = path[i];
            JsonNode? next = last ? JsonValue.Create(value) : IsIndex(path[i + 1]) ? new JsonArray() : new JsonObject();
            switch (container)
            {
                case JsonObject obj:
                    if (obj[segment] is { } existing && !last)
                    {
                        if (existing is JsonValue)
                        {
                            throw new RequestShapeException(path[0], $"The form field '{key}' treats '{segment}' as an object, but it also has a value.");
                        }

                        next = existing;
                    }
                    else if (obj.ContainsKey(segment) && last && obj[segment] is JsonObject or JsonArray)
                    {
                        throw new RequestShapeException(path[0], $"The form field '{key}' gives a value to '{segment}', which is also an object.");
                    }
                    else
                    {
                        obj[segment] = next;
                    }

                    break;
                case JsonArray array:
                    if (!IsIndex(segment))
                    {
                        throw new RequestShapeException(path[0], $"The form field '{key}' treats '{path[i - 1]}' as a list and as an object; list items are numbered, as in {path[i - 1]}[0] or {path[i - 1]}[].");
                    }

                    int index = segment.Length == 0 ? array.Count : int.Parse(segment, NumberStyles.None, CultureInfo.InvariantCulture);
                    if (index < array.Count && !last)
                    {
                        next = array[index] is JsonValue
                            ? throw new RequestShapeException(path[0], $"The form field '{key}' treats item {index} of '{path[i - 1]}' as an object, but it also has a value.")
                            : array[index]!;
                    }
                    else
                    {
                        array.Add(next);
                    }

                    break;
            }

            container = next!;
        }
    }

    private static bool IsIndex(string segment) => segment.Length == 0 || (segment.Length <= 9 && segment.All(char.IsAsciiDigit));

    private static void Write(StringBuilder builder, string name, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Write(builder, name + "[" + key + "]", value);
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    Write(builder, name + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", array[i]);
                }

                break;
            default:
                if (builder.Length > 0)
                {
                    builder.Append('&');
                }

                builder.Append(UrlEncoder.Default.Encode(name)).Append('=');
                string text = node is null ? string.Empty
                    : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>()
                    : node.ToJsonString();
                builder.Append(UrlEncoder.Default.Encode(text));
                break;
        }
    }
}
