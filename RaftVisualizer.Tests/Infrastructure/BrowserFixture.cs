using Microsoft.Playwright;

namespace RaftVisualizer.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium) driven by Microsoft.Playwright, shared by the
/// "web" collection. Playwright's node driver ships inside the NuGet package (copied to
/// bin/.playwright by its build targets); no `playwright install` and no downloaded browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Browser binary; override with the RAFTVIS_CHROMIUM environment variable.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("RAFTVIS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {ChromiumPath}: run the tests with ./test.sh, which installs Debian's chromium, " +
                "or install it yourself (apt-get install -y --no-install-recommends chromium) or set RAFTVIS_CHROMIUM.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>
    /// A fresh, isolated browser context (own cookies, own Blazor circuit) whose relative URLs
    /// resolve against <paramref name="baseAddress"/>. Dispose it with <c>await using</c>.
    /// </summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });

    /// <summary>
    /// Waits until blazor.web.js has loaded and the page is live over the Blazor circuit
    /// (MainLayout's hidden <c>data-testid="blazor-interactive"</c> marker turns "true"
    /// only when rendered interactively, never in the prerendered HTML).
    /// </summary>
    public static async Task WaitForBlazorAsync(IPage page, float timeoutMs = 30_000)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null,
            new PageWaitForFunctionOptions { Timeout = timeoutMs });
        await page.Locator("[data-testid='blazor-interactive'][data-interactive='true']")
            .WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = timeoutMs });
    }

    /// <summary>The folder holding RaftVisualizer.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// Where tests write their screenshots (and the harness its report): &lt;repo&gt;/TestResults/screenshots
    /// (ignored by git, kept after the run so a developer can open them), created on first use.
    /// Tests never write to the tracked screenshots/ folder; ./refresh-screenshots.sh copies from here.
    /// </summary>
    public static string ScreenshotsDirectory =>
        Directory.CreateDirectory(Path.Combine(RepoRoot, "TestResults", "screenshots")).FullName;

    /// <summary>Saves a full-page PNG to <see cref="ScreenshotsDirectory"/>/{name}.png and returns its path.</summary>
    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        var fileName = name.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? name : name + ".png";
        var path = Path.Combine(ScreenshotsDirectory, fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RaftVisualizer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"RaftVisualizer.sln not found above {AppContext.BaseDirectory}.");
    }
}
