using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>The protocol panel in real headless Chromium: switch to ReadIndex, read, and see the log not grow.</summary>
[Collection(WebCollection.Name)]
public sealed class ProtocolPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    [Fact]
    public async Task With_ReadIndex_chosen_in_the_protocol_panel_a_get_answers_without_a_new_log_entry()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=5&nodes=5");
        await LivePage.WaitForLeaderAsync(page);

        await page.Locator("[data-testid='protocol-open']").ClickAsync();
        await page.Locator("[data-testid='protocol-read-ReadIndex']").CheckAsync();
        await page.Locator("[data-testid='protocol-prevote']").CheckAsync();
        await Expect(page.Locator("[data-testid='protocol-pending']")).ToContainTextAsync("2 changes");
        await BrowserFixture.SaveScreenshotAsync(page, "protocol-panel");
        await page.Locator(".protocol-panel").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "protocol-panel-close-up.png") });
        await page.Locator("[data-testid='protocol-apply']").ClickAsync();
        await Expect(page.Locator("[data-testid='protocol-message']")).ToContainTextAsync("Started a new cluster from seed 5: pre-vote, ReadIndex reads");
        await Expect(page.Locator("[data-testid='protocol-summary']")).ToHaveTextAsync("pre-vote, ReadIndex reads");
        await Expect(page.Locator("[data-testid='kv-read-ReadIndex']")).ToBeCheckedAsync();

        var leader = await LivePage.WaitForLeaderAsync(page);
        await page.Locator("input[data-testid='kv-key']").FillAsync("colour");
        await page.Locator("input[data-testid='kv-value']").FillAsync("blue");
        await page.Locator("[data-testid='kv-put']").ClickAsync();
        await Expect(page.Locator("[data-testid='kv-result']")).ToHaveAttributeAsync("data-status", "ok", new() { Timeout = Patience });
        var leaderLog = page.Locator($"[data-testid='log-{leader["node-".Length..]}']");
        await Expect(leaderLog).ToHaveAttributeAsync("data-commit", await leaderLog.GetAttributeAsync("data-length") ?? "", new() { Timeout = Patience });
        var before = await leaderLog.GetAttributeAsync("data-length");

        await page.Locator("[data-testid='kv-get']").ClickAsync();
        await Expect(page.Locator("[data-testid='kv-result-value']")).ToHaveTextAsync("blue", new() { Timeout = Patience });

        await Expect(page.Locator("[data-testid='kv-read-by']")).ToContainTextAsync("no log entry");
        Assert.Equal(before, await leaderLog.GetAttributeAsync("data-length"));
        Assert.Equal(0, await page.Locator(".entry[title*='get colour']").CountAsync());
        Assert.Equal(1, await page.Locator($"[data-testid='log-{leader["node-".Length..]}'] .entry[title*='put colour=blue']").CountAsync());
        await BrowserFixture.SaveScreenshotAsync(page, "readindex-read");
        await page.Locator(".kv-form").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "readindex-read-close-up.png") });
        Assert.Empty(errors);
    }
}
