using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VersionKit.Testing;

/// <summary>
/// Replaces a volatile value (an id, a timestamp) in a snapshot with a stable placeholder, as Verify does: the first
/// distinct value of a kind becomes <c>Id_1</c>, the next <c>Id_2</c>, and the same value always gets the same
/// placeholder within one snapshot, so references between objects stay visible. Property names are never scrubbed.
/// </summary>
public abstract partial class JsonScrubber
{
    private protected JsonScrubber()
    {
    }

    /// <summary>
    /// Ids as Stripe writes them, a lowercase prefix, an underscore and a random part (<c>cus_NffrFeUfNV2Hib</c>,
    /// <c>ch_3MmlLrLkdIwHu7ix0snN0B15</c>, <c>req_8hj2fK9aQ1</c>), alone or inside a string (<c>/v1/customers/cus_.../sources</c>),
    /// become <c>Id_1</c>, <c>Id_2</c>... The random part is at least 8 letters and digits, mixed case or with a digit, or at
    /// least 14 long: <c>card_123</c> and snake-case words such as <c>requires_confirmation</c> stay as they are.
    /// </summary>
    public static JsonScrubber Ids() => new PatternScrubber(StripeId(), "Id", static m => IsRandomPart(m.Groups["random"].ValueSpan));

    /// <summary>
    /// Unix timestamps (whole seconds between 2000 and 2100) in properties that hold times. With no names: <c>created</c>,
    /// <c>updated</c>, <c>date</c> and names ending in <c>_at</c>, <c>_on</c> or <c>_date</c>; otherwise exactly the names given.
    /// They become <c>Timestamp_1</c>, <c>Timestamp_2</c>...
    /// </summary>
    public static JsonScrubber UnixTimestamps(params string[] propertyNames)
    {
        ArgumentNullException.ThrowIfNull(propertyNames);
        return new TimestampScrubber(propertyNames.Length == 0 ? null : propertyNames.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>GUIDs, alone or inside a string, become <c>Guid_1</c>, <c>Guid_2</c>...</summary>
    public static JsonScrubber Guids() => new PatternScrubber(Guid(), "Guid", static _ => true);

    /// <summary>Every value (string, number or boolean) of properties named <paramref name="propertyName"/> becomes <c>{kind}_1</c>, <c>{kind}_2</c>...</summary>
    public static JsonScrubber Property(string propertyName, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(propertyName);
        CheckKind(kind);
        return new PropertyScrubber(propertyName, kind);
    }

    /// <summary>Every match of <paramref name="pattern"/> in a string value becomes <c>{kind}_1</c>, <c>{kind}_2</c>...</summary>
    public static JsonScrubber Pattern(Regex pattern, string kind)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        CheckKind(kind);
        return new PatternScrubber(pattern, kind, static _ => true);
    }

    /// <summary><see cref="Ids"/>, <see cref="UnixTimestamps"/> with its default names, and <see cref="Guids"/>.</summary>
    public static IReadOnlyList<JsonScrubber> Defaults { get; } = [Ids(), UnixTimestamps(), Guids()];

    /// <summary>The replacement text for <paramref name="value"/>, or <see langword="null"/> to leave it.</summary>
    internal abstract string? Scrub(string? propertyName, JsonValue value, Placeholders placeholders);

    private static void CheckKind(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        if (!kind.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"A placeholder kind is letters and digits, like 'Id' or 'Fingerprint'; '{kind}' is not.", nameof(kind));
        }
    }

    private static bool IsRandomPart(ReadOnlySpan<char> random)
        => random.Length >= 14 || random.ContainsAnyInRange('0', '9') || random.ContainsAnyInRange('A', 'Z');

    [GeneratedRegex(@"\b[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*_(?<random>[A-Za-z0-9]{8,})\b", RegexOptions.CultureInvariant)]
    private static partial Regex StripeId();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Guid();

    private sealed class PatternScrubber(Regex pattern, string kind, Func<Match, bool> accept) : JsonScrubber
    {
        internal override string? Scrub(string? propertyName, JsonValue value, Placeholders placeholders)
        {
            if (value.GetValueKind() != JsonValueKind.String)
            {
                return null;
            }

            string text = value.GetValue<string>();
            bool changed = false;
            string scrubbed = pattern.Replace(text, match =>
            {
                if (!accept(match))
                {
                    return match.Value;
                }

                changed = true;
                return placeholders.For(kind, match.Value);
            });
            return changed ? scrubbed : null;
        }
    }

    private sealed class TimestampScrubber(HashSet<string>? names) : JsonScrubber
    {
        private static readonly long From = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        private static readonly long To = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        internal override string? Scrub(string? propertyName, JsonValue value, Placeholders placeholders)
        {
            if (propertyName is null || !HoldsTime(propertyName)
                || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue(out long seconds) || seconds < From || seconds >= To)
            {
                return null;
            }

            return placeholders.For("Timestamp", seconds.ToString(CultureInfo.InvariantCulture));
        }

        private bool HoldsTime(string name) => names?.Contains(name) ?? (name is "created" or "updated" or "date"
            || name.EndsWith("_at", StringComparison.Ordinal) || name.EndsWith("_on", StringComparison.Ordinal) || name.EndsWith("_date", StringComparison.Ordinal));
    }

    private sealed class PropertyScrubber(string name, string kind) : JsonScrubber
    {
        internal override string? Scrub(string? propertyName, JsonValue value, Placeholders placeholders)
            => propertyName == name ? placeholders.For(kind, value.ToJsonString()) : null;
    }
}

/// <summary>The placeholders of one snapshot: the same value of a kind always gets the same number.</summary>
internal sealed class Placeholders
{
    private readonly Dictionary<(string Kind, string Value), string> _assigned = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public string For(string kind, string value)
    {
        if (!_assigned.TryGetValue((kind, value), out string? placeholder))
        {
            int number = _counts.GetValueOrDefault(kind) + 1;
            _counts[kind] = number;
            placeholder = string.Create(CultureInfo.InvariantCulture, $"{kind}_{number}");
            _assigned[(kind, value)] = placeholder;
        }

        return placeholder;
    }
}
