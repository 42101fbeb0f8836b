using RaftVisualizer.Core;

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
        var live = cluster.Nodes.Where(n => n.IsUp).ToArray();
        var first = live[0];
        foreach (var node in live.Skip(1))
        {
            Assert.True(first.CommitIndex == node.CommitIndex, $"commit index {first.Id}={first.CommitIndex} but {node.Id}={node.CommitIndex}");
            Assert.Equal(Committed(first), Committed(node));
            Assert.Equal(first.Kv.OrderBy(p => p.Key), node.Kv.OrderBy(p => p.Key));
        }
    }

    public static bool Converged(Cluster c) => Convergence.IsSettled(c);

    public static string[] Committed(NodeView n) => n.Log.Take((int)n.CommitIndex).Select(e => e.ToString()).ToArray();
}
