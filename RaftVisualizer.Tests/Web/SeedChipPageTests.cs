using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>The seed chip's membership text never wraps the control bar: at 1280×800 and in projector mode the bar keeps its height when a server joins.</summary>
[Collection(WebCollection.Name)]
public sealed class SeedChipPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    /// <summary>The control bar's height, the seed chip's height and its line height, in CSS pixels.</summary>
    private static Task<double[]> MeasureAsync(IPage page) => page.EvaluateAsync<double[]>(@"() => {
        const bar = document.querySelector(""[data-testid='control-bar']"").getBoundingClientRect();
        const seed = document.querySelector(""[data-testid='seed']"");
        const box = seed.getBoundingClientRect();
        const style = getComputedStyle(seed);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
        return [bar.height, box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom), line];
    }");

    private static async Task ProjectorAsync(IPage page, bool on)
    {
        await page.Locator("[data-testid='projector-toggle']").ClickAsync();
        await Expect(page.Locator("[data-testid='app-root']")).ToHaveAttributeAsync("data-projector", on ? "true" : "false");
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.documentElement).fontSize === '{(on ? 20 : 16)}px'");
        await page.Mouse.MoveAsync(640, 500); // off the toggle, so its tooltip does not cover the bar
        await page.WaitForTimeoutAsync(300); // the panels fold away
    }

    /// <summary>The control bar alone, large enough to look at.</summary>
    private static Task SaveBarAsync(IPage page, string name) =>
        page.Locator("[data-testid='control-bar']").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, name + ".png") });

    private static void AssertOneLine(double[] measured, string where) =>
        Assert.True(measured[1] < 1.5 * measured[2], $"{where}: the seed chip's text is {measured[1]:0.#} px high, more than one line of {measured[2]:0.#} px");

    [Fact]
    public async Task The_seed_chip_stays_on_one_line_and_the_control_bar_keeps_its_height_when_a_server_joins()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=7&nodes=5");
        await LivePage.WaitForLeaderAsync(page);
        await page.WaitForTimeoutAsync(600); // the leader commits an entry of its term: only then may it change the configuration
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true");
        await Expect(page.Locator("[data-testid='seed-members']")).ToHaveTextAsync("5 nodes");
        var before = await MeasureAsync(page);
        await ProjectorAsync(page, on: true);
        var projectorBefore = await MeasureAsync(page);
        await ProjectorAsync(page, on: false);

        await page.Locator("[data-testid='add-server']").ClickAsync();
        var members = page.Locator("[data-testid='seed-members']");
        await Expect(members).ToHaveTextAsync("5 voting + 1 learner · started with 5", new() { Timeout = Patience });
        var after = await MeasureAsync(page);
        await BrowserFixture.SaveScreenshotAsync(page, "seed-chip-after-add");
        await SaveBarAsync(page, "seed-chip-bar");
        await ProjectorAsync(page, on: true);
        var projectorAfter = await MeasureAsync(page);
        await BrowserFixture.SaveScreenshotAsync(page, "seed-chip-projector");
        await SaveBarAsync(page, "seed-chip-bar-projector");

        AssertOneLine(after, "1280×800");
        AssertOneLine(projectorAfter, "projector mode");
        Assert.Equal(before[0], after[0], 0.5);
        Assert.Equal(projectorBefore[0], projectorAfter[0], 0.5);
        // The whole text is one hover away, however much of it the chip shows.
        Assert.Contains("5 voting + 1 learner · started with 5", await page.Locator("[data-testid='seed']").GetAttributeAsync("title"));
        Assert.Empty(errors);
    }
}
