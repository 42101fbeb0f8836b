using BenchmarkDotNet.Attributes;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Benchmarks;

/// <summary>
/// Simulated message deliveries per second: a 5-node cluster under client load, every event
/// recorded and checked by the safety monitor. The run is deterministic, so each invocation
/// delivers the same number of messages (printed once in GlobalSetup); deliveries per second
/// = that count / the mean time.
/// </summary>
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    private static readonly TimeSpan Simulated = TimeSpan.FromSeconds(10);

    [Params(10, 50)]
    public int Concurrency { get; set; }

    /// <summary>0 = no compaction; otherwise every server snapshots its state machine and drops its log each time it has applied this many entries more.</summary>
    [Params(0, 100)]
    public int SnapshotThreshold { get; set; }

    [GlobalSetup]
    public void CountDeliveries()
    {
        var cluster = NewCluster();
        long events = 0, snapshots = 0, installs = 0;
        cluster.EventRaised += e =>
        {
            events++;
            if (e is SnapshotTaken) snapshots++;
            else if (e is SnapshotInstalled) installs++;
        };
        var delivered = ClientLoad.Run(cluster, Simulated, Concurrency);
        Console.WriteLine($"// deliveries per invocation (concurrency {Concurrency}, snapshot threshold {SnapshotThreshold}): {delivered}; " +
            $"events {events}, client ops {cluster.History.Count + cluster.HistoryCut.DroppedOperations}, snapshots taken {snapshots}, installed {installs}, " +
            $"longest log kept {cluster.Nodes.Max(n => n.Log.Count)} entries of {cluster.Nodes.Max(n => n.LastLogIndex)}");
    }

    private Cluster NewCluster() => new(new ClusterOptions { NodeCount = 5, Seed = 42, SnapshotThreshold = SnapshotThreshold });

    [Benchmark]
    public long FiveNodesUnderClientLoad() => ClientLoad.Run(NewCluster(), Simulated, Concurrency);
}
