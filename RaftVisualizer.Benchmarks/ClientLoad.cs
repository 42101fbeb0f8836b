using RaftVisualizer.Core;

namespace RaftVisualizer.Benchmarks;

/// <summary>Runs a cluster while keeping a fixed number of client operations in flight.</summary>
public static class ClientLoad
{
    private static readonly string[] Keys = Enumerable.Range(0, 16).Select(i => $"k{i}").ToArray();

    /// <summary>Runs for <paramref name="duration"/> of simulated time; returns how many messages were delivered.</summary>
    public static long Run(Cluster cluster, TimeSpan duration, int concurrency)
    {
        long delivered = 0;
        void Count(ClusterEvent e) { if (e is MessageDelivered) delivered++; }
        cluster.EventRaised += Count;
        var open = new List<ClientOperation>();
        var n = 0;
        var end = cluster.Now + duration;
        while (cluster.Now < end)
        {
            open.RemoveAll(o => o.IsCompleted);
            while (open.Count < concurrency)
            {
                n++;
                var key = Keys[n % Keys.Length];
                open.Add(cluster.Submit(n % 3 == 0 ? KvCommand.Get(key) : KvCommand.Put(key, $"v{n}")));
            }
            cluster.RunFor(TimeSpan.FromMilliseconds(5));
        }
        cluster.EventRaised -= Count;
        return delivered;
    }
}
