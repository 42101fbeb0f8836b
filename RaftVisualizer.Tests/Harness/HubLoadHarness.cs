using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using RaftVisualizer.Api;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RaftVisualizer.Tests.Harness;

/// <summary>Runs only with RAFTVIS_HARNESS=1: a load harness, not a timed test.</summary>
public sealed class HarnessFactAttribute : FactAttribute
{
    public HarnessFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("RAFTVIS_HARNESS") != "1") Skip = "Load harness: set RAFTVIS_HARNESS=1 to run it.";
    }
}

/// <summary>
/// Many SignalR clients (RAFTVIS_HARNESS_CLIENTS, default 500) watch one room of the real app, started
/// as its own process on loopback so its CPU and memory are measured apart from the clients'. A presenter
/// writes a key every 200 ms and crashes/restarts a node every 5 s. Every batch carries the server's
/// publish time; each client compares it on receipt. Reports delivery latency p50/p99/max per event and
/// per batch, batches delivered, resync snapshots, and the server's CPU and memory.
/// </summary>
public sealed class HubLoadHarness(ITestOutputHelper output)
{
    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

    [HarnessFact]
    public async Task Many_viewers_on_one_room()
    {
        var clients = Env("RAFTVIS_HARNESS_CLIENTS", 500);
        var seconds = Env("RAFTVIS_HARNESS_SECONDS", 30);
        using var server = await AppProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var room = (await (await http.PostAsync("api/rooms?speed=1", null)).Content.ReadFromJsonAsync<RoomCreated>())!;
        var hubUrl = new Uri(server.BaseAddress, ClusterHub.Path.TrimStart('/'));

        var byEvent = new long[60_001];
        var byBatch = new long[60_001];
        long batches = 0, snapshots = 0, measuring = 0;
        var connections = new List<HubConnection>();
        var connectClock = Stopwatch.StartNew();
        for (var start = 0; start < clients; start += 25)
        {
            var group = Enumerable.Range(start, Math.Min(25, clients - start)).Select(async _ =>
            {
                var c = new HubConnectionBuilder()
                    .WithUrl(hubUrl, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                    .Build();
                c.On<RoomSnapshotDto>(nameof(IClusterClient.Snapshot), _ => Interlocked.Increment(ref snapshots));
                c.On<EventBatchDto>(nameof(IClusterClient.Events), b =>
                {
                    if (Interlocked.Read(ref measuring) == 0) return;
                    var ms = Math.Clamp(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - b.PublishedAtUnixMs, 0, 60_000);
                    Interlocked.Increment(ref batches);
                    Interlocked.Increment(ref byBatch[ms]);
                    Interlocked.Add(ref byEvent[ms], b.Events.Count);
                });
                await c.StartAsync();
                await c.InvokeAsync<JoinResultDto>("JoinRoom", room.Code);
                return c;
            });
            connections.AddRange(await Task.WhenAll(group));
        }
        connectClock.Stop();

        var presenter = connections[0];
        using var stop = new CancellationTokenSource();
        var writes = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                await presenter.InvokeAsync<string>("Put", room.Code, room.PresenterKey, $"k{i % 20}", $"v{i}");
                if (++i % 25 == 0)
                {
                    var node = 1 + i / 25 % 5;
                    try { await presenter.InvokeAsync<string>("Crash", room.Code, room.PresenterKey, node); } catch (HubException) { }
                    await Task.Delay(1000);
                    try { await presenter.InvokeAsync<string>("Restart", room.Code, room.PresenterKey, node); } catch (HubException) { }
                }
                await Task.Delay(200);
            }
        });

        await Task.Delay(3000); // warm-up
        var cpu0 = server.Process.TotalProcessorTime;
        var myCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Interlocked.Exchange(ref measuring, 1);
        long peakWorkingSet = 0;
        var cpuSamples = new List<double>();
        var lastCpu = cpu0;
        for (var s = 0; s < seconds; s++)
        {
            await Task.Delay(1000);
            server.Process.Refresh();
            peakWorkingSet = Math.Max(peakWorkingSet, server.Process.WorkingSet64);
            var now = server.Process.TotalProcessorTime;
            cpuSamples.Add((now - lastCpu).TotalSeconds * 100);
            lastCpu = now;
        }
        Interlocked.Exchange(ref measuring, 0);
        wall.Stop();
        var serverCpu = (server.Process.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds * 100;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - myCpu0).TotalSeconds / wall.Elapsed.TotalSeconds * 100;
        stop.Cancel();
        await writes;

        static (long P50, long P99, long Max, long Count) Percentiles(long[] histogram)
        {
            var total = histogram.Sum();
            long Rank(double q)
            {
                var target = (long)Math.Ceiling(total * q);
                long seen = 0;
                for (var ms = 0; ms < histogram.Length; ms++)
                    if ((seen += histogram[ms]) >= target) return ms;
                return histogram.Length - 1;
            }
            var max = Array.FindLastIndex(histogram, c => c > 0);
            return (Rank(0.50), Rank(0.99), max, total);
        }

        var e = Percentiles(byEvent);
        var b = Percentiles(byBatch);
        var report = string.Join(Environment.NewLine,
            $"clients: {connections.Count} connected in {connectClock.Elapsed.TotalSeconds:0.0} s (WebSockets, one room, speed 1x)",
            $"measured: {wall.Elapsed.TotalSeconds:0} s, {Interlocked.Read(ref batches)} batches delivered ({Interlocked.Read(ref batches) / wall.Elapsed.TotalSeconds / connections.Count:0.0} per client per s), {e.Count} events",
            $"latency per event (ms):  p50 {e.P50}  p99 {e.P99}  max {e.Max}",
            $"latency per batch (ms):  p50 {b.P50}  p99 {b.P99}  max {b.Max}",
            $"resync snapshots beyond the {connections.Count} join snapshots: {Interlocked.Read(ref snapshots) - connections.Count}",
            $"server process: CPU {serverCpu:0}% of one core on average (per-second max {cpuSamples.Max():0}%; {Environment.ProcessorCount} cores), peak working set {peakWorkingSet / 1024 / 1024} MB",
            $"harness process (the {connections.Count} clients): CPU {clientCpu:0}% of one core");
        output.WriteLine(report);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "raftvis-hub-harness.txt"), report);

        foreach (var c in connections) await c.DisposeAsync();
        Assert.Equal(clients, connections.Count);
        Assert.True(b.Count > 0);
    }

    /// <summary>The app as its own process (dotnet RaftVisualizer.dll) on a free loopback port.</summary>
    private sealed class AppProcess : IDisposable
    {
        public required Process Process { get; init; }
        public required Uri BaseAddress { get; init; }

        public static async Task<AppProcess> StartAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var projectDir = Path.Combine(BrowserFixture.RepoRoot, "RaftVisualizer");
            var dll = Path.Combine(projectDir, "bin", "Debug", "net10.0", "RaftVisualizer.dll");
            var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
            {
                WorkingDirectory = projectDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            info.Environment["Api__RateLimitPermits"] = "1000000";
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var app = new AppProcess { Process = process, BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("api/cluster")).IsSuccessStatusCode) return app;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                }
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The app did not start within 30 s.");
                await Task.Delay(200);
            }
        }

        public void Dispose()
        {
            try { Process.Kill(); Process.WaitForExit(5000); } catch (InvalidOperationException) { }
            Process.Dispose();
        }
    }
}
