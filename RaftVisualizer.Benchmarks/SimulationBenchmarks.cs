using BenchmarkDotNet.Attributes;
using RaftVisualizer.Core;

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

    [GlobalSetup]
    public void CountDeliveries()
    {
        var delivered = ClientLoad.Run(NewCluster(), Simulated, Concurrency);
        Console.WriteLine($"// deliveries per invocation (concurrency {Concurrency}): {delivered}");
    }

    private static Cluster NewCluster() => new(new ClusterOptions { NodeCount = 5, Seed = 42 });

    [Benchmark]
    public long FiveNodesUnderClientLoad() => ClientLoad.Run(NewCluster(), Simulated, Concurrency);
}
