using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// The rule that decided, with the values it compared, rides on the reply or the event
/// (issue 15): what the feed, the message details and the rules card read.
/// </summary>
public class CauseTests
{
    [Fact]
    public void A_candidate_whose_log_ends_in_an_older_term_is_refused_by_section_5_4_1_with_both_log_ends()
    {
        var s2 = NodeUnderTest.FollowerWithLog(2, 3);

        s2.Step(new RequestVote(4, 2, 4, LastLogIndex: 5, LastLogTerm: 2));

        var reply = Assert.IsType<RequestVoteReply>(Assert.Single(s2.Sent));
        Assert.False(reply.Granted);
        Assert.Equal(new VoteLogBehind(4, 4, new LogEnd(2, 5), new LogEnd(3, 2)), reply.Cause);
        Assert.Equal(RaftRule.VoteLogBehind, reply.Cause!.Rule);
        // Adopting the candidate's newer term is the all-servers rule, told on its own event.
        Assert.Equal(new HigherTermSeen(4, "RequestVote", 4, 3), Assert.Single(s2.Events.OfType<TermChanged>()).Cause);
    }

    [Fact]
    public void A_vote_is_granted_with_both_log_ends_and_refused_to_a_second_candidate_of_the_same_term()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 1);

        s2.Step(new RequestVote(3, 2, 2, LastLogIndex: 2, LastLogTerm: 1));
        s2.Step(new RequestVote(4, 2, 2, LastLogIndex: 9, LastLogTerm: 1));

        var replies = s2.Sent.OfType<RequestVoteReply>().ToArray();
        Assert.Equal(new VoteGiven(3, 2, new LogEnd(1, 2), new LogEnd(1, 2)), replies[0].Cause);
        Assert.True(replies[0].Granted);
        Assert.Equal(new VoteAlreadyCast(4, 2, VotedFor: 3), replies[1].Cause);
        Assert.False(replies[1].Granted);
    }

    [Fact]
    public void A_vote_request_from_an_older_term_is_refused_by_the_term_rule()
    {
        var s2 = NodeUnderTest.FollowerWithLog(3);

        s2.Step(new RequestVote(5, 2, 2, 1, 1));

        var reply = Assert.IsType<RequestVoteReply>(Assert.Single(s2.Sent));
        Assert.Equal(new VoteTermStale(5, Term: 2, CurrentTerm: 3), reply.Cause);
    }

    [Fact]
    public void AppendEntries_from_a_stale_term_is_refused_with_both_terms()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 4);

        s2.Step(new AppendEntries(3, 2, 3, 2, 4, [], 0));

        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(s2.Sent));
        Assert.False(reply.Success);
        Assert.Equal(new AppendTermStale(3, Term: 3, CurrentTerm: 4), reply.Cause);
        Assert.Equal(RaftRule.AppendStaleTerm, reply.Cause!.Rule);
    }

    [Fact]
    public void AppendEntries_whose_prev_entry_has_another_term_is_refused_with_prevLogIndex_prevLogTerm_and_the_local_term()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 1, 1);

        s2.Step(new AppendEntries(1, 2, 3, PrevLogIndex: 3, PrevLogTerm: 2, [new LogEntry(4, 3, KvCommand.Put("x", "y"))], 0));

        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(s2.Sent));
        Assert.False(reply.Success);
        Assert.Equal(new AppendPrevMismatch(1, PrevLogIndex: 3, PrevLogTerm: 2, LocalTerm: 1, LastIndex: 3), reply.Cause);
    }

    [Fact]
    public void AppendEntries_past_the_end_of_the_log_is_refused_with_no_local_term_and_the_logs_end()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 1);

        s2.Step(new AppendEntries(1, 2, 1, PrevLogIndex: 6, PrevLogTerm: 1, [], 0));

        Assert.Equal(new AppendPrevMismatch(1, 6, 1, LocalTerm: null, LastIndex: 2), Assert.IsType<AppendEntriesReply>(Assert.Single(s2.Sent)).Cause);
    }

    [Fact]
    public void A_conflicting_entry_is_truncated_with_its_term_and_the_leaders_and_the_reply_says_what_now_matches()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 1, 1);

        s2.Step(new AppendEntries(3, 2, 2, PrevLogIndex: 1, PrevLogTerm: 1, [new LogEntry(2, 2, KvCommand.Put("x", "new"))], LeaderCommit: 2));

        var cut = Assert.Single(s2.Events.OfType<LogTruncated>());
        Assert.Equal(new ConflictTruncated(3, Index: 2, LocalTerm: 1, LeaderTerm: 2), cut.Cause);
        Assert.Equal(new AppendMatched(3, 1, 1, MatchIndex: 2), Assert.IsType<AppendEntriesReply>(Assert.Single(s2.Sent)).Cause);
        Assert.Equal(new CommitFromLeader(3, LeaderCommit: 2, LastNewIndex: 2, OldCommit: 0), Assert.Single(s2.Events.OfType<CommitAdvanced>()).Cause);
    }

    [Fact]
    public void An_election_is_caused_by_a_timeout_won_by_a_majority_and_the_leader_commits_by_majority_in_its_term()
    {
        var c = NewCluster(5, 2);
        var leader = c.ElectLeader();
        c.Do(KvCommand.Put("x", "1"), via: leader);

        var term = c.Node(leader)!.Term;
        var candidate = c.Events.OfType<RoleChanged>().Last(r => r.Node == leader && r.Role == NodeRole.Candidate);
        Assert.Equal(new ElectionTimedOut(term - 1), candidate.Cause);
        var won = Assert.IsType<ElectionWon>(c.Events.OfType<RoleChanged>().Single(r => r.Role == NodeRole.Leader).Cause);
        Assert.Equal((term, 3), (won.Term, won.Majority));
        Assert.True(won.Voters.Count >= 3 && won.Voters.Contains(leader));
        // The votes the leader counted are the grants it received.
        var grants = c.Events.OfType<MessageDelivered>().Select(d => d.Message).OfType<RequestVoteReply>()
            .Where(r => r.To == leader && r.Granted && r.Term == term).Select(r => r.From).Append(leader);
        Assert.Subset(grants.ToHashSet(), won.Voters.ToHashSet());

        var commit = c.Events.OfType<CommitAdvanced>().Last(e => e.Node == leader);
        var byMajority = Assert.IsType<CommittedByMajority>(commit.Cause);
        Assert.Equal((commit.CommitIndex, term, term, 3), (byMajority.Index, byMajority.EntryTerm, byMajority.CurrentTerm, byMajority.Majority));
        Assert.True(byMajority.Holders.Count >= 3 && byMajority.Holders.Contains(leader));
        Assert.All(c.Events.OfType<CommitAdvanced>().Where(e => e.Node != leader), e => Assert.IsType<CommitFromLeader>(e.Cause));
    }

    [Fact]
    public void A_deposed_leader_steps_down_because_a_higher_term_reached_it()
    {
        var c = NewCluster(3, 1);
        var leader = c.ElectLeader();
        var term = c.Node(leader)!.Term;
        c.Partition([leader], c.Nodes.Select(n => n.Id).Where(n => n != leader).ToArray());
        c.RunUntil(x => x.Nodes.Any(n => n.Id != leader && n.Role == NodeRole.Leader), TimeSpan.FromSeconds(5));
        c.Heal();
        c.RunUntil(x => x.Node(leader)!.Role == NodeRole.Follower, TimeSpan.FromSeconds(2));

        var down = c.Events.OfType<RoleChanged>().Last(r => r.Node == leader && r.Role == NodeRole.Follower);
        var seen = Assert.IsType<HigherTermSeen>(down.Cause);
        Assert.Equal(term, seen.OldTerm);
        Assert.True(seen.Term > term);
        Assert.Equal(RaftRule.HigherTerm, seen.Rule);
    }
}
