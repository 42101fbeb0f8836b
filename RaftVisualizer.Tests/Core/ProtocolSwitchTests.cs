using RaftVisualizer.Core;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>The two Figure 2 departures the protocol panel can switch off: fast backtracking (§5.3) and the election no-op (§8).</summary>
public class ProtocolSwitchTests
{
    /// <summary>
    /// How many AppendEntries a follower refused before it caught up: it missed ten writes while
    /// down, then a new leader (which starts optimistic, nextIndex = its log's end + 1) found it behind.
    /// </summary>
    private static int RefusalsToCatchUp(bool fast, ulong seed)
    {
        var cluster = NewCluster(5, seed, o => o with { FastBacktracking = fast });
        var leader = cluster.ElectLeader();
        var lagging = new NodeId[] { 1, 2, 3, 4, 5 }.First(n => n != leader);
        cluster.Crash(lagging);
        for (var i = 0; i < 10; i++) cluster.Do(KvCommand.Put("k", $"v{i}"));
        cluster.AssertConverged();
        cluster.Crash(leader);
        cluster.RunFor(TimeSpan.FromMilliseconds(100)); // the old leader's last messages land (on a server that is down) first
        cluster.Restart(lagging);
        var from = cluster.Events.Count;
        Assert.True(cluster.RunUntil(c => c.Leader is { } l && l != leader, TimeSpan.FromSeconds(5)), "no new leader");
        cluster.AssertConverged(5);
        return cluster.Events.Skip(from).OfType<MessageDelivered>()
            .Count(d => d.Message is AppendEntriesReply { Success: false } r && r.From == lagging);
    }

    [Fact]
    public void Without_fast_backtracking_the_leader_walks_back_one_entry_per_refusal()
    {
        ForSeeds(10, seed =>
        {
            var fast = RefusalsToCatchUp(true, seed);
            var slow = RefusalsToCatchUp(false, seed);
            Assert.True(fast <= 2, $"fast backtracking took {fast} refusals");
            Assert.True(slow >= 10, $"one entry at a time took only {slow} refusals"); // ten puts behind, at least
        });
    }

    [Fact]
    public void Without_the_election_no_op_a_new_leader_commits_nothing_until_a_client_writes()
    {
        ForSeeds(10, seed =>
        {
            var cluster = NewCluster(3, seed, o => o with { ElectionNoOp = false });
            var leader = cluster.ElectLeader();
            cluster.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(0, cluster.Node(leader)!.LastLogIndex);
            Assert.Equal(0, cluster.Node(leader)!.CommitIndex);
            Assert.Contains("has not yet committed an entry of its term", cluster.AddServer().Message);
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", "1")).Status);
            cluster.AssertConverged();
            Assert.Equal("1:t" + cluster.Node(leader)!.Term + " put x=1", cluster.Node(leader)!.Entry(1)!.ToString());
        });
    }
}
