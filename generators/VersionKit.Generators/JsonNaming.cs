using System.Globalization;
using System.Text;

namespace VersionKit.Generators
{
    /// <summary>
    /// The property-name conversions of System.Text.Json's known naming policies, reproduced so that the generator
    /// knows each field's JSON name. The renderer checks the result against the app's real serializer options.
    /// </summary>
    internal static class JsonNaming
    {
        // Values of System.Text.Json.Serialization.JsonKnownNamingPolicy.
        private const int CamelCase = 1;
        private const int SnakeCaseLower = 2;
        private const int SnakeCaseUpper = 3;
        private const int KebabCaseLower = 4;
        private const int KebabCaseUpper = 5;

        public static string Convert(string name, int policy) => policy switch
        {
            CamelCase => ToCamelCase(name),
            SnakeCaseLower => Separate(name, '_', lowercase: true),
            SnakeCaseUpper => Separate(name, '_', lowercase: false),
            KebabCaseLower => Separate(name, '-', lowercase: true),
            KebabCaseUpper => Separate(name, '-', lowercase: false),
            _ => name,
        };

        private static string ToCamelCase(string name)
        {
            if (name.Length == 0 || !char.IsUpper(name[0]))
            {
                return name;
            }

            var chars = name.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (i == 1 && !char.IsUpper(chars[i]))
                {
                    break;
                }

                bool hasNext = i + 1 < chars.Length;
                if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
                {
                    if (chars[i + 1] == ' ')
                    {
                        chars[i] = char.ToLowerInvariant(chars[i]);
                    }

                    break;
                }

                chars[i] = char.ToLowerInvariant(chars[i]);
            }

            return new string(chars);
        }

        private enum State
        {
            NotStarted,
            UppercaseLetter,
            LowercaseLetterOrDigit,
            SpaceSeparator,
        }

        private static string Separate(string name, char separator, bool lowercase)
        {
            var builder = new StringBuilder(name.Length + 8);
            var state = State.NotStarted;
            for (int i = 0; i < name.Length; i++)
            {
                char current = name[i];
                switch (char.GetUnicodeCategory(current))
                {
                    case UnicodeCategory.UppercaseLetter:
                        if (state == State.LowercaseLetterOrDigit || state == State.SpaceSeparator
                            || (state == State.UppercaseLetter && i + 1 < name.Length && char.IsLower(name[i + 1])))
                        {
                            builder.Append(separator);
                        }

                        builder.Append(lowercase ? char.ToLowerInvariant(current) : current);
                        state = State.UppercaseLetter;
                        break;

                    case UnicodeCategory.LowercaseLetter:
                    case UnicodeCategory.DecimalDigitNumber:
                        if (state == State.SpaceSeparator)
                        {
                            builder.Append(separator);
                        }

                        builder.Append(!lowercase && char.IsLower(current) ? char.ToUpperInvariant(current) : current);
                        state = State.LowercaseLetterOrDigit;
                        break;

                    case UnicodeCategory.SpaceSeparator:
                        if (state != State.NotStarted)
                        {
                            state = State.SpaceSeparator;
                        }

                        break;

                    default:
                        builder.Append(current);
                        state = State.NotStarted;
                        break;
                }
            }

            return builder.ToString();
        }
    }
}
