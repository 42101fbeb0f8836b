using System.Globalization;
using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>Time travel in real Chromium: scrub back before a crash, step, return live; export and import; a share link.</summary>
[Collection(WebCollection.Name)]
public sealed class TimelinePageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    private static Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowserContext context, string query) =>
        LivePage.OpenAsync(context, query, readyTestId: "timeline");

    private static Task<string> WaitForLeaderAsync(IPage page, string? not = null) => LivePage.WaitForLeaderAsync(page, not);

    private static async Task CrashFromMenuAsync(IPage page, string node)
    {
        await page.Locator($"[data-testid='{node}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-crash']").ClickAsync();
        await Expect(page.Locator($"[data-testid='{node}']")).ToHaveAttributeAsync("data-up", "false", new() { Timeout = Patience });
    }

    private static async Task PauseAsync(IPage page)
    {
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true", new() { Timeout = Patience });
    }

    /// <summary>Every server as the canvas draws it, plus the seed and the clock: what "the same run" means on screen.</summary>
    private static Task<string> StateAsync(IPage page) => page.EvaluateAsync<string>(@"() =>
        document.querySelector(""[data-testid='seed']"").dataset.seed + ' ' +
        document.querySelector(""[data-testid='sim-clock']"").textContent.trim() + ' | ' +
        [...document.querySelectorAll(""[data-testid^='node-'][data-role]"")]
            .map(n => `${n.dataset.testid}:${n.dataset.role}:${n.dataset.term}:${n.dataset.up}`).join(' ')");

    private static async Task<long> CursorStepAsync(IPage page) =>
        long.Parse((await page.Locator("[data-testid='timeline']").GetAttributeAsync("data-cursor-step"))!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Scrubbing_back_before_a_crash_shows_the_leader_up_and_live_shows_it_down()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await OpenAsync(context, "?speed=1&seed=11&nodes=5");
        var leader = await WaitForLeaderAsync(page);
        await CrashFromMenuAsync(page, leader);
        await WaitForLeaderAsync(page, not: leader);

        var crash = page.Locator("[data-testid='marker'][data-kind='crash']");
        await Expect(crash).ToHaveCountAsync(1, new() { Timeout = Patience });
        var crashMs = long.Parse((await crash.GetAttributeAsync("data-ms"))!, CultureInfo.InvariantCulture);
        var before = (crashMs - 20).ToString(CultureInfo.InvariantCulture);

        await page.Locator("[data-testid='timeline-scrub']").FillAsync(before);
        var bar = page.Locator("[data-testid='timeline']");
        await Expect(bar).ToHaveAttributeAsync("data-live", "false", new() { Timeout = Patience });
        await Expect(bar).ToHaveAttributeAsync("data-cursor-ms", before, new() { Timeout = Patience });
        await Expect(page.Locator($"[data-testid='{leader}']")).ToHaveAttributeAsync("data-up", "true", new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid='timeline-banner']")).ToContainTextAsync("starts a new branch");
        await BrowserFixture.SaveScreenshotAsync(page, "timeline-in-the-past");

        // One event forward and back, by button and by key.
        var step = await CursorStepAsync(page);
        await page.Locator("[data-testid='timeline-forward']").ClickAsync();
        await Expect(bar).ToHaveAttributeAsync("data-cursor-step", (step + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = Patience });
        await page.Locator("[data-testid='timeline-back']").ClickAsync();
        await Expect(bar).ToHaveAttributeAsync("data-cursor-step", step.ToString(CultureInfo.InvariantCulture), new() { Timeout = Patience });
        await page.WaitForFunctionAsync("() => document.body.dataset.raftKeys === 'ready'");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(bar).ToHaveAttributeAsync("data-cursor-step", (step - 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = Patience });
        await Expect(page.Locator($"[data-testid='{leader}']")).ToHaveAttributeAsync("data-up", "true");

        // Shift+→ jumps to the next marker; the crash is one of them, so soon the leader is down at the cursor.
        await crash.ClickAsync();
        await Expect(page.Locator($"[data-testid='{leader}']")).ToHaveAttributeAsync("data-up", "false", new() { Timeout = Patience });
        await Expect(bar).ToHaveAttributeAsync("data-live", "false");

        await page.Locator("[data-testid='timeline-live']").ClickAsync();
        await Expect(bar).ToHaveAttributeAsync("data-live", "true", new() { Timeout = Patience });
        await Expect(page.Locator($"[data-testid='{leader}']")).ToHaveAttributeAsync("data-up", "false");
        await Expect(page.Locator("[data-testid='timeline-banner']")).ToHaveCountAsync(0);
        await BrowserFixture.SaveScreenshotAsync(page, "timeline-live");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_exported_run_imported_in_a_new_tab_shows_the_same_seed_and_state()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await OpenAsync(context, "?speed=1&seed=23&nodes=5");
        var leader = await WaitForLeaderAsync(page);
        await CrashFromMenuAsync(page, leader);
        await WaitForLeaderAsync(page, not: leader);
        await PauseAsync(page);
        var state = await StateAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-scenario']").ClickAsync());
        var path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "exported-run.json");
        await download.SaveAsAsync(path);
        Assert.Contains($"\"version\": {RaftVisualizer.Core.Scenarios.ScenarioJson.Version}", await File.ReadAllTextAsync(path));

        var (tab, tabErrors) = await OpenAsync(context, "?speed=1&seed=5&nodes=3");
        await PauseAsync(tab);
        await tab.Locator("[data-testid='import-scenario']").SetInputFilesAsync(path);
        await Expect(tab.Locator("[data-testid='seed']")).ToHaveAttributeAsync("data-seed", "23", new() { Timeout = Patience });
        await tab.WaitForFunctionAsync("() => document.querySelectorAll(\"[data-testid^='node-'][data-role]\").length === 5");
        Assert.Equal(state, await StateAsync(tab));
        await Expect(tab.Locator("[data-testid='marker'][data-kind='crash']")).ToHaveCountAsync(1);
        await Expect(tab.Locator("[data-testid='feed-lines'] li.line[data-category='Faults']")).Not.ToHaveCountAsync(0); // the replay's story is in the feed

        // A foreign file changes nothing and says why.
        var foreign = Path.Combine(BrowserFixture.ScreenshotsDirectory, "not-a-run.json");
        await File.WriteAllTextAsync(foreign, "{\"name\": \"my shopping list\"}");
        await tab.Locator("[data-testid='import-scenario']").SetInputFilesAsync(foreign);
        await Expect(tab.Locator("[data-testid='run-tools-message']")).ToContainTextAsync("not a RaftVisualizer run", new() { Timeout = Patience });
        await Expect(tab.Locator("[data-testid='run-tools-message']")).ToContainTextAsync("Nothing was changed");
        Assert.Equal(state, await StateAsync(tab));
        await BrowserFixture.SaveScreenshotAsync(tab, "import-refused");
        Assert.Empty(errors);
        Assert.Empty(tabErrors);
    }

    [Fact]
    public async Task The_copy_link_opens_the_same_run_in_a_new_context_and_a_broken_link_says_so()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await OpenAsync(context, "?speed=1&seed=31&nodes=5");
        var leader = await WaitForLeaderAsync(page);
        await CrashFromMenuAsync(page, leader);
        await WaitForLeaderAsync(page, not: leader);
        await PauseAsync(page);
        var state = await StateAsync(page);
        // the link is rebuilt on the pause; wait for the one that holds the paused run
        string? href = null;
        for (var i = 0; i < 50 && href is null; i++)
        {
            var candidate = await page.Locator("[data-testid='copy-link']").GetAttributeAsync("href");
            if (candidate is not null && candidate.StartsWith("/?run=", StringComparison.Ordinal)) href = candidate;
            else await page.WaitForTimeoutAsync(100);
        }
        Assert.NotNull(href);
        Assert.True(href.Length < 6100, $"the link is {href.Length} characters");

        await using var other = await browser.NewContextAsync(app.BaseAddress);
        var (opened, openedErrors) = await OpenAsync(other, href.TrimStart('/'));
        await Expect(opened.Locator("[data-testid='seed']")).ToHaveAttributeAsync("data-seed", "31", new() { Timeout = Patience });
        await Expect(opened.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true");
        Assert.Equal(state, await StateAsync(opened));
        await BrowserFixture.SaveScreenshotAsync(opened, "opened-from-link");

        var (broken, _) = await OpenAsync(other, "?run=" + href["/?run=".Length..][..40] + "xyz");
        await Expect(broken.Locator("[data-testid='query-problem']")).ToContainTextAsync("nothing was changed", new() { Timeout = Patience });
        Assert.Empty(errors);
        Assert.Empty(openedErrors);
    }
}
