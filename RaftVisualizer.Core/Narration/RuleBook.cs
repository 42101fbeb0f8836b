using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Narration;

/// <summary>The boxes of the Raft paper's Figure 2, plus one for the thesis's extensions and one for client interaction (§8).</summary>
public enum RuleBox
{
    RequestVote,
    AppendEntries,
    AllServers,
    Followers,
    Candidates,
    Leaders,
    Extensions,
    Clients,
}

/// <summary>
/// Figure 2 in short: each rule's box, its words (as the paper puts them, condensed) and its
/// section. The rules card lays these out; the narrator cites the sections.
/// </summary>
public static class RuleBook
{
    /// <summary>Every rule in the card's order, box by box.</summary>
    public static IReadOnlyList<RaftRule> All { get; } = Enum.GetValues<RaftRule>();

    public static RuleBox Box(RaftRule rule) => rule switch
    {
        RaftRule.VoteStaleTerm or RaftRule.VoteAlreadyCast or RaftRule.VoteLogBehind or RaftRule.VoteGranted => RuleBox.RequestVote,
        RaftRule.AppendStaleTerm or RaftRule.AppendPrevMismatch or RaftRule.AppendConflictTruncated or RaftRule.AppendAccepted
            or RaftRule.AppendLeaderCommit => RuleBox.AppendEntries,
        RaftRule.HigherTerm or RaftRule.ApplyCommitted => RuleBox.AllServers,
        RaftRule.ElectionTimeout => RuleBox.Followers,
        RaftRule.ElectionWon or RaftRule.NewLeaderSeen => RuleBox.Candidates,
        RaftRule.LeaderHeartbeat or RaftRule.LeaderClientAppend or RaftRule.LeaderReplicate or RaftRule.LeaderBackoff
            or RaftRule.LeaderCommit or RaftRule.LeaderNoOp => RuleBox.Leaders,
        RaftRule.ClientRedirect => RuleBox.Clients,
        _ => RuleBox.Extensions,
    };

    /// <summary>Where the rule is argued: a section of the paper, or of Ongaro's thesis.</summary>
    public static string Section(RaftRule rule) => rule switch
    {
        RaftRule.VoteStaleTerm or RaftRule.AppendStaleTerm or RaftRule.HigherTerm => "§5.1",
        RaftRule.VoteAlreadyCast or RaftRule.ElectionTimeout or RaftRule.ElectionWon or RaftRule.NewLeaderSeen or RaftRule.LeaderHeartbeat => "§5.2",
        RaftRule.VoteLogBehind => "§5.4.1",
        RaftRule.VoteGranted => "§5.2, §5.4.1",
        RaftRule.AppendPrevMismatch or RaftRule.AppendConflictTruncated or RaftRule.AppendAccepted or RaftRule.AppendLeaderCommit
            or RaftRule.ApplyCommitted or RaftRule.LeaderClientAppend or RaftRule.LeaderReplicate or RaftRule.LeaderBackoff => "§5.3",
        RaftRule.LeaderNoOp => "§8",
        RaftRule.LeaderCommit => "§5.4.2",
        RaftRule.PreVote => "thesis §9.6",
        RaftRule.VoteGuard => "thesis §4.2.3",
        RaftRule.CheckQuorum => "thesis §6.2",
        RaftRule.RemovedFromConfig => "thesis §4.2.2",
        RaftRule.TimeoutNow => "thesis §3.10",
        RaftRule.LatestConfig => "thesis §4.1",
        RaftRule.ClientRedirect => "§8",
        _ => "",
    };

    /// <summary>The rule in the paper's words, condensed to a line.</summary>
    public static string Statement(RaftRule rule) => rule switch
    {
        RaftRule.VoteStaleTerm => "Reply false if term < currentTerm",
        RaftRule.VoteAlreadyCast => "Reply false if votedFor is another candidate in this term",
        RaftRule.VoteLogBehind => "Reply false unless the candidate's log is at least as up-to-date as the receiver's (last term, then last index)",
        RaftRule.VoteGranted => "If votedFor is null or candidateId, and the candidate's log is at least as up-to-date, grant vote",
        RaftRule.AppendStaleTerm => "Reply false if term < currentTerm",
        RaftRule.AppendPrevMismatch => "Reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm",
        RaftRule.AppendConflictTruncated => "If an existing entry conflicts with a new one (same index, different terms), delete it and all that follow",
        RaftRule.AppendAccepted => "Append any new entries not already in the log; reply true",
        RaftRule.AppendLeaderCommit => "If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry)",
        RaftRule.HigherTerm => "If an RPC request or response has term T > currentTerm: set currentTerm = T, convert to follower",
        RaftRule.ApplyCommitted => "If commitIndex > lastApplied: increment lastApplied, apply log[lastApplied] to the state machine",
        RaftRule.LeaderHeartbeat => "Upon election, and again when idle: send empty AppendEntries (heartbeats) to each server, so none times out",
        RaftRule.LeaderClientAppend => "If a command is received from a client: append it to the local log, respond after it is applied",
        RaftRule.LeaderReplicate => "If last log index ≥ nextIndex for a follower: send AppendEntries with the entries from nextIndex",
        RaftRule.LeaderBackoff => "If AppendEntries fails because of log inconsistency: decrement nextIndex and retry",
        RaftRule.LeaderNoOp => "A new leader appends a blank no-op entry of its term, so committing it commits all before it",
        RaftRule.ElectionTimeout => "If the election timeout elapses without hearing from a leader or granting a vote: become candidate",
        RaftRule.ElectionWon => "If votes are received from a majority of servers: become leader",
        RaftRule.NewLeaderSeen => "If AppendEntries is received from the new leader: convert to follower",
        RaftRule.LeaderCommit => "If a majority has matchIndex ≥ N > commitIndex and log[N].term == currentTerm: set commitIndex = N",
        RaftRule.PreVote => "Pre-vote: ask whether a majority would vote before raising the term",
        RaftRule.VoteGuard => "Ignore a vote request while a current leader is heard from (leader stickiness)",
        RaftRule.CheckQuorum => "A leader that has not heard from a majority within an election timeout steps down",
        RaftRule.RemovedFromConfig => "A leader removed from the configuration steps down once that entry commits",
        RaftRule.TimeoutNow => "On TimeoutNow from the leader: start an election at once",
        RaftRule.LatestConfig => "A server uses the newest configuration in its log, committed or not",
        RaftRule.ClientRedirect => "A server that is not the leader rejects a client's request and names the leader it last heard from; a client that hears nothing tries another server",
        _ => rule.ToString(),
    };

    public static string Title(RuleBox box) => box switch
    {
        RuleBox.RequestVote => "RequestVote RPC — receiver",
        RuleBox.AppendEntries => "AppendEntries RPC — receiver",
        RuleBox.AllServers => "All servers",
        RuleBox.Followers => "Followers",
        RuleBox.Candidates => "Candidates",
        RuleBox.Leaders => "Leaders",
        RuleBox.Clients => "Clients (§8)",
        _ => "Extensions (Ongaro's thesis)",
    };
}
