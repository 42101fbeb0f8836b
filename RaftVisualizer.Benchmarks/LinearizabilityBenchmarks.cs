using BenchmarkDotNet.Attributes;
using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Benchmarks;

/// <summary>
/// Times the linearizability checker on a generated 10,000-operation, 10-client history of a
/// correct store and on Porcupine's c50-ok history (which Porcupine checks in about 169 ms).
/// </summary>
[MemoryDiagnoser]
public class LinearizabilityBenchmarks
{
    private IReadOnlyList<KvHistoryOp> _generated = [];
    private IReadOnlyList<KvHistoryOp> _porcupineC50Ok = [];

    [GlobalSetup]
    public void Setup()
    {
        _generated = SimulatedKvHistoryGenerator.Generate(operations: 10_000, clients: 10, keys: 20, seed: 42);
        _porcupineC50Ok = JepsenKvHistoryParser.Parse(File.ReadAllText(Path.Combine(FindPorcupineData(), "c50-ok.txt")));
    }

    [Benchmark]
    public LinearizabilityVerdict Generated10kOps10Clients() => LinearizabilityChecker.Check(_generated).Verdict;

    [Benchmark]
    public LinearizabilityVerdict PorcupineC50Ok() => LinearizabilityChecker.Check(_porcupineC50Ok).Verdict;

    /// <summary>Walks up from the binaries and the working directory to find shared/data/porcupine-kv beside an ancestor.</summary>
    private static string FindPorcupineData()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data", "porcupine-kv");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("shared/data/porcupine-kv was not found beside any ancestor directory.");
    }
}
