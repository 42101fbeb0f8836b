using System.Net;
using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Web;

/// <summary>Plumbing checks: the real app on Kestrel, its static files, and a browser with a live circuit.</summary>
[Collection(WebCollection.Name)]
public sealed class HomePageSmokeTests(KestrelAppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task Get_root_returns_200_with_heading()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>RaftVisualizer</h1>", html);
    }

    [Theory]
    [InlineData("app.css")]                              // top-level wwwroot, via the symlink
    [InlineData("favicon.svg")]                          // the tab icon App.razor links
    [InlineData("_framework/blazor.web.js")]             // framework static web asset
    [InlineData("_content/MudBlazor/MudBlazor.min.css")] // package static web asset
    public async Task Static_assets_are_served(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Home_page_connects_a_circuit_and_renders_heading()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        var response = await page.GotoAsync("/");
        await BrowserFixture.WaitForBlazorAsync(page);
        var heading = page.Locator("h1");
        await heading.WaitForAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "home");

        Assert.Equal(200, response?.Status);
        Assert.Equal("RaftVisualizer", await heading.InnerTextAsync());
        Assert.Empty(pageErrors);
    }
}
