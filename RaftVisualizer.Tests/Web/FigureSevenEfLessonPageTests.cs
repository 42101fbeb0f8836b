using System.Globalization;
using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Web;

/// <summary>The Figure 7 (e) and (f) lesson in real Chromium: its card, the logs a student sees before the repair and after it.</summary>
[Collection(WebCollection.Name)]
public sealed class FigureSevenEfLessonPageTests(KestrelAppFixture app, BrowserFixture browser)
{
    private const float Patience = LivePage.Patience;
    private const string Player = "[data-testid='lesson-player']";

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task AtStepAsync(IPage page, int step, string phase)
    {
        await Expect(page.Locator("[data-testid='lesson-step']")).ToHaveAttributeAsync("data-step", step.ToString(CultureInfo.InvariantCulture), new() { Timeout = Patience });
        await Expect(page.Locator(Player)).ToHaveAttributeAsync("data-phase", phase, new() { Timeout = Patience });
    }

    /// <summary>
    /// Lets step <paramref name="step"/> run to its end at the page's own pace (the whole lesson is under
    /// 2.5 simulated seconds), answering its question first, with <paramref name="choice"/>, if it asks one.
    /// </summary>
    private static async Task FinishStepAsync(IPage page, int step, int? choice = null)
    {
        if (choice is { } c)
        {
            await AtStepAsync(page, step, "Asking");
            await page.Locator($"[data-testid='lesson-choice'][data-choice='{c}']").ClickAsync();
        }
        await AtStepAsync(page, step, "Reached");
    }

    /// <summary>The log view alone, large enough to read each entry's term.</summary>
    private static Task SaveLogsAsync(IPage page, string name) =>
        page.Locator("[data-testid='log-view']").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotsDirectory, name + ".png") });

    [Fact]
    public async Task A_student_plays_the_lesson_and_sees_e_and_f_before_the_repair_and_equal_logs_after()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var (page, errors) = await LivePage.OpenAsync(context, "");
        await page.Locator("[data-testid='lessons-toggle']").ClickAsync();
        var card = page.Locator("[data-testid='lesson-card'][data-lesson='figure-7-e-f']");
        await Expect(card).ToContainTextAsync("12 steps", new() { Timeout = Patience });
        await card.ClickAsync();
        await Expect(page.Locator("[data-testid='lesson-step']")).ToHaveAttributeAsync("data-steps", "12", new() { Timeout = Patience });

        for (var step = 1; step <= 10; step++)
        {
            await FinishStepAsync(page, step);
            if (step < 10) await page.Locator("[data-testid='lesson-next']").ClickAsync();
        }
        await Expect(page.Locator("[data-testid='lesson-narration']")).ToContainTextAsync("exactly Figure 7's (f) and (e)");
        await Expect(page.Locator("[data-testid='node-1']")).ToHaveAttributeAsync("data-role", "Leader", new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid='node-1']")).ToHaveAttributeAsync("data-term", "8");
        await Expect(page.Locator("[data-testid='node-2']")).ToHaveAttributeAsync("data-up", "false");
        await Expect(page.Locator("[data-testid='node-3']")).ToHaveAttributeAsync("data-up", "false");
        await BrowserFixture.SaveScreenshotAsync(page, "lesson-figure-7-e-f-before-repair");
        await SaveLogsAsync(page, "lesson-figure-7-e-f-logs-before-repair");

        await page.Locator("[data-testid='lesson-next']").ClickAsync();
        await FinishStepAsync(page, 11, choice: 1);
        await page.Locator("[data-testid='lesson-next']").ClickAsync();
        await FinishStepAsync(page, 12, choice: 1);
        await Expect(page.Locator("[data-testid='lesson-feedback']")).ToHaveAttributeAsync("data-right", "true");
        await Expect(page.Locator("[data-testid='node-2']")).ToHaveAttributeAsync("data-up", "true");
        await Expect(page.Locator("[data-testid='node-2']")).ToHaveAttributeAsync("data-term", "8", new() { Timeout = Patience });
        await BrowserFixture.SaveScreenshotAsync(page, "lesson-figure-7-e-f-repaired");
        await SaveLogsAsync(page, "lesson-figure-7-e-f-logs-repaired");
        Assert.Empty(errors);
    }
}
