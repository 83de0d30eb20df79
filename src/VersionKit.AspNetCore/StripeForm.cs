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
/// Values stay strings; brackets make objects, <c>[]</c> and numeric indexes make arrays. A key that gives one value twice
/// (<c>name=a&amp;name=b</c>) is refused, as a JSON body that names a field twice is: only <c>[]</c> adds to a list.
/// </summary>
public static class StripeForm
{
    /// <summary>How deeply a form key may nest (<c>a[b][c]</c> is 3): well inside the depth JSON readers and writers allow.</summary>
    public const int MaxDepth = 32;

    /// <summary>Reads form fields into a JSON object.</summary>
    /// <exception cref="RequestShapeException">A key is malformed, nested deeper than <see cref="MaxDepth"/>, used both as a value and as an object, or given a value twice.</exception>
    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, StringValues>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return FromFields(form.SelectMany(field => field.Value.Select(value => (field.Key, value ?? string.Empty))));
    }

    /// <summary>Reads form fields, in the order sent, into a JSON object (as <see cref="ToJson"/>).</summary>
    internal static JsonObject FromFields(IEnumerable<(string Key, string Value)> fields)
    {
        var root = new JsonObject();
        foreach (var (key, value) in fields)
        {
            Set(root, Parse(key), key, value);
        }

        return root;
    }

    /// <summary>
    /// Reads the fields of a form body or a query string (without its <c>?</c>) as sent, strictly: <c>+</c> is a space,
    /// <c>%XX</c> a byte (a <c>%</c> that starts no escape stays as it is, as ASP.NET Core reads it), and the bytes of every
    /// key and value must be UTF-8, or text in the <paramref name="charset"/> the body declares.
    /// </summary>
    /// <exception cref="FormatException">A key or value is not UTF-8, or the form is over <paramref name="limits"/>; the message says which.</exception>
    internal static List<(string Key, string Value)> Decode(ReadOnlySpan<byte> form, Microsoft.AspNetCore.Http.Features.FormOptions limits, Encoding? charset = null)
    {
        var fields = new List<(string Key, string Value)>();
        var buffer = new List<byte>();
        while (!form.IsEmpty)
        {
            int end = form.IndexOf((byte)'&');
            var part = end < 0 ? form : form[..end];
            form = end < 0 ? [] : form[(end + 1)..];
            if (part.IsEmpty)
            {
                continue;
            }

            int equals = part.IndexOf((byte)'=');
            string key = Unescape(equals < 0 ? part : part[..equals], buffer, null, charset);
            string value = Unescape(equals < 0 ? [] : part[(equals + 1)..], buffer, key, charset);
            if (fields.Count >= limits.ValueCountLimit || key.Length > limits.KeyLengthLimit || value.Length > limits.ValueLengthLimit)
            {
                throw new FormatException("The form has more fields, or a longer key or value, than this server accepts.");
            }

            fields.Add((key, value));
        }

        return fields;
    }

    private static string Unescape(ReadOnlySpan<byte> text, List<byte> buffer, string? key, Encoding? charset)
    {
        buffer.Clear();
        for (int i = 0; i < text.Length; i++)
        {
            byte b = text[i];
            if (b == (byte)'+')
            {
                buffer.Add((byte)' ');
            }
            else if (b == (byte)'%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                buffer.Add((byte)((Hex(text[i + 1]) << 4) | Hex(text[i + 2])));
                i += 2;
            }
            else
            {
                buffer.Add(b);
            }
        }

        var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer);
        if (charset is not null)
        {
            return VersionKitRequests.Decode(charset, bytes, key is null ? "A form field's name" : $"The value of the form field '{key}'");
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new FormatException(key is null
                ? "A form field's name is not valid UTF-8."
                : $"The value of the form field '{key}' is not valid UTF-8.");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

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
                    else if (obj.ContainsKey(segment) && last)
                    {
                        throw new RequestShapeException(key, $"The form field '{key}' is sent twice; send each parameter once (a list's items as {path[0]}[] or numbered).");
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
                    else if (index < array.Count)
                    {
                        throw new RequestShapeException(key, $"The form field '{key}' is sent twice; send each parameter once (a list's items as {path[0]}[] or numbered).");
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
