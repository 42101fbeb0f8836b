using RaftVisualizer.Core;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.MembershipChanges;

/// <summary>
/// Thesis section 4.2.2: "a server that is not part of its own latest configuration should still
/// start new elections, as it might still be needed until the Cnew entry is committed. It does not
/// count its own vote in elections unless it is part of its latest configuration."
/// Found by the torture run with membership churn (seed 5 of <c>--features Membership,Compaction</c>).
/// </summary>
public class UncommittedRemovalTests
{
    /// <summary>
    /// Two voters {L, O}. L, cut off, proposes the configuration {O} and crashes before the entry
    /// leaves it. L's log is now the longer one, so it refuses O's vote requests, and O needs L's vote.
    /// Unless L, which its own newest configuration leaves out, stands for election, no leader is
    /// ever elected again.
    /// </summary>
    [Fact]
    public void A_leader_that_crashed_right_after_proposing_its_own_removal_still_stands_for_election_and_the_cluster_goes_on()
    {
        ForSeeds(20, seed =>
        {
            var cluster = NewCluster(3, seed);
            var leader = ReadyLeader(cluster);
            var gone = new NodeId[] { 1, 2, 3 }.First(n => n != leader);
            var other = new NodeId[] { 1, 2, 3 }.First(n => n != leader && n != gone);
            Settle(cluster, c => c.RemoveServer(gone));
            Assert.Equal(new[] { leader, other }.Order(), cluster.Configuration.Voters);

            cluster.Isolate(leader);
            var removal = cluster.RemoveServer(leader);
            Assert.True(removal.Ok, removal.Message);
            Assert.True(cluster.Crash(leader).Ok);
            Assert.True(cluster.Restart(leader).Ok);
            cluster.Heal();
            Assert.True(cluster.Node(leader)!.LastLogIndex > cluster.Node(other)!.LastLogIndex, "the removal never left the old leader");

            Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)),
                $"no leader after the heal: {string.Join("; ", cluster.Nodes)}");
            Assert.True(cluster.RunUntil(c => c.Leader == other && c.Configuration.Voters.SequenceEqual([other]), TimeSpan.FromSeconds(5)),
                $"{other} never led the configuration without {leader}: {string.Join("; ", cluster.Nodes)}");
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("after", "removal")).Status);
            cluster.AssertConverged();
            // The removed server campaigned without counting its own vote, and is quiet now that its removal has committed.
            Assert.Contains(cluster.Events, e => e is RoleChanged { Role: NodeRole.Candidate or NodeRole.PreCandidate } r && r.Node == leader);
            Assert.Null(cluster.Node(leader)!.ElectionDeadline);
        });
    }

    [Fact]
    public void A_server_whose_removal_is_uncommitted_does_not_elect_itself_with_its_own_vote()
    {
        ForSeeds(20, seed =>
        {
            // {L, O}: L proposes {O} while cut off, so the entry is only in L's log. L does not vote in {O}:
            // alone it must not win any election, although a majority of {O} is one server.
            var cluster = NewCluster(3, seed);
            var leader = ReadyLeader(cluster);
            var gone = new NodeId[] { 1, 2, 3 }.First(n => n != leader);
            Settle(cluster, c => c.RemoveServer(gone));
            cluster.Isolate(leader);
            Assert.True(cluster.RemoveServer(leader).Ok);
            Assert.True(cluster.Crash(leader).Ok);
            Assert.True(cluster.Restart(leader).Ok);
            var restarted = cluster.Now;
            cluster.RunFor(TimeSpan.FromSeconds(2)); // still cut off: it times out again and again
            var since = cluster.Events.Where(e => e.Time >= restarted && e is RoleChanged r && r.Node == leader).Cast<RoleChanged>().ToArray();
            Assert.Contains(since, r => r.Role == NodeRole.Candidate);
            Assert.DoesNotContain(since, r => r.Role == NodeRole.Leader);
            cluster.AssertSafe();
        });
    }

    private static NodeId ReadyLeader(Cluster cluster)
    {
        cluster.ElectLeader();
        Assert.True(cluster.RunUntil(c => c.Leader is { } l && c.Node(l)!.CommitIndex > 0 &&
            c.Node(l)!.Entry(c.Node(l)!.CommitIndex)?.Term == c.Node(l)!.Term, TimeSpan.FromSeconds(5)), "the leader never committed in its term");
        return cluster.Leader!.Value;
    }

    /// <summary>Applies the change (retrying while refused) and waits until every live member holds it committed.</summary>
    private static void Settle(Cluster cluster, Func<Cluster, ActionResult> change)
    {
        ActionResult result = ActionResult.Refused("not tried");
        Assert.True(cluster.RunUntil(c => c.Leader is not null && (result = change(c)).Ok, TimeSpan.FromSeconds(10)), result.Message);
        Assert.True(cluster.RunUntil(c => c.Leader is { } l &&
            c.Nodes.Where(n => n.IsUp && c.Configuration.Contains(n.Id)).All(n => n.CommitIndex >= c.Node(l)!.LastLogIndex), TimeSpan.FromSeconds(10)),
            "the change never settled");
    }
}
