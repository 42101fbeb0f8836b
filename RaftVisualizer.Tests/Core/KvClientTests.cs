using RaftVisualizer.Core;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

public class KvClientTests
{
    [Fact]
    public void Put_get_delete_round_trip_through_the_log()
    {
        var cluster = NewCluster(3, 4);
        cluster.ElectLeader();
        Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", "1")).Status);
        Assert.Equal("1", cluster.Do(KvCommand.Get("x")).Value);
        Assert.Equal("1-2", cluster.Do(KvCommand.Append("x", "-2")).Value);
        Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Delete("x")).Status);
        Assert.Equal(KvStatus.NotFound, cluster.Do(KvCommand.Get("x")).Status);
        Assert.Equal(KvStatus.NotFound, cluster.Do(KvCommand.Delete("x")).Status);
        cluster.AssertConverged();
        var commands = cluster.Nodes[0].Log.Where(e => e.Command.Kind != KvCommandKind.NoOp).Select(e => e.Command.ToString());
        Assert.Equal(new[] { "put x=1", "get x", "append x=-2", "delete x", "get x", "delete x" }, commands);
    }

    [Fact]
    public void A_request_sent_to_a_follower_is_redirected_to_the_leader()
    {
        ForSeeds(20, seed =>
        {
            var cluster = NewCluster(5, seed);
            var leader = cluster.ElectLeader();
            cluster.RunFor(TimeSpan.FromMilliseconds(200)); // followers learn who leads
            var follower = cluster.Nodes.First(n => n.Id != leader).Id;
            var op = cluster.Submit(KvCommand.Put("k", "v"), follower);
            cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(3));
            Assert.Equal(KvStatus.Ok, op.Result!.Status);
            Assert.Equal(leader, op.ServedBy);
            Assert.Equal(new[] { follower, leader }, op.Attempts.Select(a => a.To));
            Assert.Contains($"said the leader is {leader}", op.Attempts[1].Why);
        });
    }

    [Theory]
    [InlineData("", "v", "empty")]
    [InlineData("   ", "v", "empty")]
    [InlineData("k", null, "needs a value")]
    public void Bad_requests_are_rejected_with_a_clear_message(string key, string? value, string expected)
    {
        var cluster = NewCluster(3, 1);
        cluster.ElectLeader();
        var op = cluster.Submit(new KvCommand(KvCommandKind.Put, key, value));
        Assert.True(op.IsCompleted);
        Assert.Equal(KvStatus.Rejected, op.Result!.Status);
        Assert.Contains(expected, op.Result.Message);
    }

    [Fact]
    public void Oversized_keys_values_and_unknown_nodes_are_rejected_and_nothing_is_lost()
    {
        var cluster = NewCluster(3, 1);
        cluster.ElectLeader();
        cluster.Do(KvCommand.Put("keep", "me"));
        var longKey = cluster.Submit(KvCommand.Put(new string('k', 129), "v"));
        var hugeValue = cluster.Submit(KvCommand.Put("k", new string('v', 4097)));
        var unknown = cluster.Submit(KvCommand.Put("k", "v"), 42);
        Assert.Contains("129 characters", longKey.Result!.Message);
        Assert.Contains("4097 bytes", hugeValue.Result!.Message);
        Assert.Contains("no node S42", unknown.Result!.Message);
        Assert.Equal(KvStatus.Ok, cluster.Submit(KvCommand.Put(new string('k', 128), new string('v', 4096))) is var ok && cluster.RunUntil(_ => ok.IsCompleted, Second) ? ok.Result!.Status : KvStatus.Timeout);
        var markup = cluster.Do(KvCommand.Put("html", "<script>alert(1)</script>"));
        Assert.Equal(KvStatus.Ok, markup.Status);
        Assert.Equal("<script>alert(1)</script>", cluster.Do(KvCommand.Get("html")).Value);
        Assert.Equal("me", cluster.Do(KvCommand.Get("keep")).Value);
        cluster.AssertConverged();
    }

    [Fact]
    public void A_write_retried_after_its_leader_crashed_applies_exactly_once()
    {
        var retried = 0;
        ForSeeds(60, seed =>
        {
            var cluster = NewCluster(3, seed);
            var leader = cluster.ElectLeader();
            cluster.AssertConverged();
            var op = cluster.Submit(KvCommand.Append("log", "x"), leader);
            // crash the leader as soon as a follower stored the entry, before the client hears back
            cluster.RunUntil(c => c.Events.OfType<EntryAppended>().Any(a => a.Node != leader && a.Entry.Command.Kind == KvCommandKind.Append), Second);
            cluster.Crash(leader);
            cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5));
            Assert.Equal(KvStatus.Ok, op.Result!.Status);
            Assert.Equal("x", op.Result.Value);
            cluster.Restart(leader);
            cluster.AssertConverged();
            Assert.All(cluster.Nodes, n => Assert.Equal("x", n.Kv["log"]));
            if (op.Attempts.Count > 1) retried++;
        });
        Assert.True(retried > 30, $"only {retried} runs retried: the scenario did not exercise retries");
    }

    [Fact]
    public void A_leader_cut_off_from_the_majority_never_answers_a_read_with_a_stale_value()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(5, seed);
            var old = cluster.ElectLeader();
            cluster.Do(KvCommand.Put("x", "old"));
            cluster.Isolate(old);
            var others = cluster.Nodes.Select(n => n.Id).Where(id => id != old).ToArray();
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", "new"), others[0]).Status);
            var read = cluster.Submit(KvCommand.Get("x"), old);
            cluster.RunUntil(_ => read.IsCompleted, TimeSpan.FromSeconds(5));
            Assert.NotEqual("old", read.Result!.Value);
            cluster.Heal();
            cluster.AssertConverged();
            Assert.All(cluster.Nodes, n => Assert.Equal("new", n.Kv["x"]));
        });
    }

    [Fact]
    public void With_reads_from_any_node_the_isolated_leader_serves_a_stale_value()
    {
        var cluster = NewCluster(5, 3, o => o with { Broken = BrokenRules.ReadsFromAnyNode });
        var old = cluster.ElectLeader();
        cluster.Do(KvCommand.Put("x", "old"));
        cluster.Isolate(old);
        var others = cluster.Nodes.Select(n => n.Id).Where(id => id != old).ToArray();
        cluster.Do(KvCommand.Put("x", "new"), others[0]);
        Assert.Equal("old", cluster.Do(KvCommand.Get("x"), old).Value);
    }
}
