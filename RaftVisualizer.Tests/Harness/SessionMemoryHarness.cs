using System.Globalization;
using Microsoft.Playwright;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;
using RaftVisualizer.Tests.Infrastructure;
using RaftVisualizer.Tests.Sessions;
using Xunit.Abstractions;

namespace RaftVisualizer.Tests.Harness;

/// <summary>
/// What a private session costs the server. The browser measurement opens 20 private pages at 1×
/// (5 servers, no client load) in headless Chromium against the app on loopback, then reads the
/// managed heap of the process that hosts the app (after a full collection) every minute; a session's
/// cost is the heap above the empty server's, divided by the pages. The pump measurement runs the same
/// clusters in process, without pages, by a manual clock, with the pump's event cap and without it.
/// Run: RAFTVIS_HARNESS=1 dotnet test RaftVisualizer.Tests --filter "FullyQualifiedName~SessionMemoryHarness"
/// (RAFTVIS_HARNESS_SECONDS: wall seconds the pages run, default 600; RAFTVIS_HARNESS_PAGES, default 20).
/// </summary>
[Collection(WebCollection.Name)]
[Trait("Category", "Harness")]
public sealed class SessionMemoryHarness(KestrelAppFixture app, BrowserFixture browser, ITestOutputHelper output)
{
    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mb(double bytes) => (bytes / 1024 / 1024).ToString("0.00", CultureInfo.InvariantCulture);

    [LiveHarnessFact]
    public async Task Measure_twenty_private_pages_at_1x()
    {
        var seconds = Env("RAFTVIS_HARNESS_SECONDS", 600);
        var count = Env("RAFTVIS_HARNESS_PAGES", 20);
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        using (var warm = app.CreateClient()) await warm.GetStringAsync("/"); // the server's own start-up (prerender, JIT) is not a session's
        var empty = Heap();

        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/?speed=1&seed={i + 1}&nodes=5");
            await BrowserFixture.WaitForBlazorAsync(page);
            await page.Locator("[data-testid='leader']").WaitForAsync(new() { Timeout = 30_000 });
            pages.Add(page);
        }
        var lines = new List<string>();
        var opened = Heap();
        lines.Add($"t=0 s: heap {Mb(opened)} MB, per page {Mb((opened - empty) / (double)count)} MB (empty server {Mb(empty)} MB)");
        var every = Math.Min(60, seconds);
        for (var t = every; t <= seconds; t += every)
        {
            await Task.Delay(TimeSpan.FromSeconds(every)); // letting the runs grow, not asserting on time
            var heap = Heap();
            lines.Add($"t={t} s: heap {Mb(heap)} MB, per page {Mb((heap - empty) / (double)count)} MB");
            output.WriteLine(lines[^1]);
        }
        var simulated = await pages[0].Locator("[data-testid='timeline']").GetAttributeAsync("data-head-ms");
        lines.Add($"pages={count}, first page's run {double.Parse(simulated!, CultureInfo.InvariantCulture) / 1000:0} simulated s");
        var report = string.Join(Environment.NewLine, lines);
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ScreenshotsDirectory, "harness-session-memory.txt"), report + Environment.NewLine);
        foreach (var page in pages) await page.CloseAsync();
    }

    [LiveHarnessFact]
    public void Measure_a_pumps_cluster_and_timeline_after_ten_simulated_minutes_at_1x()
    {
        var lines = new List<string>();
        foreach (var capped in new[] { true, false })
        {
            var before = Heap();
            var pumps = new List<ClusterPump>();
            var time = new ManualTime();
            for (var i = 0; i < 20; i++)
            {
                var options = new ClusterOptions { NodeCount = 5, Seed = (ulong)(i + 1) };
                pumps.Add(capped ? new ClusterPump(options, speed: 1, time) : new ClusterPump(new Timeline(options), speed: 1, time));
            }
            for (var t = 0; t < 600_000; t += 50)
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                foreach (var pump in pumps) pump.Tick();
            }
            var after = Heap();
            var keyframes = pumps[0].ReadTimeline(t => t.KeyframeSteps.Count);
            var steps = pumps[0].HeadStep;
            lines.Add($"{(capped ? $"event record capped at {ClusterPump.RecordedEvents}" : "event record at the core's default of 200,000")}: " +
                      $"{Mb((after - before) / 20.0)} MB per pump after {pumps[0].HeadTime.TotalSeconds:0} simulated s ({steps} steps, {keyframes} keyframes)");
            foreach (var pump in pumps) pump.Dispose();
        }
        var report = string.Join(Environment.NewLine, lines);
        output.WriteLine(report);
        File.WriteAllText(Path.Combine(BrowserFixture.ScreenshotsDirectory, "harness-pump-memory.txt"), report + Environment.NewLine);
    }
}
