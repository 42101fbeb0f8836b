using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Harness;

/// <summary>
/// What the page's main thread spent over a measured stretch, from Chromium's own counters
/// (CDP <c>Performance.getMetrics</c>): CPU time of the main thread and of the renderer process, and
/// wall time in script, style recalculation, layout and all tasks, in milliseconds per wall second. On a loaded box frames per second mostly measure the neighbours;
/// these say what the page itself costs, so a before/after compares the page and not the load.
/// With RAFTVIS_HARNESS_TRACE=1 a Chromium trace of the stretch is saved too (open it in chrome://tracing).
/// </summary>
public sealed class MainThreadCost
{
    private readonly ICDPSession _cdp;
    private Dictionary<string, double> _start = new();

    private MainThreadCost(ICDPSession cdp) => _cdp = cdp;

    public static async Task<MainThreadCost> AttachAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        return new MainThreadCost(cdp);
    }

    public async Task StartAsync() => _start = await ReadAsync();

    /// <summary>Milliseconds per wall second since <see cref="StartAsync"/>: CPU of the main thread and the renderer, then wall time in script, style, layout and all tasks.</summary>
    public async Task<Cost> StopAsync()
    {
        var end = await ReadAsync();
        double D(string name) => (end.GetValueOrDefault(name) - _start.GetValueOrDefault(name)) * 1000;
        var wall = D("Timestamp") / 1000;
        if (wall <= 0) wall = 1;
        return new Cost(D("ThreadTime") / wall, D("ProcessTime") / wall, D("ScriptDuration") / wall, D("RecalcStyleDuration") / wall, D("LayoutDuration") / wall, D("TaskDuration") / wall);
    }

    private async Task<Dictionary<string, double>> ReadAsync()
    {
        var reply = await _cdp.SendAsync("Performance.getMetrics");
        var map = new Dictionary<string, double>();
        if (reply is { } r && r.TryGetProperty("metrics", out var metrics))
            foreach (var m in metrics.EnumerateArray())
                map[m.GetProperty("name").GetString()!] = m.GetProperty("value").GetDouble();
        return map;
    }

    /// <summary>Runs <paramref name="measure"/> under a Chromium trace when RAFTVIS_HARNESS_TRACE=1 (saved as TestResults/screenshots/{name}.trace.json).</summary>
    public async Task<T> TracedAsync<T>(string name, Func<Task<T>> measure)
    {
        if (Environment.GetEnvironmentVariable("RAFTVIS_HARNESS_TRACE") != "1") return await measure();
        var events = new List<JsonElement>();
        var done = new TaskCompletionSource();
        var collected = _cdp.Event("Tracing.dataCollected");
        var complete = _cdp.Event("Tracing.tracingComplete");
        void OnData(object? sender, JsonElement? e)
        {
            if (e is { } v && v.TryGetProperty("value", out var value))
                lock (events) events.AddRange(value.EnumerateArray().Select(x => x.Clone()));
        }
        void OnComplete(object? sender, JsonElement? e) => done.TrySetResult();
        collected.OnEvent += OnData;
        complete.OnEvent += OnComplete;
        await _cdp.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.invalidationTracking", "blink", "cc", "viz", "toplevel" } },
        });
        try
        {
            return await measure();
        }
        finally
        {
            await _cdp.SendAsync("Tracing.end");
            await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
            collected.OnEvent -= OnData;
            complete.OnEvent -= OnComplete;
            List<JsonElement> copy;
            lock (events) copy = [.. events];
            await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ScreenshotsDirectory, name + ".trace.json"),
                JsonSerializer.Serialize(new { traceEvents = copy }));
        }
    }

    /// <param name="MainCpu">CPU time of the page's main thread (what load on the box does not inflate).</param>
    /// <param name="RendererCpu">CPU time of the whole renderer process (main thread, compositor, raster).</param>
    /// <param name="Script">Wall time in script; the next two likewise for style recalculation and layout.</param>
    /// <param name="Tasks">Wall time in any task on the main thread.</param>
    public readonly record struct Cost(double MainCpu, double RendererCpu, double Script, double Style, double Layout, double Tasks)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"cpu ms/s: main={MainCpu:0} renderer={RendererCpu:0}; wall ms/s: tasks={Tasks:0} script={Script:0} style={Style:0} layout={Layout:0}");
    }
}
