using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Tests.Core;

/// <summary>Checks every scenario ends with, and the loop that runs a scenario over many seeds.</summary>
internal static class ClusterChecks
{
    public static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public static Cluster NewCluster(int nodes, ulong seed, Func<ClusterOptions, ClusterOptions>? tweak = null)
    {
        var options = new ClusterOptions { NodeCount = nodes, Seed = seed };
        return new Cluster(tweak is null ? options : tweak(options));
    }

    /// <summary>Runs <paramref name="scenario"/> for each seed and names the seed that failed.</summary>
    public static void ForSeeds(int count, Action<ulong> scenario, ulong first = 1)
    {
        for (var seed = first; seed < first + (ulong)count; seed++)
        {
            try { scenario(seed); }
            catch (Exception e) { throw new Xunit.Sdk.XunitException($"seed {seed}: {e.Message}\n{e.StackTrace}"); }
        }
    }

    public static NodeId ElectLeader(this Cluster cluster, double seconds = 5)
    {
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(seconds)), "no leader was elected");
        return cluster.Leader!.Value;
    }

    public static KvResult Do(this Cluster cluster, KvCommand command, NodeId? via = null, double seconds = 10)
    {
        var op = cluster.Submit(command, via);
        cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(seconds));
        Assert.True(op.IsCompleted, $"{command} never completed");
        return op.Result!;
    }

    public static void AssertSafe(this Cluster cluster) =>
        Assert.True(cluster.Safety.IsSafe, cluster.Safety.FirstViolation?.ToString());

    /// <summary>
    /// Lets the cluster settle, then requires that every live node holds the same committed log and
    /// the same KV map, and that no safety property broke along the way.
    /// </summary>
    public static void AssertConverged(this Cluster cluster, double settleSeconds = 3)
    {
        cluster.RunUntil(c => Converged(c), TimeSpan.FromSeconds(settleSeconds));
        cluster.AssertSafe();
        var config = cluster.Configuration;
        var live = cluster.Nodes.Where(n => n.IsUp && config.Contains(n.Id)).ToArray();
        var first = live[0];
        foreach (var node in live.Skip(1))
        {
            Assert.True(first.CommitIndex == node.CommitIndex, $"commit index {first.Id}={first.CommitIndex} but {node.Id}={node.CommitIndex}");
            var from = Math.Max(first.SnapshotIndex, node.SnapshotIndex) + 1;
            Assert.Equal(Committed(first, from), Committed(node, from));
            Assert.Equal(first.Kv.OrderBy(p => p.Key), node.Kv.OrderBy(p => p.Key));
        }
    }

    public static bool Converged(Cluster c) => Convergence.IsSettled(c);

    /// <summary>The committed entries from <paramref name="from"/> on (the ones before live in the snapshot), as a log prints them.</summary>
    public static string[] Committed(NodeView n, long from = 1) =>
        Enumerable.Range((int)from, (int)Math.Max(0, n.CommitIndex - from + 1)).Select(i => n.Entry(i)?.ToString() ?? "(compacted)").ToArray();
}
