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

    /// <summary>
    /// Each server's centre relative to S1's, in units of a server's drawn width: the arrangement
    /// itself, whatever the zoom and pan of the page (one tab may fit the drawing a little differently).
    /// </summary>
    private static Task<double[][]> ArrangementAsync(IPage page) => page.EvaluateAsync<double[][]>(@"() => {
        const centre = id => { const b = document.querySelector(`[data-testid='node-${id}'] .body`).getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2, b.width]; };
        const ids = [...document.querySelectorAll(""[data-testid^='node-'][data-role]"")].map(n => +n.dataset.testid.slice(5)).sort((a, b) => a - b);
        const [x1, y1, w] = centre(ids[0]);
        return ids.map(id => { const [x, y] = centre(id); return [id, (x - x1) / w, (y - y1) / w, w]; });
    }");

    /// <summary>The arrangement once the servers have stopped gliding (two reads 250 ms apart agree).</summary>
    private static async Task<double[][]> SettledArrangementAsync(IPage page)
    {
        var last = await ArrangementAsync(page);
        for (var i = 0; i < 40; i++)
        {
            await page.WaitForTimeoutAsync(250);
            var now = await ArrangementAsync(page);
            var still = now.Length == last.Length && now.Zip(last).All(p => Math.Abs(p.First[1] - p.Second[1]) * p.First[3] < 0.5 && Math.Abs(p.First[2] - p.Second[2]) * p.First[3] < 0.5);
            if (still) return now;
            last = now;
        }
        return last;
    }

    private static async Task WaitForServersAsync(IPage page, int count) =>
        await page.WaitForFunctionAsync($"() => document.querySelectorAll(\"[data-testid^='node-'][data-role]\").length === {count}", null, new() { Timeout = Patience });

    /// <summary>The same arrangement within a few pixels at the original page's scale.</summary>
    private static void AssertSameArrangement(double[][] expected, double[][] actual, string where)
    {
        Assert.Equal(expected.Select(s => s[0]), actual.Select(s => s[0]));
        var width = expected[0][3];
        for (var i = 0; i < expected.Length; i++)
        {
            var dx = (actual[i][1] - expected[i][1]) * width;
            var dy = (actual[i][2] - expected[i][2]) * width;
            Assert.True(Math.Abs(dx) < 4 && Math.Abs(dy) < 4, $"{where}: S{expected[i][0]} is {dx:0.0}, {dy:0.0} px from where it was arranged");
        }
    }

    [Fact]
    public async Task A_dragged_server_is_where_it_was_dragged_in_an_imported_run_and_in_an_opened_link()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=19&nodes=5");
        await LivePage.WaitForLeaderAsync(page);
        await PauseAsync(page);
        var ring = await SettledArrangementAsync(page);
        await BrowserFixture.SaveScreenshotAsync(page, "layout-before-drag");

        var server = page.Locator("[data-testid='node-3'] .body");
        var box = await server.BoundingBoxAsync() ?? throw new InvalidOperationException("S3 is not on screen");
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x - 60, y - 5, new() { Steps = 5 });
        await page.Mouse.MoveAsync(x - 120, y - 10, new() { Steps = 5 }); // next to S4's place: S4 gives way

        await page.Mouse.UpAsync();
        var arranged = await SettledArrangementAsync(page);
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
        AssertSameArrangement(arranged, await SettledArrangementAsync(tab), "imported");
        await BrowserFixture.SaveScreenshotAsync(tab, "imported-layout");

        // The link, opened by someone else.
        await using var other = await browser.NewContextAsync(app.BaseAddress);
        var (opened, openedErrors) = await LivePage.OpenAsync(other, href.TrimStart('/'));
        await Expect(opened.Locator("[data-testid='seed']")).ToHaveAttributeAsync("data-seed", "19", new() { Timeout = Patience });
        await WaitForServersAsync(opened, 5);
        AssertSameArrangement(arranged, await SettledArrangementAsync(opened), "opened from the link");
        await BrowserFixture.SaveScreenshotAsync(opened, "link-layout");

        Assert.Empty(errors);
        Assert.Empty(tabErrors);
        Assert.Empty(openedErrors);
    }
}
