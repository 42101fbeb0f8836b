// facade: only RaftVisualizer.Core — this file must compile with the one using below (the namespace tool leaves it alone).
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Architecture;

/// <summary>
/// DESIGN.md's Core facade, written as outside code writes it: with only
/// <c>using RaftVisualizer.Core;</c>. Moving a facade type into a sub-namespace breaks this file's
/// build; the assertions check the story the facade tells (a leader, a write read back, a crash
/// survived, a server added).
/// </summary>
public sealed class FacadeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void The_design_cards_facade_works_with_one_using()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 5, Seed = 42, PreVote = true, CheckQuorum = true, SnapshotThreshold = 50, ReadMode = ReadMode.ReadIndex });
        cluster.RunFor(TimeSpan.FromSeconds(1));
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
        NodeId leader = cluster.Leader!.Value;
        NodeView leaderView = cluster.Nodes.Single(n => n.Id == leader);
        Assert.Equal(NodeRole.Leader, leaderView.Role);

        ClientOperation put = cluster.Submit(KvCommand.Put("x", "1"), via: leader);
        Assert.True(cluster.RunUntil(_ => put.IsCompleted, Timeout));
        KvResult? putResult = put.Result;
        Assert.Equal(KvStatus.Ok, putResult!.Status);
        LogEntry last = leaderView.Log[^1];
        Assert.Equal("put x=1", last.Command.ToString());

        ActionResult crash = cluster.Crash(leader);
        Assert.True(crash.Ok);
        Assert.True(cluster.RunUntil(c => c.Leader is { } l && l != leader, Timeout));
        var get = cluster.Submit(KvCommand.Get("x"));
        Assert.True(cluster.RunUntil(_ => get.IsCompleted, Timeout));
        Assert.Equal("1", get.Result!.Value);
        Assert.True(cluster.Restart(leader).Ok);

        cluster.Network.SetLatency(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30));
        cluster.Network.LossRate = 0.0;
        SimNetwork network = cluster.Network;
        network.Filter = m => !(m is AppendEntries a && a.To == leader);
        network.Filter = null;
        Assert.True(cluster.Partition(new[] { cluster.Nodes[0].Id, cluster.Nodes[1].Id }, cluster.Nodes.Skip(2).Select(n => n.Id).ToArray()).Ok);
        Assert.True(cluster.Heal().Ok);

        Cluster copy = cluster.Clone();
        Assert.Equal(cluster.Now, copy.Now);
        Assert.True(cluster.AddServer().Ok);
        Assert.True(cluster.RunUntil(c => c.Nodes.Count == 6 && c.Nodes[^1].Membership == Membership.Voter, Timeout));
        Configuration config = cluster.Configuration;
        Assert.Equal(6, config.Voters.Count);

        IReadOnlyList<ClusterEvent> events = cluster.Events;
        Assert.Contains(events, e => e is RoleChanged { Role: NodeRole.Leader });
        Assert.Contains(cluster.History, op => op.Command.Kind == KvCommandKind.Put);
        Assert.True(cluster.Nodes.All(n => !n.IsUp || n.LastLogIndex >= 1));
        Assert.Empty(cluster.Safety.Violations);
    }
}
