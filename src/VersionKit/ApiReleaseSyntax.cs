// Shared, as source, by the runtime and the source generator (netstandard2.0), beside ApiVersionSyntax.cs: what makes a
// list of releases valid, so that the generator's diagnostics and the runtime's checks say the same thing.
#nullable enable

namespace VersionKit
{
    /// <summary>One release as the rules see it: its version, read by <see cref="ApiVersionSyntax"/>, and its kind.</summary>
    internal readonly struct ReleaseSpec
    {
        public ReleaseSpec(int year, int month, int day, string? name, int kind, bool declared)
        {
            Year = year;
            Month = month;
            Day = day;
            Name = name;
            Kind = kind;
            Declared = declared;
        }

        public int Year { get; }

        public int Month { get; }

        public int Day { get; }

        public string? Name { get; }

        /// <summary>One of <see cref="ApiReleaseSyntax.Major"/>, <see cref="ApiReleaseSyntax.Monthly"/>, <see cref="ApiReleaseSyntax.Preview"/>.</summary>
        public int Kind { get; }

        /// <summary>Declared by the history, rather than a version a change names that no release declares (a major).</summary>
        public bool Declared { get; }

        public string Date => Year.ToString("0000", System.Globalization.CultureInfo.InvariantCulture) + "-"
            + Month.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "-"
            + Day.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

        public string Text => Name is null ? Date : Date + "." + Name;

        public int CompareDate(ReleaseSpec other)
        {
            int result = Year.CompareTo(other.Year);
            if (result == 0)
            {
                result = Month.CompareTo(other.Month);
            }

            return result != 0 ? result : Day.CompareTo(other.Day);
        }
    }

    internal static class ApiReleaseSyntax
    {
        // The values of ApiReleaseKind.
        public const int Major = 0;
        public const int Monthly = 1;
        public const int Preview = 2;

        /// <summary>The release name every preview carries (<c>2026-11-15.preview</c>).</summary>
        public const string PreviewName = "preview";

        public static string KindName(int kind)
        {
            switch (kind)
            {
                case Major: return "major";
                case Monthly: return "monthly";
                case Preview: return "preview";
                default: return "kind " + kind.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        public static bool TryParseKind(string? text, out int kind)
        {
            switch (text)
            {
                case "major": kind = Major; return true;
                case "monthly": kind = Monthly; return true;
                case "preview": kind = Preview; return true;
                default: kind = -1; return false;
            }
        }

        /// <summary>
        /// What is wrong with <paramref name="releases"/> (oldest first), as (index, sentence) pairs: a name that does not fit
        /// its kind, a monthly release without its major before it, two declared releases on one date, two majors with one
        /// name, a preview older than a release that is not one.
        /// </summary>
        public static System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<int, string>> Check(System.Collections.Generic.IReadOnlyList<ReleaseSpec> releases)
        {
            var problems = new System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<int, string>>();
            void Problem(int index, string message) => problems.Add(new System.Collections.Generic.KeyValuePair<int, string>(index, message));

            var majorNames = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
            ReleaseSpec? major = null;
            ReleaseSpec? newestStable = null;
            for (int i = 0; i < releases.Count; i++)
            {
                var release = releases[i];
                string text = release.Text;
                if (release.Kind < Major || release.Kind > Preview)
                {
                    Problem(i, "Release " + text + " has " + KindName(release.Kind) + "; a release is major, monthly or preview.");
                    continue;
                }

                if (release.Declared)
                {
                    for (int j = 0; j < i; j++)
                    {
                        if (releases[j].Declared && releases[j].CompareDate(release) == 0)
                        {
                            Problem(i, "Releases " + releases[j].Text + " and " + text + " share the date " + release.Date + "; a date has one release, so that a caller sending the bare date gets one answer.");
                        }
                    }
                }

                if (release.Kind == Preview)
                {
                    if (i == 0)
                    {
                        Problem(i, "The first release, " + text + ", is a preview; the first release is stable, as callers without a version get the latest stable release.");
                    }

                    if (release.Name != PreviewName)
                    {
                        Problem(i, "Preview release " + text + " must be named '" + PreviewName + "': " + release.Date + "." + PreviewName + ".");
                    }

                    continue;
                }

                if (release.Name == PreviewName)
                {
                    Problem(i, "Release " + text + " is named '" + PreviewName + "' but declared " + KindName(release.Kind) + "; only a preview release carries that name.");
                }

                if (release.Kind == Major)
                {
                    if (release.Name is { } name)
                    {
                        if (majorNames.TryGetValue(name, out string? other))
                        {
                            Problem(i, "Major releases " + other + " and " + text + " share the name '" + name + "'; each major has a name of its own, which its monthly releases carry.");
                        }
                        else
                        {
                            majorNames[name] = text;
                        }
                    }

                    major = release;
                }
                else if (major is not { Name: { } majorName })
                {
                    Problem(i, "Monthly release " + text + " has no named major release before it; a monthly release adds to the major whose name it carries.");
                }
                else if (release.Name != majorName)
                {
                    Problem(i, "Monthly release " + text + " must carry the name of its major release " + major.Value.Text + ": " + release.Date + "." + majorName + ".");
                }

                newestStable = release;
            }

            for (int i = 0; i < releases.Count; i++)
            {
                if (releases[i].Kind == Preview && newestStable is { } stable && releases[i].CompareDate(stable) < 0)
                {
                    Problem(i, "Preview release " + releases[i].Text + " is older than release " + stable.Text + "; a preview renders on top of the latest stable release, so date it after every release, or promote its changes into a release.");
                }
            }

            return problems;
        }
    }
}
