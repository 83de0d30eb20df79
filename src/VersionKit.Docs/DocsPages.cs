using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VersionKit.AspNetCore;

namespace VersionKit.Docs;

/// <summary>The changelog and upgrade-guide pages: the Markdown of <see cref="ApiChangelog"/> and <see cref="UpgradeGuide"/> in a page, with what concerns the caller's version on top.</summary>
internal sealed class DocsPages(ApiHistory history, ApiVersionResolver resolver, ApiEndpointChanges endpoints)
{
    private volatile RenderedChangelog? _rendered;

    // The history's changelog with the endpoints the app's versions introduced and removed, which only its routes know.
    private ApiChangelog AppChangelog => endpoints.Changelog;

    public string ChangelogJson() => AppChangelog.ToJson();

    public IResult Changelog(HttpContext context, string headerName, CallerVersion caller)
    {
        var changelog = AppChangelog;

        // ?since=<version>: the releases after it, as Stripe's changelog filters.
        var since = context.Request.Query["since"];
        if (since.Count > 0)
        {
            ApiVersion after = default;
            string? error = since.Count > 1 ? $"'since' was given {since.Count} times; give one version." : null;
            if (error is null && !history.TryResolve(since[0], out after, out error))
            {
                error = "The 'since' version is not valid. " + error;
            }

            if (error is not null)
            {
                return Page(context, headerName, StatusCodes.Status400BadRequest, "API changelog: bad request", "<h1>API changelog</h1>\n" + ErrorBox(error), caller.Version);
            }

            return Page(context, headerName, StatusCodes.Status200OK, $"API changelog since {after}", DocsHtml.Render(changelog.ToMarkdownSince(after)), caller.Version);
        }

        string notice = caller.Error is not null
            ? ErrorBox(caller.Error)
            : caller.Version is { } version && version < changelog.Latest
                ? ChangesSince(version, changelog.Latest, yours: true, changelog.GetUpgradeGuide(version, changelog.Latest),
                    $"<a href=\"{Link(context, "/docs/upgrade")}?from={version}\">Read the upgrade guide from {version}</a>.")
                : string.Empty;
        return Page(context, headerName, StatusCodes.Status200OK, "API changelog", AfterHeading(ChangelogHtml(changelog), notice), caller.Version);
    }

    private string ChangelogHtml(ApiChangelog changelog)
    {
        if (_rendered is not { } rendered || rendered.Changelog != changelog)
        {
            rendered = new RenderedChangelog(changelog, DocsHtml.Render(changelog.ToMarkdown()));
            _rendered = rendered;
        }

        return rendered.Html;
    }

    public IResult Upgrade(HttpContext context, string headerName, CallerVersion caller)
    {
        string? error = null;
        var query = context.Request.Query;
        string? fromText = query["from"];
        string? toText = query["to"];
        foreach (string name in (string[])["from", "to"])
        {
            if (query[name].Count > 1)
            {
                error = $"'{name}' was given {query[name].Count} times; give one version.";
            }
        }

        ApiVersion from = AppChangelog.Latest;
        ApiVersion to = AppChangelog.Latest;
        bool fromIsCallers = false;
        if (error is not null)
        {
            // A repeated parameter: nothing else is read.
        }
        else if (fromText is not null)
        {
            if (!history.TryResolve(fromText, out from, out string? problem))
            {
                error = "The 'from' version is not valid. " + problem;
            }
        }
        else if (caller.Error is not null)
        {
            error = caller.Error + " Choose the version to upgrade from below.";
        }
        else if (caller.Version is { } version)
        {
            (from, fromIsCallers) = (version, true);
        }

        if (toText is not null && error is null && !history.TryResolve(toText, out to, out string? toProblem))
        {
            error = "The 'to' version is not valid. " + toProblem;
        }

        // A caller at a preview is newer than every stable release: nothing to upgrade to, rather than a bad request.
        string? preview = null;
        if (fromIsCallers && from > to)
        {
            preview = $"<p class=\"muted\">Your version, {from}, is a preview, newer than {to}: there is nothing to upgrade to.</p>\n";
            (from, fromIsCallers) = (to, false);
        }

        UpgradeGuide? guide = null;
        if (error is null && !AppChangelog.TryGetUpgradeGuide(from, to, out guide, out error))
        {
            error = "No upgrade guide from " + from + " to " + to + ": " + error;
        }

        if (guide is null)
        {
            string body = "<h1>Upgrade guide</h1>\n" + ErrorBox(error!) + Form(context, from, to);
            return Page(context, headerName, StatusCodes.Status400BadRequest, "Upgrade guide: bad request", body, caller.Version);
        }

        string notice = preview ?? (guide.Changes.Count > 0 || guide.EndpointChanges.Count > 0
            ? ChangesSince(from, to, fromIsCallers, guide, null)
            : fromIsCallers && from == AppChangelog.Latest
                ? $"<p class=\"muted\">Your version, {from}, is the latest: there is nothing to upgrade.</p>\n"
                : string.Empty);
        string html = AfterHeading(DocsHtml.Render(guide.ToMarkdown()), notice + Form(context, from, to));
        return Page(context, headerName, StatusCodes.Status200OK, $"Upgrading from {from} to {to}", html, caller.Version);
    }

    /// <summary>
    /// The caller's version as the API resolves it (<see cref="ApiVersionResolver.FindAsync"/>), which pins nobody; none for
    /// an anonymous caller, who has no version of its own. A bad header gives <see cref="CallerVersion.Error"/>; a pin that
    /// cannot be read gives nothing, and the pages read well without it.
    /// </summary>
    public async Task<CallerVersion> CallerAsync(HttpContext context, string headerName)
    {
        var resolution = await resolver.FindAsync(context).ConfigureAwait(false);
        if (resolution.Feature is { } feature)
        {
            return new CallerVersion(feature.Source == ApiVersionSource.Default ? null : feature.Version, null);
        }

        return resolution.Error is { Code: VersionKitErrorCodes.ApiVersionInvalid } error
            ? new CallerVersion(null, $"Your {headerName} header is not valid. {error.Message}")
            : new CallerVersion(null, null);
    }

    private static string ChangesSince(ApiVersion from, ApiVersion to, bool yours, UpgradeGuide guide, string? more)
    {
        var box = new StringBuilder();
        box.Append("<div class=\"warning\" role=\"note\" id=\"changes-since\">\n<strong>")
            .Append(Count(guide.Changes.Count, "change")).Append(" since ").Append(yours ? "your version, " : string.Empty).Append(from).Append("</strong>\n")
            .Append(yours ? $"Your integration reads API version {from}. " : string.Empty)
            .Append(CultureInfo.InvariantCulture, $"Moving to {to} brings {Count(guide.Changes.Count, "backwards-incompatible change")}")
            .Append(guide.EndpointChanges.Count > 0 ? $" and {Count(guide.EndpointChanges.Count, "endpoint change")}" : string.Empty)
            .Append(CultureInfo.InvariantCulture, $" in {Count(guide.Versions.Count, "version")}")
            .Append(guide.SideEffects.Count > 0 ? $"; {Count(guide.SideEffects.Count, "change")} with side effects alter{(guide.SideEffects.Count == 1 ? "s" : string.Empty)} what the API does" : string.Empty)
            .Append('.');
        if (more is not null)
        {
            box.Append(' ').Append(more);
        }

        return box.Append("\n</div>\n").ToString();
    }

    private string Form(HttpContext context, ApiVersion from, ApiVersion to)
    {
        var form = new StringBuilder();
        form.Append("<form class=\"versions\" method=\"get\" action=\"").Append(Link(context, "/docs/upgrade")).Append("\">\n");
        Select(form, "from", "From", from);
        Select(form, "to", "To", to);
        form.Append("<button type=\"submit\">Show what changed</button>\n</form>\n");
        return form.ToString();
    }

    private void Select(StringBuilder form, string name, string label, ApiVersion selected)
    {
        form.Append("<label>").Append(label).Append(" <select name=\"").Append(name).Append("\">\n");
        foreach (var version in AppChangelog.Versions.Reverse())
        {
            form.Append("<option").Append(version == selected ? " selected" : string.Empty).Append('>').Append(version).Append("</option>\n");
        }

        form.Append("</select></label>\n");
    }

    // The documents are another package's (VersionKit.OpenApi), the versions page another map call: linked when the app serves them.
    private bool? _hasOpenApi;
    private bool? _hasVersions;

    private bool HasOpenApi(HttpContext context) => _hasOpenApi ??= HasEndpoint(context, "/openapi/{documentName}.json");

    private static bool HasEndpoint(HttpContext context, string pattern)
        => context.RequestServices.GetService<Microsoft.AspNetCore.Routing.EndpointDataSource>()?.Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Any(e => e.RoutePattern.RawText == pattern) == true;

    private IResult Page(HttpContext context, string headerName, int status, string title, string body, ApiVersion? callerVersion)
    {
        var nav = new StringBuilder("<nav>\n<strong>API docs</strong>\n");
        nav.Append("<a href=\"").Append(Link(context, "/docs/changelog")).Append("\">Changelog</a>\n");
        nav.Append("<a href=\"").Append(Link(context, "/docs/upgrade")).Append("\">Upgrade guide</a>\n");
        if (_hasVersions ??= HasEndpoint(context, "/docs/versions"))
        {
            nav.Append("<a href=\"").Append(Link(context, "/docs/versions")).Append("\">Versions</a>\n");
        }

        if (HasOpenApi(context))
        {
            nav.Append("<a href=\"").Append(Link(context, "/openapi/" + AppChangelog.Latest + ".json")).Append("\">OpenAPI</a>\n");
        }

        nav.Append("<span class=\"muted\">")
            .Append(callerVersion is { } mine ? "Your version: " + mine + " · " : string.Empty)
            .Append("latest: ").Append(AppChangelog.Latest).Append("</span>\n</nav>\n");
        // The page depends on the caller's version.
        context.Response.Headers.Vary = headerName;
        return Results.Content(DocsHtml.Page(title, body, nav.ToString()), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    // The notice goes under the page's heading, which the Markdown always opens with.
    private static string AfterHeading(string html, string notice)
    {
        int end = html.IndexOf("</h1>\n", StringComparison.Ordinal);
        return end < 0 ? notice + html : html.Insert(end + "</h1>\n".Length, notice);
    }

    private static string ErrorBox(string message)
        => "<div class=\"error\" role=\"alert\">\n<strong>Bad request.</strong> " + DocsHtml.Encode(message) + "\n</div>\n";

    private static string Link(HttpContext context, string path) => DocsHtml.Encode(context.Request.PathBase + path);

    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private sealed record RenderedChangelog(ApiChangelog Changelog, string Html);

    /// <summary>The caller's version, if known, or why the one it sent is not valid.</summary>
    internal readonly record struct CallerVersion(ApiVersion? Version, string? Error);
}
