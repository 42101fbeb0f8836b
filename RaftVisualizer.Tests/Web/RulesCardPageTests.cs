using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RaftVisualizer.Tests.Web;

/// <summary>
/// The event feed and the rules card in real headless Chromium: after an election with a refused
/// vote, the feed says which rule refused it with its section, and stepping the timeline back to
/// that moment lights the rule on the card with the values it compared.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class RulesCardPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;
    private static readonly string[] VoteRefusals = ["VoteAlreadyCast", "VoteLogBehind", "VoteStaleTerm"];

    [Fact]
    public async Task After_an_election_with_a_refused_vote_the_feed_cites_the_rule_and_the_card_lights_it_at_the_cursor()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=1&nodes=5");
        await LivePage.WaitForLeaderAsync(page);

        var refusal = page.Locator("[data-testid='feed-lines'] .line .text", new() { HasTextRegex = new("refuses S\\d's vote request: .*\\(§5") });
        await refusal.First.WaitForAsync(new() { Timeout = Patience });
        var card = page.Locator("[data-testid='rules-card']");
        await Expect(card.Locator(".rule[data-rule='ElectionWon'] [data-testid='rule-values']")).ToContainTextAsync("→ leader of term", new() { Timeout = Patience });
        await page.Locator("[data-testid='pause']").ClickAsync();
        await Expect(page.Locator("[data-testid='pause']")).ToHaveAttributeAsync("data-paused", "true", new() { Timeout = Patience });

        // Scrub to the first refusal's moment, then step back one event at a time until the card's light is on
        // a vote refusal: the moment a voter's handler refused.
        var lines = page.Locator("[data-testid='feed-lines'] .line", new() { HasTextRegex = new("refuses S\\d's vote request: .*\\(§5") });
        var at = (await lines.Last.Locator(".time").TextContentAsync())!.Replace(" s", "");
        var ms = (int)Math.Ceiling(double.Parse(at, System.Globalization.CultureInfo.InvariantCulture) * 1000) + 1;
        await page.Locator("[data-testid='timeline-scrub']").FillAsync(ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var timeline = page.Locator("[data-testid='timeline']");
        await Expect(timeline).ToHaveAttributeAsync("data-live", "false", new() { Timeout = Patience });
        string? lit = null;
        for (var i = 0; i < 200; i++)
        {
            lit = await card.Locator(".rule[data-lit='true']").GetAttributeAsync("data-rule", new() { Timeout = Patience });
            if (VoteRefusals.Contains(lit)) break;
            var cursor = await timeline.GetAttributeAsync("data-cursor-step");
            await page.Locator("[data-testid='timeline-back']").ClickAsync();
            await Expect(timeline).Not.ToHaveAttributeAsync("data-cursor-step", cursor ?? "", new() { Timeout = Patience });
        }
        Assert.Contains(lit, VoteRefusals);
        var values = await card.Locator(".rule[data-lit='true'] [data-testid='rule-values']").TextContentAsync();
        Assert.Matches(@"^S\d at \d+\.\d{3} s: .* → reply false$", values);

        await page.Locator("[data-testid='event-feed']").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "rules-card-refused-vote");
        await page.Locator("[data-testid='event-feed']").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "rules-card-feed-close-up.png") });
        await card.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "rules-card-close-up.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_put_that_lands_on_a_follower_is_redirected_with_section_8_in_the_feed_and_on_the_card()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "?speed=1&seed=2&nodes=5");
        await LivePage.WaitForLeaderAsync(page);

        // A client's first attempt goes to a server at random: four in five land on a follower, which names the leader.
        var redirect = page.Locator("[data-testid='feed-lines'] .line .text", new() { HasTextRegex = new(@"attempt 2 goes to S\d: S\d is not the leader and named S\d, the leader it last heard from \(§8\)$") });
        for (var put = 1; put <= 8 && await redirect.CountAsync() == 0; put++)
        {
            await page.Locator("[data-testid='kv-key'] input, input[data-testid='kv-key']").First.FillAsync($"k{put}");
            await page.Locator("[data-testid='kv-value'] input, input[data-testid='kv-value']").First.FillAsync("v");
            await page.Locator("[data-testid='kv-put']").ClickAsync();
            await Expect(page.Locator("[data-testid='kv-result']")).ToHaveAttributeAsync("data-status", "ok", new() { Timeout = Patience });
        }
        await Expect(redirect.First).ToBeVisibleAsync(new() { Timeout = Patience });
        var card = page.Locator("[data-testid='rules-card']");
        await Expect(card.Locator(".box[data-box='Clients'] h4")).ToHaveTextAsync("Clients (§8)");
        await Expect(card.Locator(".rule[data-rule='ClientRedirect'] [data-testid='rule-values']"))
            .ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"S\d not the leader, leaderHint S\d → client retries at S\d$"), new() { Timeout = Patience });
        await card.Locator(".box[data-box='Clients']").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, "rules-card-client-redirect.png") });
        Assert.Empty(errors);
    }
}
