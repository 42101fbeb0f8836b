using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using RaftVisualizer.Api;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RaftVisualizer.Tests.Harness;

/// <summary>The real app at its defaults (real time, speed 1, compaction, disks in a temporary folder), with the API's rate limit lifted.</summary>
public sealed class UnthrottledApiFixture : KestrelAppFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("Api:RateLimitPermits", "100000000");
}

/// <summary>
/// Runs only with RAFTVIS_HARNESS=1. 100,000 writes through the HTTP API on Kestrel (POST /api/kv/{key},
/// 1,000 keys, 128 requests in flight) into the default shared cluster at its defaults, writing its
/// disks as it goes. Reports the managed heap before and after (forced collection, this process hosts
/// the app), the logs, the client history, the event record, the recorded commands and the data
/// folder, and checks the bounded history for linearizability.
/// Run: RAFTVIS_HARNESS=1 dotnet test RaftVisualizer.Tests --filter "FullyQualifiedName~DefaultClusterWritesHarness" --logger "console;verbosity=detailed"
/// (RAFTVIS_HARNESS_WRITES sets the number of writes; default 100,000).
/// </summary>
[Trait("Category", "Harness")]
public sealed class DefaultClusterWritesHarness(UnthrottledApiFixture app, ITestOutputHelper output) : IClassFixture<UnthrottledApiFixture>
{
    private const int InFlight = 128;
    private const int Keys = 1000;

    [HarnessFact]
    public async Task A_hundred_thousand_API_writes_leave_the_default_cluster_bounded()
    {
        var writes = int.TryParse(Environment.GetEnvironmentVariable("RAFTVIS_HARNESS_WRITES"), CultureInfo.InvariantCulture, out var w) ? w : 100_000;
        var pump = app.Services.GetRequiredService<DefaultCluster>().Pump;
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        await RunAsync(client, 2_000, 0); // warm-up: a leader, JIT, connections
        var before = Measure(pump, "before");
        var wall = Stopwatch.StartNew();
        var failed = await RunAsync(client, writes, 2_000);
        wall.Stop();
        var after = Measure(pump, "after");

        var (history, cut) = pump.Read(c => (ClusterHistoryAdapter.FromCluster(c.History), c.HistoryCut));
        var check = Stopwatch.StartNew();
        var verdict = LinearizabilityChecker.Check(history, TimeSpan.FromSeconds(60), cut);
        check.Stop();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{writes:N0} writes in {wall.Elapsed.TotalSeconds:0.0} s wall ({writes / wall.Elapsed.TotalSeconds:0} / s), {failed} not ok"));
        output.WriteLine(before);
        output.WriteLine(after);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"linearizability of the kept history: {verdict.Verdict} in {check.ElapsedMilliseconds} ms; dropped {cut.DroppedOperations:N0}, carried {cut.CarriedOperations} ops / {cut.CarriedStates} values, unchecked keys {cut.UncheckedKeys.Count}: {verdict.Explanation}"));

        Assert.Equal(LinearizabilityVerdict.Linearizable, verdict.Verdict);
        Assert.True(pump.Read(c => c.Nodes.All(n => n.Log.Count <= 2 * 200 + InFlight * 2)));
    }

    private static async Task<int> RunAsync(HttpClient client, int count, int offset)
    {
        var next = -1;
        var failed = 0;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var n = offset + i;
                using var body = new StringContent($"v{n}", Encoding.UTF8, "text/plain");
                using var response = await client.PostAsync($"api/kv/k{n % Keys}", body);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failed);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(Worker)));
        return failed;
    }

    private string Measure(RaftVisualizer.Sessions.ClusterPump pump, string when)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var (logs, lastIndex, history, events, discarded, commands, keyframes) = pump.ReadTimeline(t => (
            string.Join(" ", t.Head.Nodes.Select(n => $"{n.Id}:{n.Log.Count}")),
            t.Head.Nodes.Max(n => n.LastLogIndex),
            t.Head.History.Count,
            t.Head.Events.Count,
            t.Head.EventsDiscarded,
            t.Commands.Count,
            t.KeyframeSteps.Count));
        var folder = new DirectoryInfo(app.DataFolder);
        var files = folder.Exists ? folder.GetFiles() : [];
        return string.Create(CultureInfo.InvariantCulture,
            $"{when}: heap {heap / 1048576.0:0.0} MB; last index {lastIndex:N0}; entries held {logs}; history {history:N0}; " +
            $"events {events:N0} (discarded {discarded:N0}); recorded commands {commands:N0}; keyframes {keyframes}; " +
            $"data folder {files.Length} files, {files.Sum(f => f.Length) / 1024.0:0} KB");
    }
}
