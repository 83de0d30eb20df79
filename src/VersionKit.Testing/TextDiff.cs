using System.Globalization;
using System.Text;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace VersionKit.Testing;

/// <summary>A line diff for a failure message: <c>-</c> verified, <c>+</c> received, long unchanged stretches folded.</summary>
internal static class TextDiff
{
    private const int Context = 3;

    public static string Lines(string verified, string received, int maxLines)
    {
        var lines = new InlineDiffBuilder(new Differ()).BuildDiffModel(verified, received, ignoreWhitespace: false).Lines;
        var output = new StringBuilder();
        output.Append("--- verified\n+++ received\n");
        int written = 0;
        int index = 0;
        while (index < lines.Count)
        {
            if (written >= maxLines)
            {
                output.Append(CultureInfo.InvariantCulture, $"  ... ({lines.Count - index} more lines)\n");
                break;
            }

            var line = lines[index];
            if (line.Type == ChangeType.Unchanged)
            {
                int end = index;
                while (end < lines.Count && lines[end].Type == ChangeType.Unchanged)
                {
                    end++;
                }

                // Keep a few lines of context after the previous change and before the next one.
                int keepBefore = index == 0 ? 0 : Context;
                int keepAfter = end == lines.Count ? 0 : Context;
                if (end - index > keepBefore + keepAfter + 1)
                {
                    written += Append(output, lines, index, index + keepBefore);
                    output.Append(CultureInfo.InvariantCulture, $"  ... ({end - index - keepBefore - keepAfter} unchanged lines)\n");
                    written += Append(output, lines, end - keepAfter, end);
                }
                else
                {
                    written += Append(output, lines, index, end);
                }

                index = end;
                continue;
            }

            written += Append(output, lines, index, index + 1);
            index++;
        }

        return output.ToString();
    }

    private static int Append(StringBuilder output, List<DiffPiece> lines, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            string marker = lines[i].Type switch
            {
                ChangeType.Deleted => "-",
                ChangeType.Inserted => "+",
                _ => " ",
            };
            output.Append(marker).Append(' ').Append(lines[i].Text).Append('\n');
        }

        return to - from;
    }
}
