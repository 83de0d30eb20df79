using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>
/// The changelog and upgrade pages as a person sees them, in a real headless Chromium: the headings, the warning for a
/// pinned account, and nothing wider than the window, on a laptop and on a phone. Screenshots go to
/// <c>screenshots/</c> in the test output folder, for a person to look at.
/// </summary>
public sealed class BrowserTests(PaymentsServer server) : IClassFixture<PaymentsServer>
{
    private static readonly string Latest = PaymentsApiHistory.Version.V2024_10_28_Acacia.ToString();

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    // What a person sees, read from the laid-out page: headings, the warning box, and any element that sticks out of the
    // window outside a scrolling box (tables scroll on their own).
    private const string WhatThePageShows = """
        (() => {
          const width = window.innerWidth;
          const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) { const x = getComputedStyle(p).overflowX; if (x === 'auto' || x === 'scroll') return true; } return false; };
          const outside = [...document.querySelectorAll('body *')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > width + 1 || r.left < -1) && !scrolls(e); })
            .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40));
          const box = document.querySelector('.warning');
          const rect = box ? box.getBoundingClientRect() : null;
          const h2 = document.querySelector('main h2');
          return {
            width, scrollWidth: document.documentElement.scrollWidth,
            title: document.title,
            h1: document.querySelector('h1')?.textContent ?? null,
            h2: [...document.querySelectorAll('main h2')].map(h => h.textContent),
            warning: box ? {
              text: box.innerText,
              shown: rect.width > 0 && rect.height > 0 && getComputedStyle(box).display !== 'none' && getComputedStyle(box).visibility !== 'hidden',
              above: h2 ? rect.bottom <= h2.getBoundingClientRect().top : true,
              background: getComputedStyle(box).backgroundColor
            } : null,
            outside
          };
        })()
        """;

    private async Task<JsonObject> OpenAsync(HeadlessChromium browser, string path, string account, int width, string screenshot)
    {
        var page = await browser.OpenAsync(server.Client.BaseAddress + path.TrimStart('/'), width, 900, new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer sk_test_" + account,
        });
        await page.ScreenshotAsync(Path.Combine(ScreenshotFolder, screenshot + ".png"));
        await page.ScreenshotAsync(Path.Combine(ScreenshotFolder, screenshot + "-first-screen.png"), wholePage: false);
        return (await page.EvaluateAsync(WhatThePageShows))!.AsObject();
    }

    private static void AssertNothingWiderThanTheWindow(JsonObject shown)
    {
        Assert.True((int)shown["scrollWidth"]! <= (int)shown["width"]!, $"the page is {shown["scrollWidth"]} px wide in a {shown["width"]} px window");
        Assert.Empty(shown["outside"]!.AsArray().Select(e => (string?)e));
    }

    private static void AssertWarning(JsonObject shown, string expected)
    {
        var warning = shown["warning"] ?? throw new Xunit.Sdk.XunitException("the page shows no warning box");
        Assert.True((bool)warning["shown"]!, "the warning box is not visible");
        Assert.True((bool)warning["above"]!, "the warning box is not above the first section");
        Assert.Contains(expected, (string?)warning["text"], StringComparison.Ordinal);
        Assert.NotEqual("rgba(0, 0, 0, 0)", (string?)warning["background"]);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task The_changelog_page_shows_every_version_and_warns_a_pinned_account(int width)
    {
        string account = await server.CreateAccountAsync("2014-05-19");
        await using var browser = await HeadlessChromium.StartAsync();

        var shown = await OpenAsync(browser, "/docs/changelog", account, width, $"changelog-{width}");

        Assert.Equal("API changelog", (string?)shown["h1"]);
        Assert.Equal(
            ["Previews", "Acacia", .. PaymentsApiHistory.Default.Versions.Where(v => v.ReleaseName is null).Reverse().Select(v => v.ToString())],
            shown["h2"]!.AsArray().Select(h => (string?)h));
        AssertWarning(shown, "since your version, 2014-05-19");
        AssertNothingWiderThanTheWindow(shown);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task The_upgrade_page_shows_what_changed_since_the_pinned_version(int width)
    {
        string account = await server.CreateAccountAsync("2014-05-19");
        await using var browser = await HeadlessChromium.StartAsync();

        var shown = await OpenAsync(browser, "/docs/upgrade", account, width, $"upgrade-{width}");

        Assert.Equal($"Upgrading from 2014-05-19 to {Latest}", (string?)shown["h1"]);
        var guide = PaymentsApiHistory.Default.GetUpgradeGuide(VersionKit.ApiVersion.Parse("2014-05-19"), PaymentsApiHistory.Default.Latest);
        Assert.Equal(
            ["Changes with side effects", "Endpoints", .. guide.Resources.Select(r => r.ObjectName), .. guide.Requests.Select(r => "Request " + r.Name)],
            shown["h2"]!.AsArray().Select(h => (string?)h));
        Assert.Contains("bank_account", guide.Resources.Select(r => r.ObjectName));
        AssertWarning(shown, "since your version, 2014-05-19");
        AssertNothingWiderThanTheWindow(shown);
    }

    [Fact]
    public async Task A_bad_version_shows_an_error_page_a_person_can_read()
    {
        string account = await server.CreateAccountAsync();
        await using var browser = await HeadlessChromium.StartAsync();

        var page = await browser.OpenAsync(server.Client.BaseAddress + "docs/upgrade?from=2015-01-01", 390, 900, new Dictionary<string, string> { ["Authorization"] = "Bearer sk_test_" + account });
        await page.ScreenshotAsync(Path.Combine(ScreenshotFolder, "upgrade-bad-request-390.png"));
        var error = await page.EvaluateAsync("(() => { const e = document.querySelector('.error'); const r = e.getBoundingClientRect(); return { text: e.innerText, shown: r.width > 0 && r.height > 0, right: r.right, width: window.innerWidth }; })()");

        Assert.True((bool)error!["shown"]!);
        Assert.Contains("'2015-01-01' is not a version of this API", (string?)error["text"], StringComparison.Ordinal);
        Assert.True((double)error["right"]! <= (int)error["width"]!);
    }
}
