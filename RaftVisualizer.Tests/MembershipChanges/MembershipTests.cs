using RaftVisualizer.Core;
using RaftVisualizer.Core.Scenarios;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.MembershipChanges;

/// <summary>Thesis chapter 4: servers join as learners, become voters, leave; majorities follow the configuration.</summary>
public class MembershipTests
{
    /// <summary>Elects a leader and waits until it has committed an entry of its term, so it may change the configuration.</summary>
    private static NodeId ReadyLeader(Cluster cluster)
    {
        cluster.ElectLeader();
        Assert.True(cluster.RunUntil(c => c.Leader is { } l && c.Node(l)!.CommitIndex > 0 &&
            c.Node(l)!.Entry(c.Node(l)!.CommitIndex)?.Term == c.Node(l)!.Term, TimeSpan.FromSeconds(5)), "the leader never committed in its term");
        return cluster.Leader!.Value;
    }

    private static void Change(Cluster cluster, Func<Cluster, ActionResult> change)
    {
        ActionResult result = ActionResult.Refused("not tried");
        // A change is refused while the previous one is uncommitted or no leader has committed in its term: retry as a user would.
        Assert.True(cluster.RunUntil(c => c.Leader is not null && (result = change(c)).Ok, TimeSpan.FromSeconds(10)), result.Message);
        Assert.True(cluster.RunUntil(c => c.Leader is { } l && !c.Nodes[l.Value - 1].Config.Learners.Any() &&
            c.Nodes.Where(n => n.IsUp && c.Configuration.Contains(n.Id)).All(n => n.CommitIndex >= c.Node(l)!.LastLogIndex), TimeSpan.FromSeconds(10)),
            "the change never settled");
    }

    [Fact]
    public void A_new_server_joins_as_a_learner_catches_up_and_becomes_a_voter()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(3, seed);
            ReadyLeader(cluster);
            for (var i = 0; i < 5; i++) Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put($"k{i}", $"v{i}")).Status);
            var added = cluster.AddServer();
            Assert.True(added.Ok, added.Message);
            Assert.Equal(4, cluster.Nodes.Count);
            Assert.Equal(Membership.Learner, cluster.Nodes[3].Membership);
            Assert.Equal(new NodeId[] { 4 }, cluster.Configuration.Learners);
            Assert.True(cluster.RunUntil(c => c.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)), "S4 was never promoted");
            cluster.AssertConverged();
            Assert.Equal("v4", cluster.Nodes[3].Kv["k4"]);
            Assert.Equal(Membership.Voter, cluster.Nodes[3].Membership);
            var configs = cluster.Nodes[0].Log.Where(e => e.Config is not null).Select(e => e.Text).ToArray();
            Assert.Equal(new[] { "config S1 S2 S3 +S4", "config S1 S2 S3 S4" }, configs);
        });
    }

    [Fact]
    public void Two_servers_added_to_three_then_two_originals_crash_and_writes_still_commit()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(3, seed);
            ReadyLeader(cluster);
            Change(cluster, c => c.AddServer());
            Change(cluster, c => c.AddServer());
            Assert.Equal(new NodeId[] { 1, 2, 3, 4, 5 }, cluster.Configuration.Voters);
            var leader = cluster.Leader!.Value;
            foreach (var victim in new NodeId[] { 1, 2, 3 }.Where(n => n != leader).Take(2)) Assert.True(cluster.Crash(victim).Ok);
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("after", "crash")).Status);
            cluster.AssertConverged();
            Assert.All(cluster.Nodes.Where(n => n.IsUp), n => Assert.Equal("crash", n.Kv["after"]));
        });
    }

    [Fact]
    public void Two_of_five_removed_then_one_of_the_three_left_crashes_and_writes_still_commit()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(5, seed);
            ReadyLeader(cluster);
            foreach (var gone in new NodeId[] { 1, 2, 3, 4, 5 }.Where(n => n != cluster.Leader).Take(2)) Change(cluster, c => c.RemoveServer(gone));
            Assert.Equal(3, cluster.Configuration.Voters.Count);
            Assert.Equal(2, cluster.Configuration.Majority);
            var follower = cluster.Configuration.Voters.First(v => v != cluster.Leader);
            Assert.True(cluster.Crash(follower).Ok);
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", "1")).Status);
            cluster.AssertConverged();
            Assert.Equal(2, cluster.Nodes.Count(n => n.Membership == Membership.Removed));
        });
    }

    [Fact]
    public void A_removed_leader_leads_until_its_removal_commits_then_steps_down_and_the_rest_go_on()
    {
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(3, seed);
            var leader = ReadyLeader(cluster);
            var result = cluster.RemoveServer(leader);
            Assert.True(result.Ok, result.Message);
            Assert.Equal(leader, cluster.Leader); // it still leads: the entry has not committed
            Assert.True(cluster.RunUntil(c => c.Leader is { } l && l != leader, TimeSpan.FromSeconds(5)), "no other leader took over");
            Assert.Equal(Membership.Removed, cluster.Node(leader)!.Membership);
            Assert.Equal(NodeRole.Follower, cluster.Node(leader)!.Role);
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("y", "2")).Status);
            cluster.AssertConverged();
            Assert.Contains(cluster.Events, e => e is RoleChanged { Role: NodeRole.Follower } r && r.Node == leader && r.Reason.Contains("has committed"));
        });
    }

    [Fact]
    public void A_removed_server_that_never_heard_of_its_removal_cannot_depose_the_leader()
    {
        ForSeeds(20, seed =>
        {
            var cluster = NewCluster(3, seed);
            var leader = ReadyLeader(cluster);
            var gone = new NodeId[] { 1, 2, 3 }.First(n => n != leader);
            cluster.Isolate(gone);
            Change(cluster, c => c.RemoveServer(gone));
            cluster.RunFor(TimeSpan.FromSeconds(2)); // alone, it times out over and over, its term climbing
            Assert.True(cluster.Node(gone)!.Term > cluster.Node(leader)!.Term);
            cluster.Heal();
            var termBefore = cluster.Node(leader)!.Term;
            cluster.RunFor(TimeSpan.FromSeconds(2));
            Assert.Equal(leader, cluster.Leader);
            Assert.Equal(termBefore, cluster.Node(leader)!.Term);
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("z", "3")).Status);
            cluster.AssertSafe();
        });
    }

    [Fact]
    public void Bad_membership_requests_are_refused_with_a_sentence()
    {
        var cluster = NewCluster(1, 3);
        Assert.Contains("no leader", cluster.RemoveServer(1).Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no leader", cluster.AddServer().Message, StringComparison.OrdinalIgnoreCase);
        ReadyLeader(cluster);
        Assert.Contains("There is no node S7", cluster.RemoveServer(7).Message);
        Assert.Contains("last voter", cluster.RemoveServer(1).Message);
        Assert.True(cluster.AddServer().Ok);
        var second = cluster.AddServer();
        Assert.False(second.Ok);
        Assert.Contains("one change at a time", second.Message);
        for (var n = 3; n <= 9; n++) Change(cluster, c => c.AddServer());
        Assert.Equal(9, cluster.Nodes.Count);
        Assert.Contains("at most 9 servers", cluster.AddServer().Message);
        var gone = cluster.Configuration.Voters.First(v => v != cluster.Leader);
        Change(cluster, c => c.RemoveServer(gone));
        Assert.Contains("not a member", cluster.RemoveServer(gone).Message);
        Assert.Contains("at most 9 servers", cluster.AddServer().Message); // ids are never reused
        cluster.AssertSafe();
    }

    [Fact]
    public void A_configuration_change_and_a_pending_one_replay_the_same_from_the_scenario()
    {
        var cluster = NewCluster(3, 5);
        ReadyLeader(cluster);
        Change(cluster, c => c.AddServer());
        Change(cluster, c => c.RemoveServer(1));
        cluster.RunFor(TimeSpan.FromSeconds(1));
        var replay = Cluster.Replay(cluster.Scenario, cluster.Now);
        Assert.Equal(cluster.Nodes.Select(n => n.ToString()), replay.Nodes.Select(n => n.ToString()));
        Assert.Equal(cluster.Configuration, replay.Configuration);
    }
}
