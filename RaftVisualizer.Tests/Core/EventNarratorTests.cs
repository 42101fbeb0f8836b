using System.Text.RegularExpressions;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Safety;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>The feed's sentences, taken from the events of real cluster runs.</summary>
public class EventNarratorTests
{
    private static List<string> Narrate(Cluster c, int from = 0) =>
        c.Events.Skip(from).Select(e => EventNarrator.Describe(e)).OfType<string>().ToList();

    private static (Cluster Cluster, NodeId Leader) WithLeader(int nodes = 3, ulong seed = 1)
    {
        var c = NewCluster(nodes, seed);
        var leader = c.ElectLeader();
        c.RunFor(TimeSpan.FromMilliseconds(200));
        return (c, leader);
    }

    [Fact]
    public void A_leadership_transfer_is_told_from_the_handover_through_timeout_now_to_the_new_leader()
    {
        var (c, leader) = WithLeader();
        var target = c.Nodes.First(n => n.Id != leader).Id;
        var mark = c.Events.Count;
        Assert.True(c.TransferLeadership(target).Ok);
        c.RunUntil(x => x.Leader == target, TimeSpan.FromSeconds(1));
        var told = Narrate(c, mark);
        Assert.Contains($"{leader} starts handing leadership to {target}: it stops taking client requests and brings {target} up to date", told);
        Assert.Contains(told, t => t.StartsWith($"{leader} tells {target} to start an election now (TimeoutNow, term "));
        Assert.Contains($"{target} receives {leader}'s TimeoutNow and starts an election at once", told);
        Assert.Contains(told, t => t.StartsWith($"{target} starts an election for term ") && t.EndsWith($": {leader} handed it leadership with TimeoutNow (thesis §3.10)"));
        Assert.Contains(told, t => t.StartsWith($"{leader}'s handover to {target} ends: {leader} stepped down because"));
        var ended = c.Events.OfType<LeadershipTransferEnded>().Single();
        Assert.Equal(EventCategory.Elections, EventNarrator.Categorize(ended));
        Assert.Equal(new[] { leader, target }, EventNarrator.NodesOf(ended));
    }

    [Fact]
    public void A_forced_timeout_is_told_as_the_start_of_an_election_for_the_next_term()
    {
        var (c, leader) = WithLeader();
        var follower = c.Nodes.First(n => n.Id != leader).Id;
        var term = c.Node(follower)!.Term;
        var mark = c.Events.Count;

        c.ForceTimeout(follower);

        var lines = Narrate(c, mark);
        Assert.Equal($"{follower} timed out and starts an election for term {term + 1} (§5.2)", lines[0]);
        Assert.DoesNotContain(lines, l => l.Contains("moves to term")); // its own term bump is not told twice
    }

    [Fact]
    public void The_first_election_is_told_from_timeout_to_leader_with_its_voters()
    {
        var c = NewCluster(3, 1);
        var leader = c.ElectLeader();
        var term = c.Node(leader)!.Term;
        var lines = Narrate(c);

        Assert.Contains($"{leader} timed out and starts an election for term {term} (§5.2)", lines);
        var won = Assert.Single(lines, l => l.Contains("becomes leader"));
        Assert.Matches(new Regex($@"^{leader} becomes leader of term {term} with votes from S\d(, S\d)+: \d of them, and a majority needs 2 \(§5\.2\)$"), won);
        Assert.Contains($"{leader}", won[won.IndexOf("votes from", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void A_vote_refused_because_the_voter_already_voted_says_so_with_the_voters_reason()
    {
        var (c, leader) = WithLeader(nodes: 5, seed: 3);
        var followers = c.Nodes.Where(n => n.Id != leader).Select(n => n.Id).ToArray();
        var (a, b) = (followers[0], followers[1]);
        var term = c.Node(a)!.Term + 1;
        var mark = c.Events.Count;

        c.ForceTimeout(a);
        c.ForceTimeout(b); // at the same instant: both vote for themselves first
        c.RunFor(TimeSpan.FromMilliseconds(100));

        var lines = Narrate(c, mark);
        Assert.Contains($"{b} refuses {a}'s vote request: {b} already voted for {b} in term {term} (§5.2)", lines);
        Assert.Contains($"{a} refuses {b}'s vote request: {a} already voted for {a} in term {term} (§5.2)", lines);
    }

    [Fact]
    public void A_put_is_told_through_append_commit_and_the_clients_answer()
    {
        var (c, leader) = WithLeader();
        var mark = c.Events.Count;
        var op = c.Submit(KvCommand.Put("x", "1"), via: leader);
        c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(2));
        c.RunFor(TimeSpan.FromMilliseconds(200));
        var index = c.Node(leader)!.LastLogIndex;
        var term = c.Node(leader)!.Term;

        var lines = Narrate(c, mark);
        Assert.Contains($"client #{op.Id}: put x=1 starts", lines);
        Assert.Contains($"{leader} appends entry {index} (term {term}): put x=1: client #{op.Id}'s command reached the leader, which appends it and answers once it is applied (§5.3)", lines);
        Assert.Contains(lines, l => l.StartsWith($"{leader} sends entry {index} to S") && l.EndsWith($"'s nextIndex {index} is at or below {leader}'s last index {index} (§5.3)"));
        Assert.Contains(lines, l => l.StartsWith($"{leader} commits up to entry {index}: ") && l.EndsWith($"; a majority needs 2), and it is from the current term {term} (§5.4.2)"));
        Assert.Contains(lines, l => l.StartsWith($"S") && l.Contains($" commits up to entry {index}: leader {leader} has committed up to {index}") && l.EndsWith("(§5.3)"));
        Assert.Contains($"client #{op.Id}: put x=1 → ok (served by {leader} in {op.Elapsed!.Value.TotalMilliseconds:0} ms)", lines);
        Assert.All(c.Nodes, n => Assert.Contains($"{n.Id} applies entry {index}: put x=1 → ok", lines));
    }

    [Fact]
    public void A_client_sent_to_a_follower_is_told_who_the_leader_is()
    {
        var (c, leader) = WithLeader();
        var follower = c.Nodes.First(n => n.Id != leader).Id;
        var mark = c.Events.Count;
        var op = c.Submit(KvCommand.Get("x"), via: follower);
        c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(2));

        var lines = Narrate(c, mark);
        Assert.Contains($"client #{op.Id}: asks {follower}: the client was told to use it (§8)", lines);
        Assert.Contains($"client #{op.Id}: attempt 2 goes to {leader}: {follower} is not the leader and named {leader}, the leader it last heard from (§8)", lines);
        Assert.Contains($"client #{op.Id}: get x → not found (served by {leader} in {op.Elapsed!.Value.TotalMilliseconds:0} ms)", lines);
    }

    [Fact]
    public void Crashes_and_partitions_are_faults_told_in_words()
    {
        var (c, leader) = WithLeader();
        var mark = c.Events.Count;
        c.Crash(leader);
        c.Partition(new NodeId[] { 1 }, new NodeId[] { 2, 3 });

        var events = c.Events.Skip(mark).ToList();
        Assert.Equal($"{leader} crashed: it keeps its term, vote and log, and loses everything else", EventNarrator.Describe(events[0]));
        Assert.Equal(EventCategory.Faults, EventNarrator.Categorize(events[0]));
        Assert.Equal("Network partitioned: S1 | S2 S3", EventNarrator.Describe(events[1]));
        Assert.Equal(EventCategory.Faults, EventNarrator.Categorize(events[1]));
    }

    [Fact]
    public void Timer_resets_and_heartbeats_are_noise_unless_verbose()
    {
        var (c, _) = WithLeader();
        var mark = c.Events.Count;
        c.RunFor(TimeSpan.FromMilliseconds(120));
        var events = c.Events.Skip(mark).ToList();

        var reset = events.OfType<ElectionTimerReset>().First();
        var heartbeat = events.OfType<MessageSent>().First(s => s.Message is AppendEntries { IsHeartbeat: true });
        Assert.Null(EventNarrator.Describe(reset));
        Assert.Null(EventNarrator.Describe(heartbeat));
        Assert.StartsWith($"{reset.Node} resets its election timer", EventNarrator.Describe(reset, verbose: true));
        Assert.StartsWith($"{heartbeat.Message.From} sends a heartbeat to {heartbeat.Message.To}", EventNarrator.Describe(heartbeat, verbose: true));
        Assert.Equal(EventCategory.Elections, EventNarrator.Categorize(reset));
        Assert.Equal(EventCategory.Messages, EventNarrator.Categorize(heartbeat));
        Assert.Equal([heartbeat.Message.From, heartbeat.Message.To], EventNarrator.NodesOf(heartbeat));
        var ack = events.OfType<MessageDelivered>().First(d => d.Message is AppendEntriesReply { Success: true });
        Assert.Null(EventNarrator.Describe(ack));
        Assert.Equal(EventCategory.Messages, EventNarrator.Categorize(ack));
    }

    [Fact]
    public void Every_event_of_a_faulty_run_is_either_told_or_routine()
    {
        var c = NewCluster(5, 7);
        c.ElectLeader();
        c.Submit(KvCommand.Put("a", "1"));
        c.RunFor(Second);
        c.Crash(c.Leader!.Value);
        c.Network.LossRate = 0.2;
        c.Submit(KvCommand.Append("a", "2"));
        c.RunFor(3 * Second);

        foreach (var e in c.Events)
        {
            var verbose = EventNarrator.Describe(e, verbose: true);
            Assert.False(string.IsNullOrWhiteSpace(verbose), $"no words for {e}");
            if (EventNarrator.Describe(e) is null)
                Assert.True(e is ElectionTimerReset or VoteCast or TermChanged || EventNarrator.Categorize(e) == EventCategory.Messages, $"{e} was silenced");
        }
    }

    [Fact]
    public void A_crashed_follower_is_told_once_not_at_every_heartbeat_that_misses_it()
    {
        var (c, leader) = WithLeader(seed: 3);
        var follower = c.Nodes.First(n => n.Id != leader).Id;
        var mark = c.Events.Count;
        c.Crash(follower);
        c.Submit(KvCommand.Put("x", "1"), leader);
        c.RunFor(TimeSpan.FromSeconds(1));

        var lines = Narrate(c, mark);
        Assert.Single(lines, l => l == $"{follower} crashed" || l.StartsWith($"{follower} crashed"));
        Assert.DoesNotContain(lines, l => l.Contains("is lost"));
        var verbose = c.Events.Skip(mark).Select(e => EventNarrator.Describe(e, verbose: true)).OfType<string>();
        Assert.True(verbose.Count(l => l.Contains($"to {follower} is lost: {follower} is down")) >= 15); // still there under "messages"
    }
    [Fact]
    public void A_server_joining_is_told_from_the_learner_to_the_voter_with_each_configuration_entry()
    {
        var (c, leader) = WithLeader();
        Assert.True(c.RunUntil(x => x.Node(leader)!.CommitIndex > 0, TimeSpan.FromSeconds(2)));
        var mark = c.Events.Count;
        Assert.True(c.AddServer().Ok);
        Assert.True(c.RunUntil(x => x.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)));
        c.RunFor(TimeSpan.FromMilliseconds(200));
        var told = Narrate(c, mark);
        Assert.Contains("S4 joins the cluster with an empty log: the leader adds it as a learner, which receives the log but does not vote until it has caught up", told);
        Assert.Contains(told, t => t.StartsWith($"{leader} appends entry ") && t.EndsWith(": config S1 S2 S3 +S4"));
        Assert.Contains(told, t => t.StartsWith($"{leader} now follows config S1 S2 S3 +S4 (entry ") && t.EndsWith("3 voters, a majority is 2): the leader appended it, and a server uses the newest configuration in its log at once, committed or not (thesis §4.1)"));
        Assert.Contains(told, t => t.StartsWith($"{leader} now follows config S1 S2 S3 S4 (entry ") && t.Contains("4 voters, a majority is 3): S4 caught up with the leader (it holds entry ") && t.EndsWith("so the leader makes it a voter; a server uses the newest configuration in its log at once, committed or not (thesis §4.1)"));
        var follower = c.Nodes.First(n => n.Id != leader && n.Id != 4).Id;
        Assert.True(told.Any(t => t.StartsWith($"{follower} now follows config S1 S2 S3 S4 (entry ") && t.EndsWith($"it came in {leader}'s entries, and a server uses the newest configuration in its log at once, committed or not (thesis §4.1)")),
            string.Join("\n", told.Where(t => t.Contains(" now follows "))));
        Assert.Contains(told, t => t.StartsWith("S4 applies entry ") && t.Contains("config S1 S2 S3 S4 (a configuration entry"));
        Assert.DoesNotContain(told, t => t.Contains("no-op → ok") && t.Contains("config"));
        var added = c.Events.OfType<ServerAdded>().Single();
        Assert.Equal(EventCategory.Membership, EventNarrator.Categorize(added));
        Assert.Equal(new NodeId[] { 4 }, EventNarrator.NodesOf(added));
        Assert.Equal(EventCategory.Membership, EventNarrator.Categorize(c.Events.OfType<ConfigurationChanged>().First()));
    }

    [Fact]
    public void A_removal_is_told_as_the_leader_following_the_smaller_configuration()
    {
        var (c, leader) = WithLeader();
        Assert.True(c.RunUntil(x => x.Node(leader)!.CommitIndex > 0, TimeSpan.FromSeconds(2)));
        var victim = c.Nodes.First(n => n.Id != leader).Id;
        var mark = c.Events.Count;
        Assert.True(c.RemoveServer(victim).Ok);
        c.RunFor(TimeSpan.FromMilliseconds(300));
        var told = Narrate(c, mark);
        // The leader stops replicating to a server it removed, so the leader's line is the one told.
        var config = string.Join(" ", c.Nodes.Select(n => n.Id).Where(n => n != victim));
        Assert.Contains(told, t => t.StartsWith($"{leader} now follows config {config} (entry ") && t.EndsWith("2 voters, a majority is 2): the leader appended it, and a server uses the newest configuration in its log at once, committed or not (thesis §4.1)"));
    }

    [Fact]
    public void Snapshots_are_told_when_taken_sent_and_installed()
    {
        var c = NewCluster(3, 4, o => o with { SnapshotThreshold = 5 });
        var leader = c.ElectLeader();
        c.RunFor(TimeSpan.FromMilliseconds(200));
        var lagging = c.Nodes.First(n => n.Id != leader).Id;
        c.Crash(lagging);
        for (var i = 0; i < 12; i++) Assert.Equal(KvStatus.Ok, c.Do(KvCommand.Put($"k{i % 3}", $"v{i}")).Status);
        var mark = c.Events.Count;
        c.Restart(lagging);
        Assert.True(c.RunUntil(x => x.Node(lagging)!.SnapshotIndex > 0, TimeSpan.FromSeconds(5)), "the restarted follower never got the snapshot");
        var all = Narrate(c);
        var told = Narrate(c, mark);
        Assert.Contains(all, t => Regex.IsMatch(t, $@"^{leader} takes a snapshot of its state up to entry \d+ \(term \d+\) and drops \d+ log entries from its log$"));
        var verbose = c.Events.Select(e => EventNarrator.Describe(e, verbose: true)).OfType<string>();
        Assert.Contains(verbose, t => Regex.IsMatch(t, $@"^{leader} sends {lagging} its snapshot up to entry \d+ \(InstallSnapshot, term \d+\): the entries {lagging} needs next were compacted away$"));
        Assert.Contains(told, t => t.StartsWith($"{lagging} installs {leader}'s snapshot up to entry ") && t.Contains($"config S1 S2 S3): {leader} had compacted away the entries {lagging} needed next"));
        Assert.DoesNotContain(told, t => t.Contains("InstallSnapshot")); // resent every heartbeat while it is down: only under "messages"
        var installed = c.Events.OfType<SnapshotInstalled>().First();
        Assert.Equal(EventCategory.Replication, EventNarrator.Categorize(installed));
        Assert.Equal(new[] { lagging, leader }, EventNarrator.NodesOf(installed));
    }
}
