// Shared, as source, by the runtime and the source generator (netstandard2.0), so that both read a version
// by exactly the same rules and say the same thing when it is wrong.
#nullable enable

namespace VersionKit
{
    internal static class ApiVersionSyntax
    {
        public const int MaxLength = 64;

        public static bool TryParse(string text, out int year, out int month, out int day, out string? releaseName, out string? error)
        {
            year = month = day = 0;
            releaseName = null;
            if (text.Length == 0)
            {
                error = "The version is empty; expected a release date such as 2024-09-30, optionally with a release name (2024-09-30.acacia).";
                return false;
            }

            if (text.Length > MaxLength)
            {
                error = "The version is " + text.Length + " characters long; a version is a date (yyyy-MM-dd) with an optional release name, at most " + MaxLength + " characters.";
                return false;
            }

            int dot = text.IndexOf('.');
            string date = dot < 0 ? text : text.Substring(0, dot);
            if (!TryReadDate(date, out year, out month, out day))
            {
                error = "'" + Printable(text) + "' is not a version; expected a release date in the form yyyy-MM-dd (such as 2024-09-30), optionally followed by '.' and a release name (2024-09-30.acacia).";
                return false;
            }

            if (dot >= 0)
            {
                releaseName = text.Substring(dot + 1);
                error = ValidateReleaseName(releaseName);
                if (error is not null)
                {
                    error = "'" + Printable(text) + "' is not a version: " + error;
                    releaseName = null;
                    return false;
                }
            }

            error = null;
            return true;
        }

        public static string? ValidateReleaseName(string name)
        {
            if (name.Length == 0)
            {
                return "the release name after '.' is empty.";
            }

            foreach (char c in name)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                {
                    return "the release name '" + Printable(name) + "' may hold only lowercase letters a-z and digits.";
                }
            }

            return null;
        }

        // Values from headers reach error messages; control characters are shown escaped so that a message never carries them.
        public static string Printable(string text)
        {
            var builder = new System.Text.StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (char.IsControl(c))
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        private static bool TryReadDate(string date, out int year, out int month, out int day)
        {
            year = month = day = 0;
            if (date.Length != 10 || date[4] != '-' || date[7] != '-')
            {
                return false;
            }

            if (!TryDigits(date, 0, 4, out year) || !TryDigits(date, 5, 2, out month) || !TryDigits(date, 8, 2, out day))
            {
                return false;
            }

            return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= System.DateTime.DaysInMonth(year, month);
        }

        private static bool TryDigits(string text, int start, int count, out int value)
        {
            value = 0;
            for (int i = start; i < start + count; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            return true;
        }
    }
}
