using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>A server dragged on the drawing stays where it was in an exported run opened in a new tab, and in a share link opened elsewhere.</summary>
[Collection(WebCollection.Name)]
public sealed class LayoutExportPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    private static async Task PauseAsync(IPage page)
    {
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true", new() { Timeout = Patience });
    }

    private static async Task WaitForServersAsync(IPage page, int count) =>
        await page.WaitForFunctionAsync($"() => document.querySelectorAll(\"[data-testid^='node-'][data-role]\").length === {count}", null, new() { Timeout = Patience });

    [Fact]
    public async Task A_dragged_server_is_where_it_was_dragged_in_an_imported_run_and_in_an_opened_link()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=19&nodes=5");
        await LivePage.WaitForLeaderAsync(page);
        await PauseAsync(page);
        var ring = await ServerArrangement.SettledAsync(page);
        await BrowserFixture.SaveScreenshotAsync(page, "layout-before-drag");

        var box = await ServerArrangement.DragAsync(page, 3, -120, -10); // next to S4's place: S4 gives way
        var arranged = await ServerArrangement.SettledAsync(page);
        Assert.True(Math.Abs(arranged[2][1] - ring[2][1]) * box.Width > 100, "the drag did not move S3");
        await BrowserFixture.SaveScreenshotAsync(page, "layout-dragged");

        // The copy link is rebuilt after the drag, paused or not: wait for one that differs from before.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-scenario']").ClickAsync());
        var path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "exported-run-with-layout.json");
        await download.SaveAsAsync(path);
        var file = await File.ReadAllTextAsync(path);
        Assert.Contains("\"layout\"", file);
        Assert.Contains("\"node\": 3", file);
        string? href = null;
        for (var i = 0; i < 50 && href is null; i++)
        {
            var candidate = await page.Locator("[data-testid='copy-link']").GetAttributeAsync("href");
            if (candidate is not null && candidate.StartsWith("/?run=", StringComparison.Ordinal)) href = candidate;
            else await page.WaitForTimeoutAsync(100);
        }
        Assert.NotNull(href);

        // Import in a new tab whose own cluster is another one, its servers on the ring.
        var (tab, tabErrors) = await LivePage.OpenAsync(context, "?speed=1&seed=5&nodes=3");
        await PauseAsync(tab);
        await tab.Locator("[data-testid='import-scenario']").SetInputFilesAsync(path);
        await Expect(tab.Locator("[data-testid='seed']")).ToHaveAttributeAsync("data-seed", "19", new() { Timeout = Patience });
        await WaitForServersAsync(tab, 5);
        ServerArrangement.AssertSame(arranged, await ServerArrangement.SettledAsync(tab), "imported");
        await BrowserFixture.SaveScreenshotAsync(tab, "imported-layout");

        // The link, opened by someone else.
        await using var other = await browser.NewContextAsync(app.BaseAddress);
        var (opened, openedErrors) = await LivePage.OpenAsync(other, href.TrimStart('/'));
        await Expect(opened.Locator("[data-testid='seed']")).ToHaveAttributeAsync("data-seed", "19", new() { Timeout = Patience });
        await WaitForServersAsync(opened, 5);
        ServerArrangement.AssertSame(arranged, await ServerArrangement.SettledAsync(opened), "opened from the link");
        await BrowserFixture.SaveScreenshotAsync(opened, "link-layout");

        Assert.Empty(errors);
        Assert.Empty(tabErrors);
        Assert.Empty(openedErrors);
    }
}
