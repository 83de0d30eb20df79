using System.Net;
using System.Text;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;

namespace VersionKit.Docs;

/// <summary>
/// Turns the changelog's Markdown into a complete, styled HTML page with Markdig. One file compiled into both
/// VersionKit.Docs (the pages an app serves) and the build-time changelog tool (<c>CHANGELOG.html</c>), so both look alike.
/// </summary>
internal static class DocsHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .Build();

    /// <summary>Markdown to an HTML fragment, with '\n' line ends.</summary>
    public static string Render(string markdown) => Markdown.ToHtml(markdown, Pipeline).ReplaceLineEndings("\n");

    /// <summary>Text for HTML, encoded.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A complete page: <paramref name="title"/> (text) in the head, <paramref name="header"/> and <paramref name="body"/> (HTML) in the page.</summary>
    public static string Page(string title, string body, string? header = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Encode(title)).Append("</title>\n");
        html.Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        if (header is not null)
        {
            html.Append("<header>\n").Append(header).Append("</header>\n");
        }

        html.Append("<main>\n").Append(body).Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private const string Style = """
        :root { --text: #1a1f36; --muted: #5b6478; --line: #e3e8ee; --accent: #4f46e5; --code: #f4f6f8; --warn: #fff7e0; --warn-edge: #d97706; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; color: var(--text); background: #fff; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        header { border-bottom: 1px solid var(--line); background: #fafbfc; }
        header nav { max-width: 54rem; margin: 0 auto; padding: 0.75rem 1.25rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: baseline; }
        header nav strong { margin-right: auto; }
        main { max-width: 54rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
        h1 { font-size: 2rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
        h2 { font-size: 1.45rem; line-height: 1.3; margin: 2.5rem 0 0.75rem; padding-top: 1.25rem; border-top: 1px solid var(--line); }
        h3 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
        p, li { overflow-wrap: anywhere; }
        a { color: var(--accent); }
        code { font: 0.88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: var(--code); padding: 0.1em 0.35em; border-radius: 4px; overflow-wrap: anywhere; }
        pre { background: var(--code); padding: 1rem; border-radius: 6px; overflow-x: auto; }
        pre code { padding: 0; background: none; }
        table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid var(--line); padding: 0.4rem 0.75rem; text-align: left; vertical-align: top; }
        th { background: #f7f9fb; font-weight: 600; }
        td code, th code { overflow-wrap: normal; white-space: nowrap; }
        .warning { margin: 1.25rem 0 1.75rem; padding: 0.9rem 1.25rem; border: 1px solid var(--warn-edge); border-left-width: 6px; border-radius: 6px; background: var(--warn); }
        .warning strong:first-child { display: block; margin-bottom: 0.25rem; }
        .error { margin: 1.25rem 0; padding: 0.9rem 1.25rem; border: 1px solid #dc2626; border-left-width: 6px; border-radius: 6px; background: #fef2f2; }
        .muted { color: var(--muted); }
        form.versions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; margin: 1rem 0 1.5rem; }
        form.versions label { display: flex; flex-direction: column; font-size: 0.9rem; color: var(--muted); }
        form.versions select, form.versions button { font: inherit; padding: 0.3rem 0.5rem; }

        """;
}
