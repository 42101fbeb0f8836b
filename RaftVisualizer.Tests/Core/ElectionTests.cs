using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

public class ElectionTests
{
    [Fact]
    public void A_leader_is_elected_within_a_second_and_stays_while_nothing_fails()
    {
        ForSeeds(100, seed =>
        {
            var cluster = NewCluster(5, seed);
            var leader = cluster.ElectLeader(seconds: 1);
            var term = cluster.Node(leader)!.Term;
            cluster.RunFor(TimeSpan.FromSeconds(5));
            Assert.Equal(leader, cluster.Leader);
            Assert.All(cluster.Nodes, n => Assert.Equal(term, n.Term));
            Assert.All(cluster.Nodes.Where(n => n.Id != leader), n => Assert.Equal(NodeRole.Follower, n.Role));
            cluster.AssertConverged();
        });
    }

    [Fact]
    public void The_new_leader_commits_a_no_op_of_its_own_term()
    {
        var cluster = NewCluster(3, 7);
        var leader = cluster.ElectLeader();
        cluster.AssertConverged();
        var node = cluster.Node(leader)!;
        Assert.Equal("no-op", node.Log[^1].Command.ToString());
        Assert.Equal(node.Term, node.Log[^1].Term);
    }

    [Fact]
    public void An_isolated_leader_is_replaced_and_steps_down_when_the_partition_heals()
    {
        ForSeeds(50, seed =>
        {
            var cluster = NewCluster(5, seed);
            var old = cluster.ElectLeader();
            var oldTerm = cluster.Node(old)!.Term;
            cluster.Isolate(old);
            Assert.True(cluster.RunUntil(c => c.Leader is { } l && l != old, TimeSpan.FromSeconds(3)), "no new leader");
            var fresh = cluster.Leader!.Value;
            Assert.True(cluster.Node(fresh)!.Term > oldTerm);
            Assert.Equal(NodeRole.Leader, cluster.Node(old)!.Role); // it has not heard the news yet

            cluster.Heal();
            Assert.True(cluster.RunUntil(c => c.Node(old)!.Role == NodeRole.Follower, TimeSpan.FromSeconds(2)), "old leader never stepped down");
            Assert.True(cluster.Node(old)!.Term > oldTerm);
            cluster.AssertConverged();
        });
    }

    [Fact]
    public void No_leader_is_elected_without_a_quorum()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(5, seed);
            var leader = cluster.ElectLeader();
            foreach (var n in cluster.Nodes.Where(n => n.Id != leader).Take(3).ToArray()) cluster.Crash(n.Id);
            cluster.RunFor(TimeSpan.FromSeconds(1));
            Assert.False(cluster.RunUntil(c => c.Nodes.Any(n => n.IsUp && n.Role == NodeRole.Leader && n.Id != leader), TimeSpan.FromSeconds(5)));
            var write = cluster.Submit(KvCommand.Put("x", "1"));
            cluster.RunUntil(_ => write.IsCompleted, TimeSpan.FromSeconds(10));
            Assert.Equal(KvStatus.Timeout, write.Result!.Status);
            foreach (var n in cluster.Nodes.Where(n => !n.IsUp).ToArray()) cluster.Restart(n.Id);
            cluster.AssertConverged(5);
        });
    }

    [Fact]
    public void An_even_split_makes_no_progress_on_either_side()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(4, seed);
            cluster.ElectLeader();
            cluster.AssertConverged();
            var committed = cluster.Nodes.Select(n => n.CommitIndex).ToArray();
            cluster.Partition(new NodeId[] { 1, 2 }, new NodeId[] { 3, 4 });
            var leadersBefore = cluster.Events.OfType<RoleChanged>().Count(r => r.Role == NodeRole.Leader);
            var writes = new[] { cluster.Submit(KvCommand.Put("a", "1"), 1), cluster.Submit(KvCommand.Put("b", "2"), 3) };
            cluster.RunFor(TimeSpan.FromSeconds(4));
            Assert.All(writes, w => Assert.Equal(KvStatus.Timeout, w.Result!.Status));
            Assert.Equal(leadersBefore, cluster.Events.OfType<RoleChanged>().Count(r => r.Role == NodeRole.Leader)); // nobody wins a new term
            Assert.Equal(committed, cluster.Nodes.Select(n => n.CommitIndex).ToArray());
            cluster.Heal();
            cluster.AssertConverged(5);
            // both writes timed out but sat uncommitted in the old leader's log: each may or may not survive
            Assert.All(cluster.Nodes, n => Assert.True(!n.Kv.ContainsKey("a") || n.Kv["a"] == "1"));
            Assert.All(cluster.Nodes, n => Assert.True(!n.Kv.ContainsKey("b") || n.Kv["b"] == "2"));
        });
    }

    [Fact]
    public void A_candidate_with_a_stale_log_is_refused_with_the_reason()
    {
        var cluster = NewCluster(3, 3);
        var leader = cluster.ElectLeader();
        var lagging = cluster.Nodes.First(n => n.Id != leader).Id;
        cluster.Crash(lagging);
        Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", "1")).Status);
        cluster.Crash(leader);
        cluster.Restart(lagging);
        cluster.ForceTimeout(lagging);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));
        var refusal = cluster.Events.OfType<MessageDelivered>().Select(d => d.Message).OfType<RequestVoteReply>()
            .First(r => r.To == lagging && !r.Granted);
        Assert.Contains("is behind", refusal.Reason);
        cluster.AssertSafe();
    }

    [Theory]
    [InlineData(BrokenRules.None, true)]
    [InlineData(BrokenRules.ForgetVotedForOnRestart, false)]
    public void A_restarted_node_never_votes_twice_in_a_term(BrokenRules broken, bool refusesSecondVote)
    {
        ForSeeds(20, seed =>
        {
            var cluster = NewCluster(3, seed, o => o with { Broken = broken });
            var leader = cluster.ElectLeader();
            cluster.AssertConverged();
            var ids = cluster.Nodes.Select(n => n.Id).Where(id => id != leader).ToArray();
            var (a, b) = (ids[0], ids[1]);
            cluster.Crash(leader);
            cluster.ForceTimeout(a);
            var term = cluster.Node(a)!.Term;
            Assert.True(cluster.RunUntil(c => c.Events.OfType<VoteCast>().Any(v => v.Voter == b && v.Term == term), Second));
            cluster.Crash(b);
            cluster.Restart(b);
            cluster.Restart(leader);
            cluster.ForceTimeout(leader); // the old leader now asks b for a vote in the same term
            Assert.Equal(term, cluster.Node(leader)!.Term);
            cluster.RunFor(TimeSpan.FromMilliseconds(100));
            var secondVote = cluster.Events.OfType<VoteCast>().Any(v => v.Voter == b && v.Term == term && v.Candidate == leader);
            Assert.Equal(!refusesSecondVote, secondVote);
            Assert.Equal(refusesSecondVote, cluster.Safety.Holds(SafetyProperty.OneVotePerTerm));
        });
    }

    [Fact]
    public void Pre_vote_keeps_a_rejoining_node_from_disrupting_the_leader()
    {
        ForSeeds(20, seed =>
        {
            var cluster = NewCluster(5, seed, o => o with { PreVote = true });
            var leader = cluster.ElectLeader();
            var term = cluster.Node(leader)!.Term;
            var loner = cluster.Nodes.First(n => n.Id != leader).Id;
            cluster.Isolate(loner);
            cluster.RunFor(TimeSpan.FromSeconds(3));
            Assert.Equal(term, cluster.Node(loner)!.Term); // pre-votes never bump its term
            cluster.Heal();
            cluster.RunFor(TimeSpan.FromSeconds(2));
            Assert.Equal(leader, cluster.Leader);
            Assert.Equal(term, cluster.Node(leader)!.Term);
            cluster.AssertConverged();
        });
    }
}
