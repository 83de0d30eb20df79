using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore;

/// <summary>
/// Reads the request of a versioned endpoint that has a request type (the body it binds, or the type named by
/// <c>WithApiRequest&lt;T&gt;()</c>) by one set of rules at every version, before the handler runs. For a type the history
/// knows, the body (JSON or form-encoded, in Stripe's bracket syntax, UTF-8 or the charset it declares) or, without one, the
/// query string must be a JSON object or form, name each field once and nest at most <see cref="MaxDepth"/> levels; then
/// <see cref="ApiHistory.ReadRequest"/> refuses fields the caller's version does not have, upgrades the request to the
/// current shape and checks its values. A form body is handed to an endpoint that binds JSON as the JSON it stands for, so
/// that minimal APIs and MVC bind it with no code. Any other JSON body gets the rules that need no type (UTF-8, each name
/// once, the depth); any other form or query is the endpoint's.
/// </summary>
internal sealed class VersionKitRequests(ApiHistory history, IOptions<FormOptions> formOptions)
{
    /// <summary>How deeply a JSON body may nest.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth + 1 };

    /// <summary>The endpoint's request type, and whether the endpoint reads it as JSON (rather than binding a form itself).</summary>
    public static (Type Type, bool TakesJson)? RequestTypeOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<ApiRequestMetadata>() is { } explicitType)
        {
            return (explicitType.RequestType, true);
        }

        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: { } accepted } accepts)
        {
            return (accepted, accepts.ContentTypes.Count == 0 || accepts.ContentTypes.Any(IsJson));
        }

        return endpoint.Metadata.GetMetadata<ActionDescriptor>()?.Parameters
            .Where(p => p.BindingInfo?.BindingSource == BindingSource.Body || p.BindingInfo?.BindingSource == BindingSource.Form)
            .Select(p => ((Type, bool)?)(p.ParameterType, p.BindingInfo!.BindingSource == BindingSource.Body))
            .FirstOrDefault();
    }

    public async Task<VersionKitError?> ReadAsync(HttpContext context, Endpoint endpoint, ApiVersion version)
    {
        if (RequestTypeOf(endpoint) is not var (type, takesJson))
        {
            return null;
        }

        var request = context.Request;
        bool known = history.TryGetRequest(type, out _);
        try
        {
            bool hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
            if (hasBody && request.HasJsonContentType())
            {
                byte[] body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
                if (Charset(request) is { } charset)
                {
                    // JSON in another charset the body declares (as System.Text.Json's readers take it): read as UTF-8 from here on.
                    body = Encoding.UTF8.GetBytes(Decode(charset, body, "The request body"));
                    request.ContentType = "application/json; charset=utf-8";
                }

                // A type the history does not know gets the rules that need no type: UTF-8, each name once, the depth.
                var json = ParseJson(body, requireObject: known);
                if (known && history.ReadRequest(type, json!, version))
                {
                    body = Utf8(json!);
                }

                Replace(request, body);
            }
            else if (!known)
            {
                // Its form or query is the endpoint's to read: Stripe's bracket syntax is VersionKit's reading of known types only.
                return null;
            }
            else if (hasBody && IsUrlEncodedForm(request.ContentType))
            {
                byte[] body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
                var json = StripeForm.FromFields(StripeForm.Decode(body, formOptions.Value, Charset(request)));
                if (takesJson)
                {
                    // The endpoint binds JSON: it gets the JSON the form stands for, typed as the request type says.
                    history.ReadRequest(type, json, version, valuesAreText: true);
                    Replace(request, Utf8(json));
                    request.ContentType = "application/json; charset=utf-8";
                    context.Features.Set<IFormFeature?>(null);
                }
                else
                {
                    history.ReadRequest(type, json, version, valuesAreText: true);
                    Replace(request, Encoding.UTF8.GetBytes(StripeForm.Encode(json)));
                    context.Features.Set<IFormFeature>(new FormFeature(request));
                }
            }
            else if (!hasBody && request.QueryString.HasValue)
            {
                var query = StripeForm.FromFields(StripeForm.Decode(Encoding.UTF8.GetBytes(request.QueryString.Value![1..]), formOptions.Value));
                if (history.ReadRequest(type, query, version, valuesAreText: true))
                {
                    request.QueryString = new QueryString("?" + StripeForm.Encode(query));
                }
            }
        }
        catch (RequestShapeException exception)
        {
            return new VersionKitError(StatusCodes.Status400BadRequest, exception.UnknownField ? VersionKitErrorCodes.ParameterUnknown : VersionKitErrorCodes.ParameterInvalid, exception.Message)
            {
                Param = exception.Field,
            };
        }
        catch (FormatException exception)
        {
            // Ours (StripeForm.Decode, ParseJson): they say what is wrong in the caller's terms.
            return Malformed(exception.Message);
        }
        catch (BadHttpRequestException exception)
        {
            // The server's own limits (a body over MaxRequestBodySize, a client too slow to send it): its status, not a 500.
            return new VersionKitError(exception.StatusCode, VersionKitErrorCodes.RequestMalformed, exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than this server accepts."
                : "The request body could not be read.");
        }

        return null;
    }

    /// <summary>
    /// A JSON body, by rules that do not depend on the version: UTF-8 (a leading byte order mark allowed), one JSON value
    /// (with <paramref name="requireObject"/>, an object, returned as one), each name once in an object, at most
    /// <see cref="MaxDepth"/> levels.
    /// </summary>
    /// <exception cref="FormatException">It is not; the message says what and where.</exception>
    /// <exception cref="RequestShapeException">An object names a field twice; <see cref="RequestShapeException.Field"/> is its path.</exception>
    internal static JsonObject? ParseJson(ReadOnlySpan<byte> body, bool requireObject)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            throw new FormatException($"The request body is not valid UTF-8 (byte {FirstInvalidByte(body) + 1}).");
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        var containers = new List<Container>();
        string? name = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        name = reader.GetString()!;
                        if (!containers[^1].Names!.Add(name))
                        {
                            string path = Path(containers, name);
                            throw new RequestShapeException(path, $"The request body names '{path}' twice; send each parameter once.");
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (requireObject && containers.Count == 0 && reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new FormatException("The request body must be a JSON object.");
                        }

                        if (containers.Count == MaxDepth)
                        {
                            throw new FormatException($"The request body is nested more than {MaxDepth} levels deep.");
                        }

                        containers.Add(new Container(Segment(containers, name), reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.RemoveAt(containers.Count - 1);
                        break;
                    default:
                        if (requireObject && containers.Count == 0)
                        {
                            throw new FormatException("The request body must be a JSON object.");
                        }

                        Segment(containers, name);
                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            // The reader's own text is not shown: where it stopped is.
            throw new FormatException(exception.LineNumber is { } line
                ? $"The request body is not valid JSON (line {line + 1}, byte {exception.BytePositionInLine + 1})."
                : "The request body is not valid JSON.");
        }

        if (containers.Count > 0 || reader.BytesConsumed == 0)
        {
            throw new FormatException("The request body is not valid JSON.");
        }

        return requireObject ? JsonNode.Parse(body, NodeOptions, DocumentOptions)!.AsObject() : null;
    }

    private sealed class Container(string? segment, bool isObject)
    {
        public string? Segment { get; } = segment;

        public HashSet<string>? Names { get; } = isObject ? new HashSet<string>(StringComparer.Ordinal) : null;

        public int Items { get; set; }
    }

    // The path segment of the value about to be read: its name in an object, its index in a list; counts the list's items.
    private static string? Segment(List<Container> containers, string? name)
    {
        if (containers.Count == 0)
        {
            return null;
        }

        var container = containers[^1];
        return container.Names is not null ? name : (container.Items++).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Path(List<Container> containers, string name)
    {
        var path = new StringBuilder();
        foreach (string segment in containers.Skip(1).Select(c => c.Segment!).Append(name))
        {
            path.Append(path.Length == 0 ? segment : "[" + segment + "]");
        }

        return path.ToString();
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> text)
    {
        int at = 0;
        while (at < text.Length && System.Text.Rune.DecodeFromUtf8(text[at..], out _, out int read) == System.Buffers.OperationStatus.Done)
        {
            at += read;
        }

        return at;
    }

    /// <summary>The charset the body declares when it is not UTF-8 (<see langword="null"/> for UTF-8 or none: read strictly as UTF-8).</summary>
    /// <exception cref="FormatException">The charset is not one .NET reads.</exception>
    private static Encoding? Charset(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || mediaType.Charset.Value is not { Length: > 0 } name
            || name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            // Strict, as UTF-8 is: a byte the charset has no character for is refused, not replaced.
            return Encoding.GetEncoding(name.Trim('"'), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw new FormatException($"The request body's charset '{name}' is not one this server reads; send UTF-8.");
        }
    }

    /// <summary>Text in <paramref name="charset"/>, strictly.</summary>
    /// <exception cref="FormatException">A byte the charset has no character for; the message names <paramref name="what"/>.</exception>
    internal static string Decode(Encoding charset, ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return charset.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException($"{what} is not valid {charset.WebName}.");
        }
    }

    private static bool IsJson(string contentType)
        => contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    internal static bool IsUrlEncodedForm(string? contentType)
        => contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static byte[] Utf8(JsonObject json)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            json.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static VersionKitError Malformed(string message) => new(StatusCodes.Status400BadRequest, VersionKitErrorCodes.RequestMalformed, message);

    private static void Replace(HttpRequest request, byte[] body)
    {
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
    }
}
