using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>A server removed while down keeps campaigning when it comes back; the feed folds its attempts into one line.</summary>
[Collection(WebCollection.Name)]
public sealed class FeedFoldingPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    [Fact]
    public async Task A_removed_server_campaigning_again_and_again_is_one_folded_line_in_the_feed()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=7&nodes=5");
        var leader = await LivePage.WaitForLeaderAsync(page);
        await page.WaitForTimeoutAsync(600); // the leader commits an entry of its term first
        var victim = new[] { "node-1", "node-2", "node-3" }.First(n => n != leader);
        var server = page.Locator($"g[data-testid='{victim}']");
        await server.ClickAsync();
        await page.Locator("[data-testid='node-menu-crash']").ClickAsync();
        await Expect(server).ToHaveAttributeAsync("data-up", "false", new() { Timeout = Patience });
        await server.ClickAsync();
        await page.Locator("[data-testid='node-menu-remove']").ClickAsync();
        await Expect(page.Locator("[data-testid='cluster-config']")).Not.ToContainTextAsync("S" + victim["node-".Length..], new() { Timeout = Patience });
        await server.ClickAsync();
        await page.Locator("[data-testid='node-menu-restart']").ClickAsync();
        await Expect(server).ToHaveAttributeAsync("data-up", "true", new() { Timeout = Patience });

        var folded = page.Locator("[data-testid='feed-lines'] li.line.folded");
        await Expect(folded).ToHaveCountAsync(1, new() { Timeout = Patience });
        await Expect(folded).ToContainTextAsync("won none", new() { Timeout = Patience });
        await page.WaitForTimeoutAsync(1500);
        await Expect(folded).ToHaveCountAsync(1); // still one line, however many more attempts
        await page.Locator("[data-testid='pause']").ClickAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "feed-folded-campaigns");
        Assert.Empty(errors);
    }
}
