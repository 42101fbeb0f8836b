using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>The topology on Blazor.Diagrams in headless Chromium: drag a server, fault one link, drop one message.</summary>
[Collection(WebCollection.Name)]
public sealed class DiagramPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(string query)
    {
        var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, query);
        return (context, page, errors);
    }

    private static async Task<int> WaitForLeaderAsync(IPage page) =>
        int.Parse((await LivePage.WaitForLeaderAsync(page)).Replace("node-", ""));

    private static async Task<(float X, float Y)> CentreAsync(ILocator element)
    {
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException("not on screen");
        return (box.X + box.Width / 2, box.Y + box.Height / 2);
    }

    [Fact]
    public async Task A_dragged_server_stays_where_it_was_dropped()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=7&nodes=5");
        await using var _ = context;
        await WaitForLeaderAsync(page);
        var server = page.Locator("[data-testid='node-3'] .body");
        var (x, y) = await CentreAsync(server);

        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 60, y - 40, new() { Steps = 5 });
        await page.Mouse.MoveAsync(x + 120, y - 80, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await page.WaitForTimeoutAsync(500);
        var (dropX, dropY) = await CentreAsync(server);
        Assert.True(dropX - x > 60 && y - dropY > 40, $"dragged from ({x},{y}) to ({dropX},{dropY})");
        await Expect(page.Locator("[data-testid='node-menu']")).ToHaveCountAsync(0); // a drag is not a click

        // Seconds of publishes and a crash later it is still there, and its links and messages follow it.
        await page.WaitForTimeoutAsync(1500);
        await page.Locator("[data-testid='node-1']").ClickAsync();
        var crashOrRestart = page.Locator("[data-testid='node-menu-crash'], [data-testid='node-menu-restart']").First;
        await crashOrRestart.ClickAsync();
        await page.WaitForTimeoutAsync(800);
        var (laterX, laterY) = await CentreAsync(server);
        Assert.InRange(laterX - dropX, -2, 2);
        Assert.InRange(laterY - dropY, -2, 2);
        var link = await page.Locator("[data-testid='link-2-3'] line.wire").EvaluateAsync<double[]>(
            "l => { const b = document.querySelector(\"[data-testid='node-3'] .body\").getBoundingClientRect(); const m = l.getScreenCTM(); const p = new DOMPoint(+l.getAttribute('x2'), +l.getAttribute('y2')).matrixTransform(m); return [Math.hypot(p.x - (b.x + b.width / 2), p.y - (b.y + b.height / 2)), b.width]; }");
        Assert.True(link[0] < link[1], $"the link S2-S3 ends {link[0]:0} px from S3's centre (S3 is {link[1]:0} px wide)");
        await BrowserFixture.SaveScreenshotAsync(page, "diagram-dragged");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_link_cut_one_way_from_its_menu_is_drawn_cut_and_loses_its_messages()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=7&nodes=5");
        await using var _ = context;
        var leader = await WaitForLeaderAsync(page);
        var follower = leader == 1 ? 2 : 1;
        var (a, b) = (Math.Min(leader, follower), Math.Max(leader, follower));
        var link = page.Locator($"[data-testid='link-{a}-{b}']");
        await Expect(link).ToHaveAttributeAsync("data-state", "working");

        await link.Locator("line.hit").ClickAsync(new() { Force = true });
        var menu = page.Locator("[data-testid='link-menu']");
        await Expect(menu).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "link-menu");
        // Cut the leader → follower direction: the follower hears no more heartbeats.
        await menu.Locator(leader == a ? "[data-testid='link-menu-cut-ab']" : "[data-testid='link-menu-cut-ba']").ClickAsync();

        await Expect(link).ToHaveAttributeAsync("data-state", leader == a ? "cut-ab" : "cut-ba");
        await Expect(link.Locator($"[data-testid='cut-{a}-{b}'] .arrow")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='canvas-action-result']")).ToContainTextAsync($"S{leader} can no longer reach S{follower}");
        await page.WaitForTimeoutAsync(300); // what was already on the wire lands or is dropped
        var seenAll = 0;
        for (var i = 0; i < 20; i++)
        {
            seenAll += await page.Locator("[data-testid='message']").CountAsync();
            Assert.Equal(0, await page.Locator($"[data-testid='message'][data-from='{leader}'][data-to='{follower}']").CountAsync());
            await page.WaitForTimeoutAsync(50);
        }
        await BrowserFixture.SaveScreenshotAsync(page, "link-cut-one-way");
        Assert.True(seenAll > 0, $"messages kept flying on the other links ({seenAll} messages seen in all, sim now {await page.Locator("[data-testid='cluster-canvas']").GetAttributeAsync("data-sim-now")})");
        await Expect(page.Locator("[data-testid='event-feed']")).ToContainTextAsync("cut");
        await BrowserFixture.SaveScreenshotAsync(page, "link-cut-one-way");

        // Escape closes a menu.
        await link.Locator("line.hit").ClickAsync(new() { Force = true });
        await Expect(menu).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(menu).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_message_dropped_from_its_panel_leaves_the_wire()
    {
        var (context, page, errors) = await OpenAsync("?speed=0.2&seed=3&nodes=3");
        await using var _ = context;
        await WaitForLeaderAsync(page);
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='cluster-canvas']")).ToHaveAttributeAsync("data-paused", "true");
        for (var i = 0; i < 60 && await page.Locator("[data-testid='message']").CountAsync() == 0; i++)
        {
            await page.Locator("[data-testid='step']").ClickAsync();
            await page.WaitForTimeoutAsync(100);
        }
        var dot = page.Locator("[data-testid='message']").First;
        var id = await dot.GetAttributeAsync("data-id");

        await page.Locator($"[data-testid='message'][data-id='{id}']").ClickAsync();
        await page.Locator("[data-testid='message-drop']").ClickAsync();

        await Expect(page.Locator($"[data-testid='message'][data-id='{id}']")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='canvas-action-result']")).ToContainTextAsync("Dropped");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_partition_moves_the_groups_into_islands_and_healing_brings_them_back()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=7&nodes=5");
        await using var _ = context;
        var leader = await WaitForLeaderAsync(page);
        var box = page.Locator($".diagram-node:has([data-testid='node-{leader}'])");
        var ringPlace = await box.GetAttributeAsync("style"); // top and left on the diagram, whatever the zoom

        await page.Locator($"[data-testid='node-{leader}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-isolate']").ClickAsync();

        await Expect(page.Locator("[data-testid='partition-barrier']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-state='partitioned']")).ToHaveCountAsync(4);
        await page.WaitForTimeoutAsync(1200); // the glide
        var barrier = await CentreAsync(page.Locator("[data-testid='partition-barrier'] line"));
        var (isolatedX, _) = await CentreAsync(page.Locator($"[data-testid='node-{leader}'] .body"));
        var others = new List<float>();
        for (var id = 1; id <= 5; id++)
            if (id != leader) others.Add((await CentreAsync(page.Locator($"[data-testid='node-{id}'] .body"))).X);
        Assert.True(others.All(o => Math.Sign(o - barrier.X) != Math.Sign(isolatedX - barrier.X)),
            $"S{leader} at x={isolatedX:0}, the barrier at {barrier.X:0}, the others at {string.Join(", ", others.Select(o => o.ToString("0")))}");
        await BrowserFixture.SaveScreenshotAsync(page, "partition-islands");

        await page.Locator("[data-testid='heal']").ClickAsync();
        await Expect(page.Locator("[data-testid='partition-barrier']")).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(1200);
        await Expect(box).ToHaveAttributeAsync("style", ringPlace!);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Dark_mode_follows_the_system_and_a_toggle_is_remembered()
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 1280, Height = 900 } });
        await using var _ = context;
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/?speed=1&seed=7&nodes=5");
        await BrowserFixture.WaitForBlazorAsync(page);
        var root = page.Locator("[data-testid='app-root']");
        await Expect(root).ToHaveAttributeAsync("data-dark", "true"); // the system prefers dark
        await WaitForLeaderAsync(page);
        await page.WaitForTimeoutAsync(400);
        await BrowserFixture.SaveScreenshotAsync(page, "dark-mode");

        await page.Locator("[data-testid='dark-toggle']").ClickAsync();
        await Expect(root).ToHaveAttributeAsync("data-dark", "false");
        await page.ReloadAsync();
        await BrowserFixture.WaitForBlazorAsync(page);
        await Expect(page.Locator("[data-testid='app-root']")).ToHaveAttributeAsync("data-dark", "false"); // remembered over the system's
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Projector_mode_is_one_key_and_folds_the_side_panels()
    {
        var (context, page, errors) = await OpenAsync("?speed=1&seed=7&nodes=5");
        await using var _ = context;
        await WaitForLeaderAsync(page);
        await page.Locator("body[data-raft-keys='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid='event-feed']")).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("p");

        await Expect(page.Locator("[data-testid='app-root']")).ToHaveAttributeAsync("data-projector", "true");
        await Expect(page.Locator("[data-testid='event-feed']")).ToBeHiddenAsync();
        // Large type: the root's font size (rem) grows, and goes back when projector mode is left.
        await page.WaitForFunctionAsync("() => getComputedStyle(document.documentElement).fontSize === '20px'");
        await page.WaitForTimeoutAsync(400);
        await BrowserFixture.SaveScreenshotAsync(page, "projector-mode");
        await page.Locator("[data-testid='side-panels-toggle']").ClickAsync();
        await Expect(page.Locator("[data-testid='event-feed']")).ToBeVisibleAsync();
        await page.Locator("[data-testid='projector-toggle']").ClickAsync();
        await Expect(page.Locator("[data-testid='app-root']")).ToHaveAttributeAsync("data-projector", "false");
        await page.WaitForFunctionAsync("() => getComputedStyle(document.documentElement).fontSize === '16px'");
        Assert.Empty(errors);
    }
}
