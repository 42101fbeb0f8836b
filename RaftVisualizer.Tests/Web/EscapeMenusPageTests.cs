using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>Escape closes whichever menu is open over the drawing: a server's, a link's (even while typing in its fields), a message's.</summary>
[Collection(WebCollection.Name)]
public sealed class EscapeMenusPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    [Fact]
    public async Task Escape_closes_the_node_menu_the_link_menu_from_its_latency_field_and_the_message_panel()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=0.2&seed=3&nodes=3");
        await LivePage.WaitForLeaderAsync(page);
        await page.WaitForFunctionAsync("() => document.body.dataset.raftKeys === 'ready'", null, new() { Timeout = Patience });
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='cluster-canvas']")).ToHaveAttributeAsync("data-paused", "true", new() { Timeout = Patience });

        // A server's menu.
        await page.Locator("[data-testid='node-2']").ClickAsync();
        var nodeMenu = page.Locator("[data-testid='node-menu']");
        await Expect(nodeMenu).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(nodeMenu).ToHaveCountAsync(0);

        // A link's menu, with the cursor in its latency field (keys typed there are text, but Escape types nothing).
        await page.Locator("[data-testid='link-1-2'] line.hit").ClickAsync(new() { Force = true });
        var linkMenu = page.Locator("[data-testid='link-menu']");
        await Expect(linkMenu).ToBeVisibleAsync();
        var latency = page.Locator("[data-testid='link-menu-latency']");
        await latency.FocusAsync();
        await latency.PressAsync("s"); // typing, not a step
        await Expect(page.Locator("[data-testid='cluster-canvas']")).ToHaveAttributeAsync("data-paused", "true");
        await latency.PressAsync("Escape");
        await Expect(linkMenu).ToHaveCountAsync(0);

        // A message's panel.
        for (var i = 0; i < 60 && await page.Locator("[data-testid='message']").CountAsync() == 0; i++)
        {
            await page.Locator("[data-testid='step']").ClickAsync();
            await page.WaitForTimeoutAsync(100);
        }
        await page.Locator("[data-testid='message']").First.ClickAsync();
        var details = page.Locator("[data-testid='message-details']");
        await Expect(details).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "message-details-before-escape");
        await page.Keyboard.PressAsync("Escape");
        await Expect(details).ToHaveCountAsync(0);
        await BrowserFixture.SaveScreenshotAsync(page, "menus-closed-by-escape");
        Assert.Empty(errors);
    }
}
