using System.Text.Json;
using System.Text.Json.Serialization;

namespace VersionKit;

/// <summary>
/// Writes an <see cref="ApiVersion"/> as callers send and see it, <c>"2024-09-30.acacia"</c>, and reads it back strictly:
/// anything else is a <see cref="JsonException"/> that says what was wrong.
/// </summary>
public sealed class ApiVersionJsonConverter : JsonConverter<ApiVersion>
{
    /// <inheritdoc/>
    public override ApiVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"An API version is a string such as \"2024-09-30.acacia\"; found {reader.TokenType}.");
        }

        return ApiVersion.TryParse(reader.GetString().AsSpan(), out var version, out string? error) ? version : throw new JsonException(error);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ApiVersion value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }

    /// <inheritdoc/>
    public override ApiVersion ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ApiVersion.TryParse(reader.GetString().AsSpan(), out var version, out string? error) ? version : throw new JsonException(error);

    /// <inheritdoc/>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, ApiVersion value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.ToString());
    }
}
