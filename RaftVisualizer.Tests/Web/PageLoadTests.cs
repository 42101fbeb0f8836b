using System.Collections.Concurrent;
using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Web;

/// <summary>The page as a student's browser first sees it: nothing in the console is red.</summary>
[Collection(WebCollection.Name)]
public sealed class PageLoadTests(KestrelAppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task Home_page_loads_with_no_console_error_and_no_failed_request()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Enqueue($"console error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => problems.Enqueue($"page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) problems.Enqueue($"HTTP {response.Status} for {response.Url}");
        };
        page.RequestFailed += (_, request) => problems.Enqueue($"request failed: {request.Url} ({request.Failure})");

        await page.GotoAsync("/");
        await BrowserFixture.WaitForBlazorAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // The tab's icon: the page's <link rel="icon">, else /favicon.ico, which the browser asks for
        // on its own. Playwright hides requests for /favicon.ico from its network events (the 404
        // shows only as a console error, and may come late), so fetch the icon as the browser would.
        var icon = await page.EvaluateAsync<string[]>(@"async () => {
            const link = document.querySelector(""link[rel~='icon']"");
            const response = await fetch(link ? link.href : '/favicon.ico');
            return [response.url, String(response.status), response.headers.get('content-type') ?? ''];
        }");

        Assert.True(problems.IsEmpty, "The page load went wrong:" + string.Concat(problems.Select(p => "\n  " + p)));
        Assert.True(icon[1] == "200" && icon[2].StartsWith("image/", StringComparison.Ordinal),
            $"The page's icon {icon[0]} answered {icon[1]} ({icon[2]}), not an image.");
    }
}
