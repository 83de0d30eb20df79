using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace VersionKit;

/// <summary>
/// A rolling API version: a release date (<c>yyyy-MM-dd</c>), optionally followed by a release name
/// (<c>2024-09-30.acacia</c>). Versions are ordered by date, then by release name.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ApiVersionJsonConverter))]
public readonly struct ApiVersion : IEquatable<ApiVersion>, IComparable<ApiVersion>, ISpanParsable<ApiVersion>
{
    /// <summary>The longest text a version can be; anything longer is refused before it is read.</summary>
    public const int MaxLength = ApiVersionSyntax.MaxLength;

    private readonly string? _releaseName;

    /// <summary>Creates a version from its release date and optional release name.</summary>
    /// <exception cref="ArgumentException">The release name is not lowercase ASCII letters and digits.</exception>
    public ApiVersion(DateOnly date, string? releaseName = null)
    {
        if (releaseName is not null && ApiVersionSyntax.ValidateReleaseName(releaseName) is { } error)
        {
            throw new ArgumentException(error, nameof(releaseName));
        }

        Date = date;
        _releaseName = releaseName;
    }

    /// <summary>The release date.</summary>
    public DateOnly Date { get; }

    /// <summary>The release name (<c>acacia</c> in <c>2024-09-30.acacia</c>), or <see langword="null"/>.</summary>
    public string? ReleaseName => _releaseName;

    /// <summary>Parses a version, throwing a <see cref="FormatException"/> that says what was wrong and what is valid.</summary>
    public static ApiVersion Parse(string text) => Parse(text.AsSpan(), provider: null);

    /// <inheritdoc/>
    public static ApiVersion Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    /// <inheritdoc/>
    public static ApiVersion Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, out var version, out var error) ? version : throw new FormatException(error);

    /// <summary>Parses a version; returns <see langword="false"/> for anything that is not exactly <c>yyyy-MM-dd</c> or <c>yyyy-MM-dd.name</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ApiVersion version)
        => TryParse(text.AsSpan(), out version, out _);

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ApiVersion result)
        => TryParse(s.AsSpan(), out result, out _);

    /// <inheritdoc/>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out ApiVersion result)
        => TryParse(s, out result, out _);

    /// <summary>
    /// Parses a version and, when it fails, says why in <paramref name="error"/> (a sentence fit for an API error message).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ApiVersion version, [NotNullWhen(false)] out string? error)
    {
        version = default;

        // Measured before it is copied, so an oversized value costs no more than its length.
        if (text.Length > MaxLength)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"The version is {text.Length} characters long; a version is a date (yyyy-MM-dd) with an optional release name, at most {MaxLength} characters.");
            return false;
        }

        if (!ApiVersionSyntax.TryParse(text.ToString(), out int year, out int month, out int day, out string? name, out error))
        {
            error ??= "The version is not valid.";
            return false;
        }

        version = new ApiVersion(new DateOnly(year, month, day), name);
        return true;
    }

    /// <summary>The version as <c>yyyy-MM-dd</c> or <c>yyyy-MM-dd.name</c>.</summary>
    public override string ToString()
    {
        string date = Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return _releaseName is null ? date : date + "." + _releaseName;
    }

    /// <inheritdoc/>
    public bool Equals(ApiVersion other) => Date == other.Date && string.Equals(_releaseName, other._releaseName, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ApiVersion other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Date, _releaseName);

    /// <inheritdoc/>
    public int CompareTo(ApiVersion other)
    {
        int byDate = Date.CompareTo(other.Date);
        return byDate != 0 ? byDate : string.CompareOrdinal(_releaseName, other._releaseName);
    }

    /// <summary>Whether two versions are the same date and release name.</summary>
    public static bool operator ==(ApiVersion left, ApiVersion right) => left.Equals(right);

    /// <summary>Whether two versions differ.</summary>
    public static bool operator !=(ApiVersion left, ApiVersion right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is older.</summary>
    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is newer.</summary>
    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is older or the same.</summary>
    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is newer or the same.</summary>
    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;
}
