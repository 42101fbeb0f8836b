using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>The live page in real headless Chromium: watch an election, crash the leader, pause, write a key.</summary>
[Collection(WebCollection.Name)]
public sealed class LivePageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(string query)
    {
        var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, query);
        return (context, page, errors);
    }

    private static Task<string> WaitForLeaderAsync(IPage page, string? not = null) => LivePage.WaitForLeaderAsync(page, not);

    /// <summary>Waits until canvas.js has drawn two more animation frames than it had.</summary>
    private static async Task AnimationFramesAsync(IPage page)
    {
        var frames = await page.EvaluateAsync<int>("() => window.__raftFrames || 0");
        await page.WaitForFunctionAsync("n => (window.__raftFrames || 0) >= n + 2", frames, new() { Timeout = Patience });
    }

    [Fact]
    public async Task A_leader_appears_with_its_badge_and_messages_fly()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=7&nodes=5");
        await using var _ = context;

        var leader = await WaitForLeaderAsync(page);

        await Expect(page.Locator($"[data-testid='{leader}'] [data-testid='leader']")).ToHaveCountAsync(1);
        Assert.Equal(5, await page.Locator("[data-testid^='node-'][data-role]").CountAsync());
        Assert.Equal(4, await page.Locator("[data-testid^='node-'][data-role='Follower']").CountAsync());
        await page.Locator("[data-testid='message']").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Patience });
        await BrowserFixture.SaveScreenshotAsync(page, "live-page");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Crashing_the_leader_from_its_menu_brings_a_different_leader()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=11&nodes=5");
        await using var _ = context;
        var old = await WaitForLeaderAsync(page);

        await page.Locator($"[data-testid='{old}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-crash']").WaitForAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "node-menu");
        await page.Locator("[data-testid='node-menu-crash']").ClickAsync();

        await Expect(page.Locator($"[data-testid='{old}']")).ToHaveAttributeAsync("data-up", "false");
        var next = await WaitForLeaderAsync(page, not: old);
        Assert.NotEqual(old, next);
        await Expect(page.Locator($"[data-testid='{old}']")).ToHaveAttributeAsync("data-up", "false");
        // The new leader won a later term than the one the crashed leader led (at most one leader per term).
        var oldTerm = long.Parse(await page.Locator($"[data-testid='{old}']").GetAttributeAsync("data-term") ?? "0");
        var newTerm = long.Parse(await page.Locator($"[data-testid='{next}']").GetAttributeAsync("data-term") ?? "0");
        Assert.True(newTerm > oldTerm, $"the new leader {next} leads term {newTerm}, not later than the crashed leader's term {oldTerm}");
        await BrowserFixture.SaveScreenshotAsync(page, "after-crash");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_bad_query_value_gets_a_sentence_on_the_page_and_the_cluster_runs()
    {
        var (context, page, errors) = await OpenAsync("?speed=abc&nodes=4&seed=-1");
        await using var _ = context;

        var problem = page.Locator("[data-testid='query-problem']");
        await Expect(problem).ToContainTextAsync("speed=abc: Speed must be a positive number");
        await Expect(problem).ToContainTextAsync("nodes=4 is not offered (3, 5 or 7)");
        await Expect(problem).ToContainTextAsync("seed=-1 must be a positive whole number");
        await WaitForLeaderAsync(page); // the defaults run: a leader appears
        Assert.Equal(5, await page.Locator("g[data-testid^='node-'][data-role]").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_paused_page_stops_moving()
    {
        var (context, page, errors) = await OpenAsync("?speed=0.2&seed=3&nodes=5");
        await using var _ = context;
        await WaitForLeaderAsync(page);
        await page.Locator("[data-testid='message']").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Patience });

        await page.Locator("[data-testid='pause']").ClickAsync();
        var canvas = page.Locator("[data-testid='cluster-canvas']");
        await Expect(canvas).ToHaveAttributeAsync("data-paused", "true");
        // The pause may fall between heartbeats with nothing in flight: step, as a student would,
        // until a message is on the wire, then read it twice.
        var dot = page.Locator("[data-testid='message']").First;
        for (var i = 0; i < 40 && await page.Locator("[data-testid='message']").CountAsync() == 0; i++)
        {
            var simNow = await canvas.GetAttributeAsync("data-sim-now");
            await page.Locator("[data-testid='step']").ClickAsync();
            try
            {
                // the step has shown once the clock moved or a message appeared
                await page.WaitForFunctionAsync(
                    "s => document.querySelector(\"[data-testid='cluster-canvas']\").getAttribute('data-sim-now') !== s || document.querySelector(\"[data-testid='message']\") !== null",
                    simNow, new() { Timeout = 2000 });
            }
            catch (TimeoutException) { } // a step at the same instant moves no clock: step again
        }
        await dot.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Patience });
        var id = await dot.GetAttributeAsync("data-id");
        var fixedDot = page.Locator($"[data-testid='message'][data-id='{id}']");
        var simBefore = await canvas.GetAttributeAsync("data-sim-now");
        var clockBefore = await page.Locator("[data-testid='sim-clock']").TextContentAsync();
        // The server draws a new dot at its start; canvas.js moves it on the next animation frame.
        // Read it once frames have run, and again after 300 ms and more frames, so "it did not
        // move" is the animation standing still, not a frame yet to come (or one that never ran).
        await AnimationFramesAsync(page);
        var before = await fixedDot.GetAttributeAsync("transform");
        await page.WaitForTimeoutAsync(300);
        await AnimationFramesAsync(page);
        var after = await fixedDot.GetAttributeAsync("transform");

        Assert.Equal(before, after);
        Assert.Equal(simBefore, await canvas.GetAttributeAsync("data-sim-now"));
        Assert.Equal(clockBefore, await page.Locator("[data-testid='sim-clock']").TextContentAsync());
        await Expect(page.Locator("[data-testid='canvas-paused']")).ToBeVisibleAsync();

        await fixedDot.ClickAsync();
        await Expect(page.Locator("[data-testid='message-details']")).ToContainTextAsync("Term");
        await BrowserFixture.SaveScreenshotAsync(page, "message-details");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_key_put_through_the_form_shows_in_every_live_nodes_kv_view()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=5&nodes=5");
        await using var _ = context;
        await WaitForLeaderAsync(page);

        await page.Locator("[data-testid='kv-key'] input, input[data-testid='kv-key']").First.FillAsync("colour");
        await page.Locator("[data-testid='kv-value'] input, input[data-testid='kv-value']").First.FillAsync("<b>blue</b>");
        await page.Locator("[data-testid='kv-put']").ClickAsync();

        await Expect(page.Locator("[data-testid='kv-result']")).ToContainTextAsync(new Regex("S[1-5]"), new() { Timeout = Patience });
        for (var id = 1; id <= 5; id++)
        {
            if (await page.Locator($"[data-testid='node-{id}']").GetAttributeAsync("data-up") != "true") continue;
            await Expect(page.Locator($"[data-testid='kv-view-{id}']")).ToContainTextAsync("colour=<b>blue</b>", new() { Timeout = Patience });
        }
        Assert.Equal(0, await page.Locator("[data-testid^='kv-view-'] b").CountAsync()); // markup shown as text
        await BrowserFixture.SaveScreenshotAsync(page, "after-put");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Keyboard_space_pauses_and_plays_s_steps_and_question_mark_lists_the_shortcuts()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=3&nodes=3");
        await using var _ = context;
        var canvas = page.Locator("[data-testid='cluster-canvas']");
        await Expect(canvas).ToHaveAttributeAsync("data-paused", "false");
        await page.Locator("body[data-raft-keys='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await page.Keyboard.PressAsync("Space");
        await Expect(canvas).ToHaveAttributeAsync("data-paused", "true");

        var before = double.Parse((await canvas.GetAttributeAsync("data-sim-now"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.Keyboard.PressAsync("s");
        await page.WaitForFunctionAsync("b => parseFloat(document.querySelector(\"[data-testid='cluster-canvas']\").dataset.simNow) > b", before);
        await Expect(canvas).ToHaveAttributeAsync("data-paused", "true");

        // Space with the Pause button focused toggles once, not twice.
        await page.Locator("[data-testid='pause']").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(canvas).ToHaveAttributeAsync("data-paused", "false");

        // Keys typed into a form field are text, not shortcuts.
        await page.Locator("[data-testid='kv-key'] input, input[data-testid='kv-key']").First.FillAsync("");
        await page.Locator("[data-testid='kv-key'] input, input[data-testid='kv-key']").First.PressSequentiallyAsync("s ?");
        await Expect(canvas).ToHaveAttributeAsync("data-paused", "false");
        await Expect(page.Locator("[data-testid='shortcuts-help']")).ToHaveCountAsync(0);

        await page.Locator("[data-testid='cluster-canvas']").ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await page.Keyboard.PressAsync("?");
        var help = page.Locator("[data-testid='shortcuts-help']");
        await Expect(help).ToBeVisibleAsync();
        await Expect(help).ToContainTextAsync("Space");
        await Expect(help).ToContainTextAsync("step");
        await BrowserFixture.SaveScreenshotAsync(page, "shortcuts-help");
        await page.Keyboard.PressAsync("Escape");
        await Expect(help).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Isolating_a_node_from_its_menu_draws_its_links_as_cut()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=7&nodes=5");
        await using var _ = context;
        var leader = await WaitForLeaderAsync(page);

        await page.Locator($"[data-testid='{leader}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-isolate']").ClickAsync();

        var id = leader.Replace("node-", "");
        await Expect(page.Locator("[data-testid^='cut-']")).ToHaveCountAsync(4);
        Assert.Equal(4, await page.Locator($"[data-testid^='cut-{id}-'], [data-testid$='-{id}'][data-testid^='cut-']").CountAsync());
        await WaitForLeaderAsync(page, not: leader); // the majority side elects its own leader
        await BrowserFixture.SaveScreenshotAsync(page, "partition");
        Assert.Empty(errors);
    }
}
