using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// The exact sentences the feed (and the hub) tell for a rule that decided, and the values the
/// rules card shows: all read from the typed causes of real handler runs.
/// </summary>
public class CauseNarrationTests
{
    /// <summary>The reply as the feed sees it: the MessageSent the cluster records when the handler answers.</summary>
    private static MessageSent Sent(RaftMessage m) => new(TimeSpan.FromMilliseconds(100), 7, m, TimeSpan.FromMilliseconds(120));

    [Fact]
    public void A_stale_log_refusal_names_both_last_terms_and_section_5_4_1()
    {
        var s2 = NodeUnderTest.FollowerWithLog(2, 3);
        s2.Step(new RequestVote(4, 2, 4, LastLogIndex: 5, LastLogTerm: 2));
        var sent = Sent(s2.Sent.Single());

        Assert.Equal("S2 refuses S4's vote request: S4's log ends in term 2, S2's in term 3 (§5.4.1)", EventNarrator.Describe(sent));
        Assert.Equal(EventCategory.Elections, EventNarrator.Categorize(sent));
        var applied = RuleApplied.Of(sent)!;
        Assert.Equal((new NodeId(2), RaftRule.VoteLogBehind), (applied.Node, applied.Rule));
        Assert.Equal("lastLogTerm 2 < receiver's 3 → reply false", CauseNarrator.Comparison(applied.Cause));
    }

    [Fact]
    public void Equal_last_terms_are_compared_by_index()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 1, 1);
        s2.Step(new RequestVote(4, 2, 2, LastLogIndex: 2, LastLogTerm: 1));
        var reply = (RequestVoteReply)s2.Sent.Single();

        Assert.Equal("S2 refuses S4's vote request: both logs end in term 1, but S4's at index 2 and S2's at index 3 (§5.4.1)", EventNarrator.Describe(Sent(reply)));
        Assert.Equal("lastLogTerm 1 = 1, lastLogIndex 2 < receiver's 3 → reply false", CauseNarrator.Comparison(reply.Cause!));
    }

    [Fact]
    public void A_granted_vote_says_both_conditions_of_the_rule()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 2);
        s2.Step(new RequestVote(3, 2, 3, LastLogIndex: 4, LastLogTerm: 2));
        var reply = (RequestVoteReply)s2.Sent.Single();

        Assert.Equal("S2 votes for S3 in term 3: S2 has not voted for another candidate in term 3, and S3's log (ends term 2, index 4) "
            + "is at least as up to date as S2's (ends term 2, index 2) (§5.2, §5.4.1)", EventNarrator.Describe(Sent(reply)));
        Assert.Equal("votedFor null or S3; lastLogTerm 2 = 2, lastLogIndex 4 ≥ receiver's 2 → grant vote", CauseNarrator.Comparison(reply.Cause!));
    }

    [Fact]
    public void A_stale_term_AppendEntries_refusal_names_both_terms_and_section_5_1()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 4);
        s2.Step(new AppendEntries(3, 2, 3, 2, 4, [], 0));
        var sent = Sent(s2.Sent.Single());

        Assert.Equal("S2 refuses S3's AppendEntries: S3's term 3 is older than S2's term 4 (§5.1)", EventNarrator.Describe(sent));
        Assert.Equal(EventCategory.Replication, EventNarrator.Categorize(sent));
        Assert.Equal("term 3 < currentTerm 4 → reply false", CauseNarrator.Comparison(RuleApplied.Of(sent)!.Cause));
    }

    [Fact]
    public void A_log_mismatch_refusal_names_prevLogIndex_prevLogTerm_and_the_term_found_there()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 1, 1);
        s2.Step(new AppendEntries(1, 2, 3, PrevLogIndex: 3, PrevLogTerm: 2, [new LogEntry(4, 3, KvCommand.Put("x", "y"))], 0));
        var sent = Sent(s2.Sent.Single());

        Assert.Equal("S2 refuses S1's AppendEntries: S2's entry 3 has term 1, not the prevLogTerm 2 S1 sent (§5.3)", EventNarrator.Describe(sent));
        Assert.Equal("log[3].term 1 ≠ prevLogTerm 2 → reply false", CauseNarrator.Comparison(RuleApplied.Of(sent)!.Cause));
    }

    [Fact]
    public void A_conflict_truncation_and_the_followers_commit_are_told_with_their_rules()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1, 1, 1);
        s2.Step(new AppendEntries(3, 2, 2, PrevLogIndex: 1, PrevLogTerm: 1, [new LogEntry(2, 2, KvCommand.Put("x", "new"))], LeaderCommit: 2));

        var cut = s2.Events.OfType<LogTruncated>().Single();
        Assert.Equal("S2 deletes 2 log entries from index 2 on: S2's entry 2 has term 1, S3's has term 2, so it and all after it go (§5.3)", EventNarrator.Describe(cut));
        Assert.Equal("log[2].term 1 ≠ new entry's term 2 → delete entry 2 and all after it", CauseNarrator.Comparison(cut.Cause!));
        var commit = s2.Events.OfType<CommitAdvanced>().Single();
        Assert.Equal("S2 commits up to entry 2: leader S3 has committed up to 2, and S2's newest entry from it is 2 (§5.3)", EventNarrator.Describe(commit));
        Assert.Equal("leaderCommit 2 > commitIndex 0 → commitIndex = min(2, 2) = 2", CauseNarrator.Comparison(commit.Cause!));
    }

    [Fact]
    public void A_leader_deposed_by_a_newer_term_is_told_with_the_message_that_carried_it()
    {
        var s2 = NodeUnderTest.FollowerWithLog(1);
        s2.Step(new RequestVote(4, 2, 5, LastLogIndex: 0, LastLogTerm: 0));

        var term = s2.Events.OfType<TermChanged>().Single();
        Assert.Equal("S2 moves to term 5: S4's RequestVote carried term 5, newer than S2's term 1 (§5.1)", EventNarrator.Describe(term));
        Assert.Equal("RequestVote term 5 > currentTerm 1 → currentTerm = 5, follower", CauseNarrator.Comparison(term.Cause!));
    }

    [Fact]
    public void Every_rule_has_a_box_a_section_and_a_statement()
    {
        Assert.All(RuleBook.All, r =>
        {
            Assert.NotEmpty(RuleBook.Section(r));
            Assert.NotEqual(r.ToString(), RuleBook.Statement(r));
        });
        Assert.Equal(RuleBox.RequestVote, RuleBook.Box(RaftRule.VoteLogBehind));
        Assert.Equal(RuleBox.Leaders, RuleBook.Box(RaftRule.LeaderCommit));
    }
}
