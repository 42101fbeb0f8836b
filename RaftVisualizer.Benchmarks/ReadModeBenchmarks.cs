using BenchmarkDotNet.Attributes;
using RaftVisualizer.Core;

namespace RaftVisualizer.Benchmarks;

/// <summary>
/// The three read modes side by side: a 5-node cluster (default timings: latency 10–30 ms,
/// heartbeat 50 ms, election timeout 150–300 ms, lease clocks drifting ±5 %) keeps a fixed number of
/// reads in flight through the leader for 10 simulated seconds. GlobalSetup prints what the
/// simulation measures (simulated read latency, messages per read beyond the heartbeats an idle
/// cluster sends anyway, log growth); the benchmark itself times the run on the wall clock.
/// </summary>
[MemoryDiagnoser]
public class ReadModeBenchmarks
{
    private static readonly TimeSpan Simulated = TimeSpan.FromSeconds(10);

    [Params(ReadMode.Log, ReadMode.ReadIndex, ReadMode.Lease)]
    public ReadMode Mode { get; set; }

    [Params(1, 10)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void PrintSimulatedFigures()
    {
        var r = ReadLoad.Measure(Mode, Concurrency, Simulated);
        Console.WriteLine($"// {Mode} x{Concurrency}: {r.Reads} reads, mean {r.MeanLatency.TotalMilliseconds:0.0} ms, " +
            $"p99 {r.P99Latency.TotalMilliseconds:0.0} ms, {r.MessagesPerRead:0.00} messages per read beyond heartbeats, " +
            $"{r.LogEntriesPerRead:0.00} log entries per read");
    }

    [Benchmark]
    public int ReadsThroughTheLeader() => ReadLoad.Measure(Mode, Concurrency, Simulated).Reads;
}

/// <summary>What one read-only run measured in simulated time.</summary>
public sealed record ReadFigures(int Reads, TimeSpan MeanLatency, TimeSpan P99Latency, double MessagesPerRead, double LogEntriesPerRead);

public static class ReadLoad
{
    public static ReadFigures Measure(ReadMode mode, int concurrency, TimeSpan duration)
    {
        var options = new ClusterOptions { NodeCount = 5, Seed = 42, ReadMode = mode, ClockDrift = mode == ReadMode.Lease ? 0.05 : 0 };
        var idle = Prepare(options, out _);
        var idleSent = CountSent(idle, () => idle.RunFor(duration));

        var cluster = Prepare(options, out var leader);
        var logBefore = cluster.Node(leader)!.LastLogIndex;
        var done = new List<ClientOperation>();
        var sent = CountSent(cluster, () =>
        {
            var open = new List<ClientOperation>();
            var end = cluster.Now + duration;
            var n = 0;
            while (cluster.Now < end)
            {
                foreach (var op in open.Where(o => o.IsCompleted)) done.Add(op);
                open.RemoveAll(o => o.IsCompleted);
                while (open.Count < concurrency) open.Add(cluster.Submit(KvCommand.Get($"k{n++ % 16}"), leader));
                cluster.Step();
            }
        });
        var latencies = done.Where(o => o.Result!.Status is KvStatus.Ok or KvStatus.NotFound)
            .Select(o => o.CompletedAt!.Value - o.InvokedAt).Order().ToArray();
        return new ReadFigures(latencies.Length,
            TimeSpan.FromTicks((long)latencies.Average(l => l.Ticks)),
            latencies[(int)(latencies.Length * 0.99)],
            (double)(sent - idleSent) / latencies.Length,
            (double)(cluster.Node(leader)!.LastLogIndex - logBefore) / latencies.Length);
    }

    /// <summary>A cluster with a leader and 16 keys written, settled for a second.</summary>
    private static Cluster Prepare(ClusterOptions options, out NodeId leader)
    {
        var cluster = new Cluster(options);
        cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5));
        leader = cluster.Leader!.Value;
        for (var i = 0; i < 16; i++)
        {
            var op = cluster.Submit(KvCommand.Put($"k{i}", $"v{i}"), leader);
            cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5));
        }
        cluster.RunFor(TimeSpan.FromSeconds(1));
        return cluster;
    }

    private static long CountSent(Cluster cluster, Action run)
    {
        long sent = 0;
        void Count(ClusterEvent e) { if (e is MessageSent) sent++; }
        cluster.EventRaised += Count;
        run();
        cluster.EventRaised -= Count;
        return sent;
    }
}
