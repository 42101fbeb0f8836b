using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>
/// The page as a student with red-green colour blindness sees it: Chromium's own simulation
/// (DevTools' Emulation.setEmulatedVisionDeficiency) over a cluster that went through several terms,
/// with a leader, followers and a crashed server. The screenshots are for a person to look at;
/// the palette's numbers are checked in TermPaletteTests.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ColourBlindPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    private static Task<int> HighestTermAsync(IPage page) => page.EvaluateAsync<int>(
        "() => Math.max(...[...document.querySelectorAll(\"[data-testid^='node-'][data-term]\")].map(n => +n.dataset.term))");

    [Fact]
    public async Task Several_terms_and_every_role_under_simulated_protanopia_and_deuteranopia()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=7&nodes=5");
        var leader = await LivePage.WaitForLeaderAsync(page);
        // Three forced elections: terms 1 to 4, each leader's no-op in the logs in its term's colour.
        while (await HighestTermAsync(page) < 4)
        {
            var term = await HighestTermAsync(page);
            var follower = page.Locator($"[data-testid^='node-'][data-role='Follower'][data-up='true']").First;
            await follower.ClickAsync();
            await page.Locator("[data-testid='node-menu-timeout']").ClickAsync();
            await page.WaitForFunctionAsync($"() => document.querySelector(\"{LivePage.LiveLeader}[data-term='{term + 1}'], {LivePage.LiveLeader}[data-term='{term + 2}']\") !== null", null, new() { Timeout = Patience });
            leader = await LivePage.WaitForLeaderAsync(page);
        }
        var down = page.Locator($"[data-testid^='node-'][data-role='Follower'][data-up='true']").First;
        var downId = await down.GetAttributeAsync("data-testid");
        await down.ClickAsync();
        await page.Locator("[data-testid='node-menu-crash']").ClickAsync();
        await Expect(page.Locator($"[data-testid='{downId}']")).ToHaveAttributeAsync("data-up", "false", new() { Timeout = Patience });
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true", new() { Timeout = Patience });
        var terms = await page.EvaluateAsync<int[]>("() => [...new Set([...document.querySelectorAll('.log-row .entry')].map(e => +e.dataset.term))]");
        Assert.True(terms.Length >= 3, $"the logs hold entries of terms {string.Join(", ", terms)} only");

        var normal = await page.ScreenshotAsync(new() { FullPage = true });
        await BrowserFixture.SaveScreenshotAsync(page, "vision-normal");
        var cdp = await context.NewCDPSessionAsync(page);
        foreach (var deficiency in new[] { "protanopia", "deuteranopia" })
        {
            await cdp.SendAsync("Emulation.setEmulatedVisionDeficiency", new Dictionary<string, object> { ["type"] = deficiency });
            var path = await BrowserFixture.SaveScreenshotAsync(page, $"vision-{deficiency}");
            Assert.NotEqual(normal, await File.ReadAllBytesAsync(path)); // the simulation was applied
        }
        await cdp.SendAsync("Emulation.setEmulatedVisionDeficiency", new Dictionary<string, object> { ["type"] = "none" });
        // Roles are told by shape and badge, not by colour alone: the leader is a rounded square with a crown, the crashed server a cross.
        await Expect(page.Locator($"[data-testid='{leader}'] rect.body")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-testid='{leader}'] [data-testid='leader']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-testid='{downId}'] .down-mark")).ToHaveCountAsync(1);
        Assert.Empty(errors);
    }
}
