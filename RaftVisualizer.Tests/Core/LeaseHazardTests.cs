using RaftVisualizer.Core;
using RaftVisualizer.Core.Linearizability;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// A lease is only as good as the promise of the servers that acknowledged it: none of them helps
/// elect another leader for an election timeout. Two user actions could break that promise: a forced
/// timeout on a server that just heard the leader, and a server that restarts (forgetting whom it
/// heard) and votes at once. Both are guarded in lease mode.
/// </summary>
public class LeaseHazardTests
{
    /// <summary>S_l leads with a lease; S_b cannot hear it, S_a can. Something makes S_a or S_b the new leader at once; reads go on at S_l.</summary>
    private static (int Stale, Cluster Cluster) Run(ulong seed, Action<Cluster, NodeId, NodeId> hazard)
    {
        var cluster = NewCluster(3, seed, o => o with { ReadMode = ReadMode.Lease });
        var leader = cluster.ElectLeader();
        Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", "old"), leader).Status);
        var others = cluster.Nodes.Where(n => n.Id != leader).Select(n => n.Id).ToArray();
        var (a, b) = (others[0], others[1]);
        cluster.Network.Cut(leader, b);
        cluster.Network.Cut(b, leader);
        cluster.RunFor(TimeSpan.FromMilliseconds(60 + (long)(seed % 40))); // S_a acknowledges rounds: the lease rests on it
        hazard(cluster, a, b);
        var reads = new List<ClientOperation>();
        ClientOperation? write = null;
        var end = cluster.Now + TimeSpan.FromMilliseconds(400);
        while (cluster.Now < end)
        {
            reads.Add(cluster.Submit(KvCommand.Get("x"), leader, TimeSpan.FromMilliseconds(200)));
            if (write is null && cluster.Leader is { } fresh && fresh != leader) write = cluster.Submit(KvCommand.Put("x", "new"), fresh);
            cluster.RunFor(TimeSpan.FromMilliseconds(2));
        }
        cluster.Heal();
        cluster.RunFor(TimeSpan.FromSeconds(2));
        var stale = write?.CompletedAt is { } done ? reads.Count(r => r.InvokedAt > done && r.Result == KvResult.Ok("old")) : 0;
        return (stale, cluster);
    }

    [Fact]
    public void A_forced_timeout_is_refused_while_the_server_hears_a_leader_and_no_read_goes_stale()
    {
        ForSeeds(30, seed =>
        {
            ActionResult? forced = null;
            var (stale, cluster) = Run(seed, (c, a, _) => forced = c.ForceTimeout(a));
            Assert.False(forced!.Ok);
            Assert.Contains("heard from leader", forced.Message);
            Assert.Equal(0, stale);
            AssertLinearizable(cluster);
        });
    }

    [Fact]
    public void A_restarted_server_votes_for_no_one_for_an_election_timeout_so_no_read_goes_stale()
    {
        ForSeeds(30, seed =>
        {
            var (stale, cluster) = Run(seed, (c, a, _) => { c.Crash(a); c.Restart(a); });
            Assert.Equal(0, stale);
            AssertLinearizable(cluster);
        });
    }

    private static void AssertLinearizable(Cluster cluster)
    {
        cluster.AssertSafe();
        var verdict = LinearizabilityChecker.Check(ClusterHistoryAdapter.FromCluster(cluster.History), TimeSpan.FromSeconds(10));
        Assert.True(verdict.Verdict == LinearizabilityVerdict.Linearizable, verdict.Explanation);
    }
}
