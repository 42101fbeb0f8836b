using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>Leaders as production Raft runs them: check-quorum, the vote guard, leadership transfer, pre-vote.</summary>
public class LeadershipTests
{
    [Fact]
    public void Check_quorum_steps_a_minority_leader_down_within_one_and_a_half_election_timeouts()
    {
        ForSeeds(40, seed =>
        {
            var cluster = NewCluster(3 + (int)(seed % 3), seed, o => o with { CheckQuorum = true });
            var leader = cluster.ElectLeader();
            cluster.RunFor(TimeSpan.FromMilliseconds(seed % 50 * 3));
            cluster.Isolate(leader);
            var cutAt = cluster.Now;
            var limit = cluster.Options.ElectionTimeoutMin * 1.5;
            Assert.True(cluster.RunUntil(c => c.Node(leader)!.Role != NodeRole.Leader, limit),
                $"{leader} still leads {limit.TotalMilliseconds} ms after it was cut off");
            var stepDown = cluster.Events.OfType<RoleChanged>().Last(r => r.Node == leader);
            Assert.Contains("check-quorum", stepDown.Reason);
            Assert.Equal(cluster.Node(leader)!.Term, stepDown.Term); // it stepped down on its own, not for a newer term
            Assert.True(cluster.Now - cutAt <= limit);
            cluster.AssertSafe();
        });
    }

    [Fact]
    public void Without_check_quorum_a_minority_leader_goes_on_believing_it_leads()
    {
        var cluster = NewCluster(3, 5);
        var leader = cluster.ElectLeader();
        cluster.Isolate(leader);
        cluster.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(NodeRole.Leader, cluster.Node(leader)!.Role);
    }

    [Fact]
    public void A_transfer_hands_over_within_a_second_with_nothing_lost()
    {
        ForSeeds(40, seed =>
        {
            var cluster = NewCluster(3 + (int)(seed % 3), seed, o => o with { PreVote = seed % 2 == 0, CheckQuorum = seed % 3 == 0,
                ReadMode = (ReadMode)(seed % 3), ClockDrift = seed % 4 == 0 ? 0.05 : 0 });
            var leader = cluster.ElectLeader();
            var ops = new List<ClientOperation>();
            for (var i = 0; i < 10; i++) ops.Add(cluster.Submit(KvCommand.Append("log", $"{i};")));
            cluster.RunFor(TimeSpan.FromMilliseconds(seed % 20));
            var target = cluster.Nodes.Where(n => n.Id != leader).ElementAt((int)(seed % (ulong)(cluster.Nodes.Count - 1))).Id;
            var startedAt = cluster.Now;
            var result = cluster.TransferLeadership(target);
            Assert.True(result.Ok, result.Message);
            for (var i = 10; i < 20; i++) ops.Add(cluster.Submit(KvCommand.Append("log", $"{i};")));
            Assert.True(cluster.RunUntil(c => c.Leader == target, TimeSpan.FromSeconds(1)), $"{target} did not take over within a second");
            Assert.True(cluster.Now - startedAt <= TimeSpan.FromSeconds(1));
            Assert.Contains(cluster.Events.OfType<MessageSent>(), m => m.Message is TimeoutNow t && t.From == leader && t.To == target);
            Assert.Contains(cluster.Events.OfType<LeadershipTransferEnded>(), e => e is { SteppedDown: true } && e.Leader == leader);

            cluster.RunUntil(_ => ops.All(o => o.IsCompleted), TimeSpan.FromSeconds(5));
            Assert.All(ops, o => Assert.Equal(KvStatus.Ok, o.Result!.Status));
            var final = cluster.Do(KvCommand.Get("log")).Value!;
            Assert.Equal(20, final.Split(';', StringSplitOptions.RemoveEmptyEntries).Length); // each append applied exactly once
            cluster.AssertConverged();
        });
    }

    [Fact]
    public void A_leader_takes_no_client_request_while_it_hands_over_and_gives_up_after_an_election_timeout()
    {
        var cluster = NewCluster(5, 8, o => o with { PreVote = true });
        var leader = cluster.ElectLeader();
        var target = cluster.Nodes.First(n => n.Id != leader).Id;
        cluster.Isolate(target); // the target can never catch up: the leader gives up
        Assert.True(cluster.TransferLeadership(target).Ok);
        var startedAt = cluster.Now;
        var op = cluster.Submit(KvCommand.Put("x", "1"), leader);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.False(op.IsCompleted);
        Assert.Contains(cluster.Events.OfType<ClientRequestSent>(), s => s.OperationId == op.Id && s.To == leader);
        Assert.True(cluster.RunUntil(c => c.Events.OfType<LeadershipTransferEnded>().Any(), TimeSpan.FromSeconds(1)));
        var ended = cluster.Events.OfType<LeadershipTransferEnded>().Single();
        Assert.False(ended.SteppedDown);
        Assert.Contains("did not take over within an election timeout", ended.Reason);
        Assert.InRange(ended.Time - startedAt, cluster.Options.ElectionTimeoutMax, cluster.Options.ElectionTimeoutMax + cluster.Options.HeartbeatInterval);
        Assert.True(cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(3)));
        Assert.Equal(KvStatus.Ok, op.Result!.Status);
        Assert.Equal(leader, cluster.Leader);
    }

    [Fact]
    public void Transfer_refusals_are_sentences_and_are_not_recorded()
    {
        var cluster = NewCluster(3, 2);
        Assert.Contains("no leader", cluster.TransferLeadership(2).Message);
        var leader = cluster.ElectLeader();
        var other = cluster.Nodes.First(n => n.Id != leader).Id;
        var before = cluster.Scenario.Commands.Count;
        Assert.Contains("There is no node S9", cluster.TransferLeadership(9).Message);
        Assert.Contains("already the leader", cluster.TransferLeadership(leader).Message);
        cluster.Crash(other);
        Assert.Contains("is down", cluster.TransferLeadership(other).Message);
        Assert.Equal(before + 1, cluster.Scenario.Commands.Count); // only the crash
        Assert.All(new[] { cluster.TransferLeadership(9), cluster.TransferLeadership(leader) }, r => Assert.False(r.Ok));
    }

    [Fact]
    public void A_transfer_is_a_recorded_command_that_round_trips_and_replays()
    {
        var cluster = NewCluster(5, 4, o => o with { ReadMode = ReadMode.Lease, CheckQuorum = true, ClockDrift = 0.1 });
        var leader = cluster.ElectLeader();
        var target = cluster.Nodes.First(n => n.Id != leader).Id;
        Assert.True(cluster.Execute(new ClusterCommand.TransferLeadership(target)).Ok);
        cluster.RunFor(TimeSpan.FromSeconds(1));
        var json = ScenarioJson.Serialize(cluster.Scenario);
        Assert.Contains("\"type\": \"transferLeadership\"", json);
        Assert.Contains("\"readMode\": \"Lease\"", json);
        var loaded = ScenarioJson.Deserialize(json);
        Assert.Equal(cluster.Options, loaded.Options);
        var replay = Cluster.Replay(loaded, cluster.Now);
        Assert.Equal(cluster.Events.Select(e => e.ToString()), replay.Events.Select(e => e.ToString()));
        Assert.Equal(target, replay.Leader);
    }

    /// <summary>
    /// A follower stops hearing the leader (the link to it is cut one way), so it times out again and
    /// again and asks the others for votes in ever higher terms. Everyone who hears the leader ignores it;
    /// the leader keeps its term.
    /// </summary>
    [Fact]
    public void With_the_vote_guard_servers_that_hear_a_leader_ignore_a_disruptive_vote_request()
    {
        ForSeeds(20, seed =>
        {
            var cluster = NewCluster(3 + (int)(seed % 3), seed, o => o with { LeaderStickiness = true });
            var leader = cluster.ElectLeader();
            cluster.RunFor(TimeSpan.FromMilliseconds(100)); // the election's last replies land
            var term = cluster.Node(leader)!.Term;
            var rebel = cluster.Nodes.First(n => n.Id != leader).Id;
            var from = cluster.Events.Count;
            cluster.Network.Cut(leader, rebel);
            cluster.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(cluster.Node(rebel)!.Term > term + 1, "the rebel should have campaigned more than once");
            var replies = cluster.Events.Skip(from).OfType<MessageDelivered>().Select(d => d.Message).OfType<RequestVoteReply>()
                .Where(r => r.To == rebel).ToArray();
            Assert.NotEmpty(replies);
            Assert.All(replies, r => Assert.False(r.Granted));
            Assert.All(replies, r => Assert.Contains("ignores", r.Reason));
            Assert.Equal((leader, term), (cluster.Leader!.Value, cluster.Node(leader)!.Term));
            Assert.Contains("may not start an election yet", cluster.ForceTimeout(cluster.Nodes.First(n => n.Id != leader && n.Id != rebel).Id).Message);
            cluster.AssertSafe();
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void With_pre_vote_an_isolated_server_s_term_does_not_grow(bool preVote)
    {
        var grew = 0;
        ForSeeds(30, seed =>
        {
            var cluster = NewCluster(3 + (int)(seed % 3), seed, o => o with { PreVote = preVote, CheckQuorum = seed % 2 == 0 });
            var leader = cluster.ElectLeader();
            cluster.RunFor(TimeSpan.FromMilliseconds(100));
            var loner = cluster.Nodes.First(n => n.Id != leader).Id;
            var term = cluster.Node(loner)!.Term;
            cluster.Isolate(loner);
            cluster.RunFor(TimeSpan.FromSeconds(3));
            if (cluster.Node(loner)!.Term > term) grew++;
            if (preVote) Assert.Equal(term, cluster.Node(loner)!.Term);
            cluster.Heal();
            cluster.RunFor(TimeSpan.FromSeconds(1));
            // with check-quorum the leader, too, refuses pre-votes while it leads, so the loner rejoins without disrupting it
            if (preVote && cluster.Options.CheckQuorum) Assert.Equal(leader, cluster.Leader);
        });
        if (!preVote) Assert.Equal(30, grew); // without pre-vote it climbs every time
    }
}
