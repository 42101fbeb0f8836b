using BenchmarkDotNet.Attributes;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Torture;

namespace RaftVisualizer.Benchmarks;

/// <summary>
/// One torture seed end to end: cluster, clients and nemesis for 4 simulated seconds, healing,
/// convergence and the linearizability check. Seeds per minute on one core = 60 s / Mean.
/// </summary>
[MemoryDiagnoser]
public class TortureBenchmarks
{
    [Params(BrokenRules.None, BrokenRules.ReadsFromAnyNode)]
    public BrokenRules Broken { get; set; }

    /// <summary>Ten consecutive seeds, so one slow or quick seed does not dominate.</summary>
    [Benchmark(OperationsPerInvoke = 10)]
    public int TenSeeds()
    {
        var passed = 0;
        for (ulong seed = 1; seed <= 10; seed++)
            if (TortureRun.Run(new TortureOptions { Seed = seed, Broken = Broken }).Passed) passed++;
        return passed;
    }
}
