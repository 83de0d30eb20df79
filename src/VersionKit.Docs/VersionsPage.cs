using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using VersionKit.AspNetCore;
using VersionKit.Pins;

namespace VersionKit.Docs;

/// <summary>
/// <c>/docs/versions</c> and <c>/docs/versions.json</c>: every release with its kind and status, how many accounts are pinned
/// to it, and who still calls it (per account, the last time seen and a request count, as the pin store keeps them).
/// </summary>
internal sealed class VersionsPage(ApiHistory history, IOptions<VersionKitOptions> options, IApiVersionPinStore? store)
{
    private readonly IApiVersionUsageStore? _usage = store as IApiVersionUsageStore;

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<IResult> JsonAsync(HttpContext context)
    {
        var releases = await ReadAsync(context.RequestAborted).ConfigureAwait(false);
        if (releases is null)
        {
            return Unavailable().ToResult();
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("latest", history.Latest.ToString());
            json.WriteString("minimum_supported_version", options.Value.MinimumSupportedVersion?.ToString());
            json.WriteBoolean("usage_recorded", _usage is not null);
            json.WriteStartArray("releases");
            foreach (var release in releases)
            {
                json.WriteStartObject();
                json.WriteString("version", release.Release.Version.ToString());
                json.WriteString("kind", KindName(release.Release.Kind));
                json.WriteString("status", StatusName(release.Status));
                json.WriteNumber("accounts_pinned", release.Summary?.AccountsPinned ?? 0);
                json.WriteNumber("accounts_seen", release.Summary?.AccountsSeen ?? 0);
                json.WriteNumber("requests", release.Summary?.Requests ?? 0);
                WriteTime(json, "last_seen", release.Summary?.LastSeen);
                json.WriteString("notes", release.Release.Notes);
                json.WriteStartArray("accounts");
                foreach (var account in release.Accounts)
                {
                    json.WriteStartObject();
                    json.WriteString("account", account.AccountId);
                    WriteTime(json, "last_seen", account.LastSeen);
                    json.WriteNumber("requests", account.Requests);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n", "application/json; charset=utf-8");
    }

    public async Task<IResult> PageAsync(HttpContext context)
    {
        var releases = await ReadAsync(context.RequestAborted).ConfigureAwait(false);
        if (releases is null)
        {
            string error = "<h1>API versions</h1>\n<div class=\"error\" role=\"alert\">\n<strong>Unavailable.</strong> " + DocsHtml.Encode(Unavailable().Message) + "\n</div>\n";
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Results.Content(DocsHtml.Page("API versions", error), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
        }

        var md = new StringBuilder();
        md.Append("# API versions\n\n");
        md.Append(CultureInfo.InvariantCulture, $"The latest stable release is **{history.Latest}**: calls without a version and new accounts get it. ");
        md.Append(options.Value.MinimumSupportedVersion is { } minimum
            ? $"Versions older than **{minimum}** are retired: calls at them are refused."
            : "No version is retired.");
        md.Append(_usage is null
            ? "\n\nThe pin store does not record usage, so who calls each version is not known.\n\n"
            : "\n\nWho calls each version is counted per account and written by each instance once a minute, so the last minute may be missing.\n\n");
        md.Append("| version | kind | status | accounts pinned | accounts seen | requests | last seen |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var release in releases)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| `{release.Release.Version}` | {KindName(release.Release.Kind)} | {StatusName(release.Status)} | {release.Summary?.AccountsPinned ?? 0} | {release.Summary?.AccountsSeen ?? 0} | {release.Summary?.Requests ?? 0} | {Time(release.Summary?.LastSeen)} |\n");
        }

        foreach (var release in releases.Where(r => r.Accounts.Count > 0))
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Who calls {release.Release.Version}\n\n| account | last seen | requests |\n| --- | --- | --- |\n");
            foreach (var account in release.Accounts.Take(50))
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(account.AccountId)} | {Time(account.LastSeen)} | {account.Requests} |\n");
            }

            if (release.Accounts.Count > 50)
            {
                md.Append(CultureInfo.InvariantCulture, $"\nAnd {release.Accounts.Count - 50} more: every one is in `/docs/versions.json`.\n");
            }
        }

        return Results.Content(DocsHtml.Page("API versions", DocsHtml.Render(md.ToString())), "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>Every release, newest first, with its status, its counts and the accounts that call it; null when the store cannot be read.</summary>
    private async Task<List<ReleaseUsage>?> ReadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ApiVersionUsageSummary> summary = [];
        var accounts = new Dictionary<ApiVersion, IReadOnlyList<ApiVersionUsage>>();
        if (_usage is not null)
        {
            try
            {
                summary = await _usage.GetUsageSummaryAsync(cancellationToken).ConfigureAwait(false);
                foreach (var version in summary.Where(s => s.AccountsSeen > 0).Select(s => s.Version))
                {
                    accounts[version] = await _usage.GetUsageAsync(version, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (PinStoreUnavailableException)
            {
                return null;
            }
        }

        return [.. history.Releases.Reverse().Select(r => new ReleaseUsage(
            r,
            options.Value.StatusOf(r.Version),
            summary.FirstOrDefault(s => s.Version == r.Version),
            accounts.GetValueOrDefault(r.Version) ?? []))];
    }

    private static VersionKitError Unavailable()
        => new(StatusCodes.Status503ServiceUnavailable, VersionKitErrorCodes.PinStoreUnavailable, "Who calls which version cannot be read right now; retry after the time in Retry-After.");

    private static string KindName(ApiReleaseKind kind) => kind.ToString().ToLowerInvariant();

    private static string StatusName(ApiVersionStatus status) => status.ToString().ToLowerInvariant();

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    // Account ids are the caller's text: shown as code, with a pipe escaped so that it cannot end the cell.
    private static string Cell(string text) => "`` " + text.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal) + " ``";

    private sealed record ReleaseUsage(ApiRelease Release, ApiVersionStatus Status, ApiVersionUsageSummary? Summary, IReadOnlyList<ApiVersionUsage> Accounts);
}
