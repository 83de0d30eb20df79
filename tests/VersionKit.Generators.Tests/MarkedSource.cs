using Microsoft.CodeAnalysis.Text;

namespace VersionKit.Generators.Tests;

/// <summary>
/// Source text with its expected diagnostic spans marked <c>[|like this|]</c>: the markers are stripped before compiling
/// and their spans kept, as positions in the stripped text.
/// </summary>
internal sealed class MarkedSource
{
    private const string Start = "[|";
    private const string End = "|]";

    private MarkedSource(string text, IReadOnlyList<TextSpan> spans)
    {
        Text = text;
        Spans = spans;
    }

    /// <summary>The source without its markers.</summary>
    public string Text { get; }

    /// <summary>The marked spans, in the order they appear.</summary>
    public IReadOnlyList<TextSpan> Spans { get; }

    public static MarkedSource Parse(string marked)
    {
        marked = marked.ReplaceLineEndings("\n");
        var text = new System.Text.StringBuilder(marked.Length);
        var spans = new List<TextSpan>();
        int position = 0;
        while (true)
        {
            int start = marked.IndexOf(Start, position, StringComparison.Ordinal);
            if (start < 0)
            {
                text.Append(marked, position, marked.Length - position);
                return new MarkedSource(text.ToString(), spans);
            }

            int end = marked.IndexOf(End, start + Start.Length, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new ArgumentException($"A '{Start}' at {start} has no closing '{End}'.", nameof(marked));
            }

            text.Append(marked, position, start - position);
            int spanStart = text.Length;
            text.Append(marked, start + Start.Length, end - start - Start.Length);
            spans.Add(TextSpan.FromBounds(spanStart, text.Length));
            position = end + End.Length;
        }
    }
}
