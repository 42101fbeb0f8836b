using RaftVisualizer.Core;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Snapshots;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Snapshots;

/// <summary>Paper section 7: compaction keeps logs short, InstallSnapshot catches a follower up, a restart starts from the snapshot.</summary>
public class SnapshotTests
{
    private static Cluster Compacting(int nodes, ulong seed, int threshold = 10) =>
        NewCluster(nodes, seed, o => o with { SnapshotThreshold = threshold });

    private static void Write(Cluster cluster, int count, string prefix = "k")
    {
        for (var i = 0; i < count; i++) Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put($"{prefix}{i % 7}", $"v{i}")).Status);
    }

    [Fact]
    public void Past_the_threshold_every_server_keeps_a_short_log_and_the_same_map()
    {
        ForSeeds(30, seed =>
        {
            var cluster = Compacting(3, seed);
            cluster.ElectLeader();
            Write(cluster, 60);
            cluster.AssertConverged();
            foreach (var node in cluster.Nodes)
            {
                Assert.True(node.Log.Count <= 10, $"{node.Id} holds {node.Log.Count} entries");
                Assert.True(node.SnapshotIndex > 0);
                Assert.Equal(node.LastLogIndex, node.SnapshotIndex + node.Log.Count);
                Assert.Equal(node.SnapshotIndex + 1, node.Log.FirstOrDefault()?.Index ?? node.SnapshotIndex + 1);
                Assert.Equal("v59", node.Kv["k3"]);
                Assert.Equal(node.Snapshot!.LastIndex, node.SnapshotIndex);
            }
            Assert.True(cluster.Nodes[0].LastLogIndex > 60); // it counts the compacted entries (60 puts and a no-op at least)
        });
    }

    [Fact]
    public void A_lagging_follower_restarted_after_the_leader_compacted_catches_up_through_InstallSnapshot()
    {
        ForSeeds(30, seed =>
        {
            var cluster = Compacting(3, seed);
            var leader = cluster.ElectLeader();
            var lagging = new NodeId[] { 1, 2, 3 }.First(n => n != leader);
            Assert.True(cluster.Crash(lagging).Ok);
            Write(cluster, 40);
            Assert.True(cluster.Node(cluster.Leader!.Value)!.SnapshotIndex > cluster.Node(lagging)!.LastLogIndex);
            Assert.True(cluster.Restart(lagging).Ok);
            cluster.AssertConverged(5);
            Assert.Contains(cluster.Events, e => e is SnapshotInstalled i && i.Node == lagging);
            Assert.Contains(cluster.Events, e => e is MessageSent { Message: InstallSnapshot } m && m.Message.To == lagging);
            Assert.Equal(cluster.Node(cluster.Leader!.Value)!.Kv.OrderBy(p => p.Key), cluster.Node(lagging)!.Kv.OrderBy(p => p.Key));
        });
    }

    [Fact]
    public void Everything_crashes_and_restarts_after_compaction_and_nothing_is_lost()
    {
        ForSeeds(30, seed =>
        {
            var cluster = Compacting(5, seed, threshold: 8);
            cluster.ElectLeader();
            Write(cluster, 30);
            cluster.AssertConverged();
            var before = cluster.Nodes[0].Kv.OrderBy(p => p.Key).ToArray();
            foreach (var node in cluster.Nodes) Assert.True(cluster.Crash(node.Id).Ok);
            foreach (var node in cluster.Nodes) Assert.True(cluster.Restart(node.Id).Ok);
            cluster.ElectLeader();
            Write(cluster, 1, "after");
            cluster.AssertConverged();
            foreach (var node in cluster.Nodes)
                Assert.Equal(before.Append(new("after0", "v0")).OrderBy(p => p.Key), node.Kv.OrderBy(p => p.Key));
        });
    }

    [Fact]
    public void A_snapshot_keeps_the_client_sessions_so_a_retried_write_still_applies_once()
    {
        var store = new KvStore();
        var session = new ClientSession(7, 1);
        store.Apply(KvCommand.Append("x", "a"), session);
        var copy = new KvStore();
        copy.Restore(store.Capture());
        Assert.Equal("a", copy.Apply(KvCommand.Append("x", "a"), session).Value); // the cached answer: not applied twice
        Assert.Equal("a", copy.Data["x"]);
    }

    [Fact]
    public void Membership_changes_survive_compaction_and_a_new_server_is_caught_up_by_snapshot()
    {
        ForSeeds(20, seed =>
        {
            var cluster = Compacting(3, seed, threshold: 5);
            cluster.ElectLeader();
            Write(cluster, 20);
            ActionResult added = ActionResult.Refused("");
            Assert.True(cluster.RunUntil(c => (added = c.AddServer()).Ok, TimeSpan.FromSeconds(5)), added.Message);
            Assert.True(cluster.RunUntil(c => c.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)), "S4 was never promoted");
            Write(cluster, 20, "more");
            cluster.AssertConverged();
            Assert.Contains(cluster.Events, e => e is SnapshotInstalled { Node.Value: 4 });
            foreach (var node in cluster.Nodes)
            {
                Assert.Equal(new NodeId[] { 1, 2, 3, 4 }, node.Config.Voters); // the configuration is in every snapshot or log
                Assert.Equal("v19", node.Kv["more5"]);
            }
        });
    }
}
