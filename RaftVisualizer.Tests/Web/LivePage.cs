using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Web;

/// <summary>What every browser test of the live page does first: open it, wait until it is live, find the leader.</summary>
internal static class LivePage
{
    /// <summary>How long a browser test waits for something that must happen (an election, a render).</summary>
    public const float Patience = 20_000;

    /// <summary>A server drawn as the leader and up.</summary>
    public const string LiveLeader = "[data-testid^='node-'][data-role='Leader'][data-up='true']";

    /// <summary>Opens <c>/{query}</c> in a new page of <paramref name="context"/>, collecting page errors, and waits for <paramref name="readyTestId"/>.</summary>
    public static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowserContext context, string query, string readyTestId = "cluster-canvas")
    {
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/" + query);
        await BrowserFixture.WaitForBlazorAsync(page);
        await page.Locator($"[data-testid='{readyTestId}']").WaitForAsync(new() { Timeout = Patience });
        return (page, errors);
    }

    /// <summary>The data-testid ("node-3") of the leader, once one is drawn; with <paramref name="not"/>, a leader other than that one.</summary>
    public static async Task<string> WaitForLeaderAsync(IPage page, string? not = null)
    {
        var selector = not is null ? LiveLeader : $"{LiveLeader}:not([data-testid='{not}'])";
        var leader = page.Locator(selector).First;
        await leader.WaitForAsync(new() { Timeout = Patience });
        return (await leader.GetAttributeAsync("data-testid"))!;
    }
}
