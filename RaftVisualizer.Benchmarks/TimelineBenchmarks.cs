using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Benchmarks;

/// <summary>
/// Seeking in a 30-minute run at 1× (5 servers, 10 client operations in flight, the core
/// benchmark's load). GlobalSetup records the run once into a timeline, prints the keyframes'
/// memory (the timeline's heap minus that of a plain cluster given the same load) and the p50/p95/max
/// of 200 single seeks to random steps timed one by one; the benchmark then times seeks in random order.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
public class TimelineBenchmarks
{
    /// <summary>With one seek per iteration (--invocationCount 1 --unrollFactor 1), P95 is the p95 of single seeks.</summary>
    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
    }

    private static readonly TimeSpan Run = TimeSpan.FromMinutes(30);
    private Timeline _timeline = null!;
    private long[] _targets = [];
    private int _next;

    [GlobalSetup]
    public void Record()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var plain = new Cluster(Options);
        var watch = Stopwatch.StartNew();
        Load(plain, span => plain.RunFor(span));
        var plainTime = watch.Elapsed;
        var plainBytes = GC.GetTotalMemory(true) - before;
        GC.KeepAlive(plain);
        plain = null;
        before = GC.GetTotalMemory(true);

        watch.Restart();
        _timeline = new Timeline(Options);
        Load(_timeline.Head, _timeline.Advance);
        var timelineTime = watch.Elapsed;
        var timelineBytes = GC.GetTotalMemory(true) - before;

        var random = new Random(42);
        _targets = Enumerable.Range(0, 200).Select(_ => random.NextInt64(0, _timeline.HeadStep + 1)).ToArray();
        foreach (var step in _targets.Take(20)) _timeline.SeekStep(step); // warm up (JIT) before timing
        var times = new List<double>();
        foreach (var step in _targets)
        {
            watch.Restart();
            _timeline.SeekStep(step);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"// 30 min at 1x: {_timeline.HeadStep:N0} steps, {_timeline.Commands.Count:N0} commands, {_timeline.Head.History.Count:N0} client operations");
        Console.WriteLine($"// recording: plain cluster {plainTime.TotalSeconds:0.00} s, timeline {timelineTime.TotalSeconds:0.00} s");
        Console.WriteLine($"// heap: plain cluster {plainBytes / 1e6:0.0} MB, timeline {timelineBytes / 1e6:0.0} MB, keyframes {(timelineBytes - plainBytes) / 1e6:0.0} MB " +
                          $"({_timeline.KeyframeSteps.Count} keyframes, every {_timeline.KeyframeEvery:N0} steps)");
        Console.WriteLine($"// single seeks to random steps (n={times.Count}): p50 {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95)]:0.0} ms, max {times[^1]:0.0} ms");
    }

    private static ClusterOptions Options => new() { NodeCount = 5, Seed = 42 };

    private static readonly string[] Keys = Enumerable.Range(0, 16).Select(i => $"k{i}").ToArray();

    /// <summary>Ten operations always in flight, as <see cref="ClientLoad"/> keeps them.</summary>
    private static void Load(Cluster cluster, Action<TimeSpan> advance)
    {
        var open = new List<ClientOperation>();
        var n = 0;
        while (cluster.Now < Run)
        {
            open.RemoveAll(o => o.IsCompleted);
            while (open.Count < 10)
            {
                n++;
                var key = Keys[n % Keys.Length];
                open.Add(cluster.Submit(n % 3 == 0 ? KvCommand.Get(key) : KvCommand.Put(key, $"v{n}")));
            }
            advance(TimeSpan.FromMilliseconds(5));
        }
    }

    [Benchmark]
    public ClusterFrame SeekToRandomStep() => _timeline.SeekStep(_targets[_next++ % _targets.Length]);
}
