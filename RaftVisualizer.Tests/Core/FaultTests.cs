using RaftVisualizer.Core;
using RaftVisualizer.Core.Simulation;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

public class FaultTests
{
    [Fact]
    public void All_nodes_crashed_and_restarted_keep_every_committed_write()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(5, seed);
            cluster.ElectLeader();
            for (var i = 0; i < 10; i++) cluster.Do(KvCommand.Put($"k{i}", $"v{i}"));
            var term = cluster.Nodes.Max(n => n.Term);
            foreach (var n in cluster.Nodes) Assert.True(cluster.Crash(n.Id).Ok);
            Assert.Null(cluster.Leader);
            cluster.RunFor(TimeSpan.FromSeconds(1));
            foreach (var n in cluster.Nodes) Assert.True(cluster.Restart(n.Id).Ok);
            Assert.All(cluster.Nodes, n => Assert.Empty(n.Kv)); // the map is volatile...
            cluster.ElectLeader();
            cluster.AssertConverged();
            Assert.All(cluster.Nodes, n => Assert.Equal(10, n.Kv.Count)); // ...and rebuilt from the durable log
            Assert.Equal("v7", cluster.Do(KvCommand.Get("k7")).Value);
            Assert.True(cluster.Nodes.Max(n => n.Term) > term);
        });
    }

    [Fact]
    public void Bad_fault_requests_are_refused_with_a_reason_and_change_nothing()
    {
        var cluster = NewCluster(3, 1);
        cluster.ElectLeader();
        var events = cluster.Events.Count;
        Assert.Contains("no node S9", cluster.Crash(9).Message);
        Assert.Contains("no node S0", cluster.Restart(0).Message);
        Assert.Contains("already up", cluster.Restart(1).Message);
        Assert.True(cluster.Crash(2).Ok);
        var again = cluster.Crash(2);
        Assert.False(again.Ok);
        Assert.Contains("already down", again.Message);
        Assert.False(cluster.Partition(new NodeId[] { 1, 7 }).Ok);
        Assert.False(cluster.Network.Cut(1, 1).Ok);
        Assert.False(cluster.Network.SetLatency(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10)).Ok);
        Assert.Single(cluster.Events.Skip(events), e => e is NodeCrashed);
        cluster.AssertSafe();
    }

    [Fact]
    public void An_unreliable_network_with_churn_stays_safe_and_converges_once_calm()
    {
        ForSeeds(40, seed =>
        {
            var cluster = NewCluster(5, seed, o => o with { LossRate = 0.1, DuplicateRate = 0.05, MaxLatency = TimeSpan.FromMilliseconds(120) });
            var random = new RaftVisualizer.Core.Simulation.SimRandom(seed * 31);
            var ops = new List<ClientOperation>();
            for (var round = 0; round < 12; round++)
            {
                var victim = (NodeId)(random.Next(5) + 1);
                if (cluster.Node(victim)!.IsUp && cluster.Nodes.Count(n => n.IsUp) > 3) cluster.Crash(victim);
                else cluster.Restart(victim);
                ops.Add(cluster.Submit(KvCommand.Append("log", $"[{round}]")));
                ops.Add(cluster.Submit(KvCommand.Get("log")));
                cluster.RunFor(TimeSpan.FromMilliseconds(random.Next(400)));
            }
            foreach (var n in cluster.Nodes.Where(n => !n.IsUp).ToArray()) cluster.Restart(n.Id);
            cluster.Network.LossRate = 0;
            cluster.Network.DuplicateRate = 0;
            cluster.Heal();
            cluster.RunUntil(_ => ops.All(o => o.IsCompleted), TimeSpan.FromSeconds(10));
            cluster.AssertConverged(5);
            // each acknowledged append appears exactly once, in one order on every node
            var value = cluster.Nodes[0].Kv.GetValueOrDefault("log") ?? "";
            foreach (var op in ops.Where(o => o.Command.Kind == KvCommandKind.Append && o.Result!.Status == KvStatus.Ok))
                Assert.Equal(1, Occurrences(value, op.Command.Value!));
        });
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
