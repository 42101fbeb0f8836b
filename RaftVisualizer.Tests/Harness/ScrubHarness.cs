using System.Globalization;
using RaftVisualizer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RaftVisualizer.Tests.Harness;

/// <summary>
/// Scrub-to-frame latency in real headless Chromium on loopback: the page runs a 5-server cluster
/// at 10× until the run is several simulated minutes long (the head keeps running meanwhile), then
/// the scrub is moved to random moments; each sample is the time from the input event to both the
/// timeline's data-cursor-ms and the canvas's data-sim-now showing that moment.
/// Run: RAFTVIS_HARNESS=1 dotnet test RaftVisualizer.Tests --filter "FullyQualifiedName~ScrubHarness"
/// (RAFTVIS_HARNESS_SECONDS sets the wall seconds at 10× before scrubbing; default 30, a 5-minute run).
/// </summary>
[Collection(WebCollection.Name)]
[Trait("Category", "Harness")]
public sealed class ScrubHarness(KestrelAppFixture app, BrowserFixture browser, ITestOutputHelper output)
{
    [LiveHarnessFact]
    public async Task Measure_scrub_to_frame()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("RAFTVIS_HARNESS_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 30;
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?speed=10&seed=7&nodes=5");
        await BrowserFixture.WaitForBlazorAsync(page);
        await page.Locator("[data-testid='timeline']").WaitForAsync(new() { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(seconds * 1000); // letting the run grow, not asserting on time

        var headMs = double.Parse((await page.Locator("[data-testid='timeline']").GetAttributeAsync("data-head-ms"))!, CultureInfo.InvariantCulture);
        var random = new Random(7);
        var targets = Enumerable.Range(0, 60).Select(_ => (long)(random.NextDouble() * (headMs - 2000))).ToArray();
        var latencies = await page.EvaluateAsync<double[]>(@"async (targets) => {
            const out = [];
            for (const t of targets) {
                const want = String(t);
                const ms = await new Promise(resolve => {
                    const bar = document.querySelector(""[data-testid='timeline']"");
                    const svg = document.querySelector(""[data-testid='cluster-canvas']"");
                    let t0 = 0;
                    const done = () => bar.dataset.cursorMs === want && svg.dataset.simNow === want;
                    const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(performance.now() - t0); } });
                    obs.observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-cursor-ms', 'data-sim-now'] });
                    const scrub = document.querySelector(""[data-testid='timeline-scrub']"");
                    t0 = performance.now();
                    scrub.value = want;
                    scrub.dispatchEvent(new Event('input', { bubbles: true }));
                });
                out.push(ms);
                await new Promise(r => setTimeout(r, 100));
            }
            return out;
        }", targets);

        var sorted = latencies.Order().ToArray();
        var p50 = sorted[sorted.Length / 2];
        var p95 = sorted[(int)Math.Ceiling(sorted.Length * 0.95) - 1];
        var report = string.Create(CultureInfo.InvariantCulture,
            $"run={headMs / 1000:0} simulated s scrub-to-frame p50={p50:0.0}ms p95={p95:0.0}ms max={sorted[^1]:0.0}ms (n={sorted.Length})");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ScreenshotsDirectory, "harness-scrub.txt"), report + Environment.NewLine);
        await BrowserFixture.SaveScreenshotAsync(page, "harness-scrub");
        Assert.True(p50 > 0);
    }
}
