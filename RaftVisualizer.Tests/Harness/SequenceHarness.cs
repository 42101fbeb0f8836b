using System.Globalization;
using System.Text;
using RaftVisualizer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RaftVisualizer.Tests.Harness;

/// <summary>
/// The space-time diagram on a long run, in real headless Chromium on loopback: the page runs a 5-server
/// cluster at 10× until the run is 10 simulated minutes long, then measures animation frames per second
/// and render batches per second with the diagram live on screen (still at 10×), and the time from a
/// scrub to the diagram showing that moment (mostly beyond the head's event record, so re-simulated).
/// Run: RAFTVIS_HARNESS=1 dotnet test RaftVisualizer.Tests --filter "FullyQualifiedName~SequenceHarness"
/// (RAFTVIS_HARNESS_SIM_SECONDS sets the run's simulated length before measuring; default 600).
/// </summary>
[Collection(WebCollection.Name)]
[Trait("Category", "Harness")]
public sealed class SequenceHarness(KestrelAppFixture app, BrowserFixture browser, ITestOutputHelper output)
{

    [LiveHarnessFact]
    public async Task Measure_the_diagram_on_a_ten_minute_run()
    {
        var simSeconds = int.TryParse(Environment.GetEnvironmentVariable("RAFTVIS_HARNESS_SIM_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 600;
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        var counter = new RenderBatchCounter();
        page.WebSocket += (_, ws) => ws.FrameReceived += (_, f) => counter.Count(f);
        await page.GotoAsync("/?speed=10&seed=7&nodes=5");
        await BrowserFixture.WaitForBlazorAsync(page);
        await page.Locator("[data-testid='sequence']").WaitForAsync(new() { Timeout = 30_000 });
        var wall = System.Diagnostics.Stopwatch.StartNew();
        await page.WaitForFunctionAsync($"() => Number(document.querySelector(\"[data-testid='timeline']\").dataset.headMs) >= {simSeconds * 1000}", null,
            new() { Timeout = (simSeconds / 10 + 240) * 1000f, PollingInterval = 1000 });
        var grow = wall.Elapsed;
        await page.Locator("[data-testid='sequence']").ScrollIntoViewIfNeededAsync();

        // 1. Frames per second over 5 s with the diagram live (the head still at 10×), sampling the arrows drawn;
        //    then the same with the diagram's drawing hidden (display: none), back to back, to see its own cost; then both at 1×.
        var cost = await MainThreadCost.AttachAsync(page);
        var bytes10Before = counter.Bytes;
        var clock10 = System.Diagnostics.Stopwatch.StartNew();
        var (fps10, arrows10, batches10, cost10) = await MeasureAsync(page, () => counter.Batches, cost);
        var kb10 = (counter.Bytes - bytes10Before) / 1024.0 / clock10.Elapsed.TotalSeconds;
        await SetDiagramShownAsync(page, false);
        var (fps10Hidden, _, batches10Hidden, cost10Hidden) = await MeasureAsync(page, () => counter.Batches, cost);
        await SetDiagramShownAsync(page, true);
        await page.Locator("[data-testid='speed']").FillAsync("0"); // 10^0 = 1×
        await page.Locator("[data-testid='speed-value']").Filter(new() { HasText = "1×" }).WaitForAsync();
        var (fps1, arrows1, batches1, cost1) = await MeasureAsync(page, () => counter.Batches, cost);
        await SetDiagramShownAsync(page, false);
        var (fps1Hidden, _, _, cost1Hidden) = await MeasureAsync(page, () => counter.Batches, cost);
        await SetDiagramShownAsync(page, true);

        // 2. Scrub to 20 random moments of the run: input event → the diagram's data-cursor-ms at that moment.
        var headMs = double.Parse((await page.Locator("[data-testid='timeline']").GetAttributeAsync("data-head-ms"))!, CultureInfo.InvariantCulture);
        var random = new Random(7);
        var targets = Enumerable.Range(0, 20).Select(_ => (long)(random.NextDouble() * (headMs - 5000))).ToArray();
        var samples = await page.EvaluateAsync<string[]>(@"async (targets) => {
            const out = [];
            for (const t of targets) {
                const want = String(t);
                const ms = await new Promise(resolve => {
                    const seq = document.querySelector(""[data-testid='sequence']"");
                    let t0 = 0;
                    const obs = new MutationObserver(() => { if (seq.dataset.cursorMs === want) { obs.disconnect(); resolve(performance.now() - t0); } });
                    obs.observe(seq, { attributes: true, attributeFilter: ['data-cursor-ms'] });
                    const scrub = document.querySelector(""[data-testid='timeline-scrub']"");
                    t0 = performance.now();
                    scrub.value = want;
                    scrub.dispatchEvent(new Event('input', { bubbles: true }));
                });
                out.push(ms + ' ' + document.querySelector(""[data-testid='sequence']"").dataset.source);
                await new Promise(r => setTimeout(r, 150));
            }
            return out;
        }", targets);
        var latencies = samples.Select(x => double.Parse(x.Split(' ')[0], CultureInfo.InvariantCulture)).Order().ToArray();
        var replayed = samples.Count(x => x.EndsWith("replay", StringComparison.Ordinal));
        var p50 = latencies[latencies.Length / 2];
        var p95 = latencies[(int)Math.Ceiling(latencies.Length * 0.95) - 1];

        var report = string.Create(CultureInfo.InvariantCulture,
            $"run={headMs / 1000:0} simulated s (grown in {grow.TotalSeconds:0} wall s at 10x) " +
            $"10x: fps={fps10:0.0} (diagram hidden: {fps10Hidden:0.0}) arrowsDrawn(mean)={arrows10:0.0} renderBatchesPerSecond={batches10:0.0} renderBatchKB/s={kb10:0.0} (hidden: {batches10Hidden:0.0}) {cost10} (hidden: {cost10Hidden}) " +
            $"1x: fps={fps1:0.0} (diagram hidden: {fps1Hidden:0.0}) arrowsDrawn(mean)={arrows1:0.0} renderBatchesPerSecond={batches1:0.0} {cost1} (hidden: {cost1Hidden}) scrub-to-diagram p50={p50:0.0}ms p95={p95:0.0}ms max={latencies[^1]:0.0}ms (n={latencies.Length}, {replayed} re-simulated)");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ScreenshotsDirectory, "harness-sequence.txt"), report + Environment.NewLine);
        await BrowserFixture.SaveScreenshotAsync(page, "harness-sequence");
        Assert.True(fps10 > 0);
    }

    private static Task SetDiagramShownAsync(Microsoft.Playwright.IPage page, bool shown) =>
        page.EvaluateAsync("shown => document.querySelector('.seq-svg').style.display = shown ? '' : 'none'", shown);

    /// <summary>Animation frames per second over 5 s, the mean arrows drawn, and render batches per second meanwhile.</summary>
    private static async Task<(double Fps, double Arrows, double Batches, MainThreadCost.Cost Cost)> MeasureAsync(Microsoft.Playwright.IPage page, Func<int> batches, MainThreadCost cost)
    {
        var before = batches();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cost.StartAsync();
        var r = await page.EvaluateAsync<double[]>(@"() => new Promise(resolve => {
            let n = 0, samples = 0, arrows = 0; const t0 = performance.now();
            function f(t) {
                n++;
                if (n % 10 === 0) { samples++; arrows += document.querySelectorAll(""[data-testid='seq-message']"").length; }
                if (t - t0 < 5000) requestAnimationFrame(f); else resolve([n * 1000 / (t - t0), arrows / Math.max(1, samples)]);
            }
            requestAnimationFrame(f);
        })");
        var spent = await cost.StopAsync();
        return (r[0], r[1], (batches() - before) / clock.Elapsed.TotalSeconds, spent);
    }
}
