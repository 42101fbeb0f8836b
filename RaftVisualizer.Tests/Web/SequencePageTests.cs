using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>The space-time diagram in real Chromium: it fills as the run goes, a click on an arrow moves the timeline to its send, and the export is an SVG.</summary>
[Collection(WebCollection.Name)]
public sealed class SequencePageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;

    /// <summary>
    /// A point on the middle of a delivered request's line that is not covered by anything else, in page coordinates,
    /// with the arrow's id and send time: where a student would click.
    /// </summary>
    private const string ClickableArrow = @"() => {
        for (const g of document.querySelectorAll(""[data-testid='seq-message'][data-fate='delivered']:not(.reply)""))
        {
            const line = g.querySelector('path.line');
            const len = line.getTotalLength();
            if (len < 20) continue;
            const p = line.getPointAtLength(len / 2);
            const m = line.getScreenCTM();
            const x = p.x * m.a + p.y * m.c + m.e, y = p.x * m.b + p.y * m.d + m.f;
            const hit = document.elementFromPoint(x, y);
            if (hit && hit.closest(""[data-testid='seq-message']"") === g)
                return JSON.stringify({ x, y, id: g.dataset.id, sent: g.dataset.sentMs });
        }
        return null;
    }";

    /// <summary>The diagram alone, at the page's size, to read its small print.</summary>
    private static Task DiagramShotAsync(IPage page, string name) =>
        page.Locator("[data-testid='sequence']").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, name + ".png") });

    private sealed record Target(double X, double Y, string Id, string Sent);

    [Fact]
    public async Task Clicking_an_arrow_moves_the_timeline_to_its_send_and_the_export_is_a_valid_svg()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=7&nodes=5", readyTestId: "sequence");
        await LivePage.WaitForLeaderAsync(page);
        var diagram = page.Locator("[data-testid='sequence']");
        await Expect(diagram).ToHaveAttributeAsync("data-live", "true");
        await Expect(page.Locator("[data-testid='seq-message'][data-kind='appendentries'], [data-testid='seq-message'][data-kind='heartbeat']").First)
            .ToBeAttachedAsync(new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid='seq-lane'][data-state^='L']")).ToHaveCountAsync(1, new() { Timeout = Patience });
        await BrowserFixture.SaveScreenshotAsync(page, "sequence-live");
        await DiagramShotAsync(page, "sequence-live-diagram");

        // Pause, so the arrows hold still under the pointer, then click one in the middle of its line.
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true", new() { Timeout = Patience });
        await page.Locator("[data-testid='seq-zoom-in']").ClickAsync();
        await Expect(page.Locator("[data-testid='seq-span']")).ToHaveTextAsync("500 ms shown", new() { Timeout = Patience });
        string? json = null;
        await page.WaitForFunctionAsync($"() => ({ClickableArrow})() !== null", null, new() { Timeout = Patience });
        json = await page.EvaluateAsync<string?>(ClickableArrow);
        var target = JsonSerializer.Deserialize<Target>(json!, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        await page.Mouse.ClickAsync((float)target.X, (float)target.Y);

        var sentMs = Math.Round(double.Parse(target.Sent, CultureInfo.InvariantCulture)).ToString("0", CultureInfo.InvariantCulture);
        var bar = page.Locator("[data-testid='timeline']");
        await Expect(bar).ToHaveAttributeAsync("data-live", "false", new() { Timeout = Patience });
        await Expect(bar).ToHaveAttributeAsync("data-cursor-ms", sentMs, new() { Timeout = Patience });
        await Expect(page.Locator($"[data-testid='seq-message'][data-id='{target.Id}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("picked"), new() { Timeout = Patience });
        await Expect(page.Locator($"[data-testid='message'][data-id='{target.Id}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("highlighted"), new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid='seq-cursor']")).ToBeAttachedAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "sequence-picked");
        await DiagramShotAsync(page, "sequence-picked-diagram");

        // Export the visible part: a standalone SVG whose arrows are the ones on the page.
        var drawn = await page.Locator("[data-testid='seq-message']").CountAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='seq-export']").ClickAsync());
        Assert.EndsWith(".svg", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "sequence-export.svg");
        await download.SaveAsAsync(path);
        var svg = XDocument.Parse(await File.ReadAllTextAsync(path));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal(drawn, svg.Descendants(ns + "g").Count(g => ((string?)g.Attribute("class") ?? "").Split(' ').Contains("seq-arrow")));

        // The exported file opens on its own in the browser, as it would on a slide.
        var view = await context.NewPageAsync();
        await view.SetContentAsync($"<!DOCTYPE html><body style='margin:0'><img src='data:image/svg+xml;base64,{Convert.ToBase64String(await File.ReadAllBytesAsync(path))}'></body>");
        await view.Locator("img").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "sequence-export.png") });
        Assert.True(await view.EvaluateAsync<bool>("() => document.querySelector('img').naturalWidth > 0")); // it decodes as an image
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_crash_and_a_partition_show_on_the_lanes()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=11&nodes=5", readyTestId: "sequence");
        var leader = await LivePage.WaitForLeaderAsync(page);
        var follower = leader == "node-2" ? "node-3" : "node-2";
        await page.Locator($"[data-testid='{follower}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-crash']").ClickAsync();
        await Expect(page.Locator($"[data-testid='{follower}']")).ToHaveAttributeAsync("data-up", "false", new() { Timeout = Patience });
        await page.Locator($"[data-testid='{leader}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-isolate']").ClickAsync();
        await page.Locator("[data-testid='seq-zoom-out']").ClickAsync();
        await Expect(page.Locator("[data-testid='seq-band'][data-kind*='down']").First).ToBeAttachedAsync(new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid='seq-band'][data-kind*='partition']").First).ToBeAttachedAsync(new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid='seq-message'][data-fate='dropped']").First).ToBeAttachedAsync(new() { Timeout = Patience });
        await LivePage.WaitForLeaderAsync(page, not: leader);
        await page.Locator("[data-testid='pause']").ClickAsync();
        await page.Locator("[data-testid='seq-hide-heartbeats']").CheckAsync();
        await Expect(page.Locator("[data-testid='seq-message'][data-heartbeat='true']")).ToHaveCountAsync(0, new() { Timeout = Patience });
        await page.Locator("[data-testid='sequence']").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "sequence-faults");
        await DiagramShotAsync(page, "sequence-faults-diagram");
        Assert.Empty(errors);
    }

    /// <summary>Role badges in the page as Chromium lays them out: pairs that overlap, and badges whose text spills out of its box.</summary>
    private const string BadgeClashes = @"() => {
        const boxes = [...document.querySelectorAll(""[data-testid='seq-mark'][data-kind='role']"")].map(g => ({
            r: g.querySelector('rect').getBoundingClientRect(), t: g.querySelector('text').getBoundingClientRect(), text: g.textContent.trim() }));
        const out = [];
        for (let i = 0; i < boxes.length; i++) {
            const a = boxes[i];
            if (a.t.left < a.r.left - 0.5 || a.t.right > a.r.right + 0.5) out.push('text spills: ' + a.text);
            for (let j = i + 1; j < boxes.length; j++) {
                const b = boxes[j].r;
                if (a.r.left < b.right && b.left < a.r.right && a.r.top < b.bottom && b.top < a.r.bottom) out.push('overlap: ' + a.text + ' / ' + boxes[j].text);
            }
        }
        return [String(boxes.length), String(document.querySelectorAll(""[data-testid='seq-mark'][data-kind='role'][data-count]:not([data-count='1'])"").length), ...out];
    }";

    [Fact]
    public async Task Role_badges_of_an_election_do_not_overlap_when_zoomed_out()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=11&nodes=5", readyTestId: "sequence");
        var leader = await LivePage.WaitForLeaderAsync(page);
        await page.Locator($"[data-testid='{leader}']").ClickAsync();
        await page.Locator("[data-testid='node-menu-crash']").ClickAsync();
        await LivePage.WaitForLeaderAsync(page, not: leader);
        await page.Locator("[data-testid='seq-zoom-out']").ClickAsync();
        await page.Locator("[data-testid='seq-zoom-out']").ClickAsync(); // 5 s: an election's changes are a few pixels apart
        await Expect(page.Locator("[data-testid='seq-span']")).ToHaveTextAsync("5 s shown", new() { Timeout = Patience });
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='seq-mark'][data-kind='role']:not([data-count='1'])").First).ToBeAttachedAsync(new() { Timeout = Patience });
        await page.Locator("[data-testid='sequence']").ScrollIntoViewIfNeededAsync();
        var found = await page.EvaluateAsync<string[]>(BadgeClashes);
        await DiagramShotAsync(page, "sequence-role-badges");
        Assert.True(int.Parse(found[0], CultureInfo.InvariantCulture) >= 1, $"badges drawn: {found[0]}");
        Assert.True(int.Parse(found[1], CultureInfo.InvariantCulture) >= 1, "an election's changes joined into one badge");
        Assert.Empty(found.Skip(2));
        Assert.Empty(errors);
    }
}
