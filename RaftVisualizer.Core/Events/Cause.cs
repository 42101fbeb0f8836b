namespace RaftVisualizer.Core.Events;

/// <summary>
/// Why a server did what an event or a reply shows: the rule that acted and the values it
/// compared, as data (the narrator words it; nothing parses it back out of a sentence).
/// </summary>
public abstract record Cause
{
    /// <summary>The rule of Figure 2 (or of the thesis) that decided.</summary>
    public abstract RaftRule Rule { get; }
}

/// <summary>Where a log ends: the term and index of its last entry (what §5.4.1 compares).</summary>
public readonly record struct LogEnd(long Term, long Index)
{
    public override string ToString() => $"term {Term}, index {Index}";
}

// --- RequestVote receiver ---------------------------------------------------------------------

/// <summary>Refused: the candidate's term is older than the voter's (§5.1).</summary>
public sealed record VoteTermStale(NodeId Candidate, long Term, long CurrentTerm) : Cause
{
    public override RaftRule Rule => RaftRule.VoteStaleTerm;
}

/// <summary>Refused: the voter already gave its vote for this term to someone else (§5.2).</summary>
public sealed record VoteAlreadyCast(NodeId Candidate, long Term, NodeId VotedFor) : Cause
{
    public override RaftRule Rule => RaftRule.VoteAlreadyCast;
}

/// <summary>Refused: the candidate's log is less up to date than the voter's (§5.4.1).</summary>
public sealed record VoteLogBehind(NodeId Candidate, long Term, LogEnd CandidateLog, LogEnd VoterLog) : Cause
{
    public override RaftRule Rule => RaftRule.VoteLogBehind;
}

/// <summary>Granted: the voter had not voted for another in this term and the candidate's log is at least as up to date (§5.2, §5.4.1).</summary>
public sealed record VoteGiven(NodeId Candidate, long Term, LogEnd CandidateLog, LogEnd VoterLog) : Cause
{
    public override RaftRule Rule => RaftRule.VoteGranted;
}

/// <summary>Why the vote guard (leader stickiness, thesis §4.2.3) holds.</summary>
public enum VoteGuardReason
{
    /// <summary>The voter leads this term itself.</summary>
    Leads,
    /// <summary>The voter heard from a leader within the minimum election timeout.</summary>
    HeardFromLeader,
    /// <summary>The voter (re)started less than the minimum election timeout ago.</summary>
    JustStarted,
}

/// <summary>
/// Ignored: a request for a newer term while the voter still hears from a leader (thesis §4.2.3).
/// <paramref name="NotAVoter"/>: the candidate is not even a voter in the voter's configuration.
/// </summary>
public sealed record VoteGuarded(NodeId Candidate, long Term, long CurrentTerm, VoteGuardReason Why, NodeId? Leader, bool NotAVoter) : Cause
{
    public override RaftRule Rule => RaftRule.VoteGuard;
}

/// <summary>Why a pre-vote was refused (thesis §9.6); <see cref="None"/> when it was granted.</summary>
public enum PreVoteRefusal
{
    None,
    TermNotNewer,
    HeardFromLeader,
    LeaderStillLeads,
    LogBehind,
}

/// <summary>A pre-vote answered (thesis §9.6): would the voter vote for the candidate in <paramref name="ProposedTerm"/>?</summary>
public sealed record PreVoteDecided(NodeId Candidate, long ProposedTerm, long CurrentTerm, PreVoteRefusal Refusal, NodeId? Leader,
    LogEnd CandidateLog, LogEnd VoterLog) : Cause
{
    public override RaftRule Rule => RaftRule.PreVote;

    public bool Granted => Refusal == PreVoteRefusal.None;
}

// --- AppendEntries receiver -------------------------------------------------------------------

/// <summary>Refused: the sender's term is older than the follower's (§5.1).</summary>
public sealed record AppendTermStale(NodeId Leader, long Term, long CurrentTerm) : Cause
{
    public override RaftRule Rule => RaftRule.AppendStaleTerm;
}

/// <summary>
/// Refused: the follower's log has no entry at PrevLogIndex whose term is PrevLogTerm (§5.3).
/// <paramref name="LocalTerm"/> is the term the follower holds there, or null when its log is too short.
/// </summary>
public sealed record AppendPrevMismatch(NodeId Leader, long PrevLogIndex, long PrevLogTerm, long? LocalTerm, long LastIndex) : Cause
{
    public override RaftRule Rule => RaftRule.AppendPrevMismatch;
}

/// <summary>Accepted: the entry at PrevLogIndex matches, and the follower now holds the leader's entries up to MatchIndex (§5.3).</summary>
public sealed record AppendMatched(NodeId Leader, long PrevLogIndex, long PrevLogTerm, long MatchIndex) : Cause
{
    public override RaftRule Rule => RaftRule.AppendAccepted;
}

/// <summary>An existing entry conflicted with the leader's (same index, other term): it and all after it go (§5.3).</summary>
public sealed record ConflictTruncated(NodeId Leader, long Index, long LocalTerm, long LeaderTerm) : Cause
{
    public override RaftRule Rule => RaftRule.AppendConflictTruncated;
}

/// <summary>A follower commits: leaderCommit &gt; commitIndex, so commitIndex = min(leaderCommit, index of last new entry) (Figure 2).</summary>
public sealed record CommitFromLeader(NodeId Leader, long LeaderCommit, long LastNewIndex, long OldCommit) : Cause
{
    public override RaftRule Rule => RaftRule.AppendLeaderCommit;
}

// --- rules for servers ------------------------------------------------------------------------

/// <summary>A message carried a term newer than the server's: it adopts it and becomes a follower (§5.1).</summary>
public sealed record HigherTermSeen(NodeId From, string MessageKind, long Term, long OldTerm) : Cause
{
    public override RaftRule Rule => RaftRule.HigherTerm;
}

/// <summary>The election timer ran out without word from a leader: start an election (§5.2).</summary>
public sealed record ElectionTimedOut(long OldTerm) : Cause
{
    public override RaftRule Rule => RaftRule.ElectionTimeout;
}

/// <summary>A candidate won votes from a majority of the voters (§5.2).</summary>
public sealed record ElectionWon(long Term, ServerSet Voters, int Majority) : Cause
{
    public override RaftRule Rule => RaftRule.ElectionWon;
}

/// <summary>A candidate (or pre-candidate) heard AppendEntries from the leader of its term: it becomes a follower (§5.2).</summary>
public sealed record NewLeaderSeen(NodeId Leader, long Term) : Cause
{
    public override RaftRule Rule => RaftRule.NewLeaderSeen;
}

/// <summary>
/// The leader commits entry Index: a majority of matchIndex values reach it and it is from the
/// current term (§5.3, §5.4.2). Holders are the voters holding it, the leader included.
/// </summary>
public sealed record CommittedByMajority(long Index, long EntryTerm, long CurrentTerm, ServerSet Holders, int Majority, long OldCommit) : Cause
{
    public override RaftRule Rule => RaftRule.LeaderCommit;
}

/// <summary>A server applies entry Index: commitIndex &gt; lastApplied, so lastApplied moves on and the entry goes to the state machine (Figure 2, §5.3).</summary>
public sealed record AppliedCommitted(long Index, long CommitIndex) : Cause
{
    public override RaftRule Rule => RaftRule.ApplyCommitted;
}

/// <summary>Why a leader sends a round of AppendEntries with no entries.</summary>
public enum HeartbeatPurpose
{
    /// <summary>It was just elected: the first heartbeat tells every server who leads (§5.2).</summary>
    UponElection,
    /// <summary>The heartbeat interval passed: an idle leader repeats it so no follower times out (§5.2).</summary>
    Idle,
    /// <summary>A read by ReadIndex asked for a round, to confirm the leader still leads (thesis §6.4).</summary>
    ConfirmRead,
}

/// <summary>A leader's heartbeat round in <paramref name="Term"/> (§5.2): one cause shared by the round's messages.</summary>
public sealed record HeartbeatSent(long Term, HeartbeatPurpose Purpose) : Cause
{
    public override RaftRule Rule => RaftRule.LeaderHeartbeat;
}

/// <summary>The follower's nextIndex is at or below the leader's last index: the leader sends Count entries from NextIndex on (§5.3).</summary>
public sealed record EntriesFromNextIndex(NodeId Follower, long NextIndex, long LastIndex, int Count) : Cause
{
    public override RaftRule Rule => RaftRule.LeaderReplicate;
}

/// <summary>
/// The follower refused for log inconsistency: the leader walks its nextIndex back from OldNext to
/// NewNext and retries (§5.3); with fast backtracking (<paramref name="Fast"/>) it jumps by the
/// follower's hint, the conflicting term and the first index it holds for it.
/// </summary>
public sealed record NextIndexBackedOff(NodeId Follower, long OldNext, long NewNext, bool Fast, long ConflictTerm, long ConflictIndex) : Cause
{
    public override RaftRule Rule => RaftRule.LeaderBackoff;
}

/// <summary>A client's command reached the leader: it appends the command to its own log and answers once it is applied (§5.3).</summary>
public sealed record ClientCommandAppended(long OperationId) : Cause
{
    public override RaftRule Rule => RaftRule.LeaderClientAppend;
}

/// <summary>A new leader appends a blank no-op entry of its term, so that committing it commits every earlier entry (§8).</summary>
public sealed record NoOpAppended(long Term) : Cause
{
    public override RaftRule Rule => RaftRule.LeaderNoOp;
}

// --- extensions (Ongaro's thesis) -------------------------------------------------------------

/// <summary>A pre-candidate heard from a majority that they would vote for it: it starts the real election (thesis §9.6).</summary>
public sealed record PreVoteWon(long ProposedTerm, ServerSet Voters, int Majority) : Cause
{
    public override RaftRule Rule => RaftRule.PreVote;
}

/// <summary>Check-quorum (thesis §6.2): the leader heard from fewer than a majority within the minimum election timeout.</summary>
public sealed record QuorumLost(int Heard, int Majority, TimeSpan Within) : Cause
{
    public override RaftRule Rule => RaftRule.CheckQuorum;
}

/// <summary>The configuration without this leader committed at entry Index: it steps down (thesis §4.2.2).</summary>
public sealed record RemovedFromConfig(long Index) : Cause
{
    public override RaftRule Rule => RaftRule.RemovedFromConfig;
}

/// <summary>The leader handed this server leadership with TimeoutNow: it starts an election at once (thesis §3.10).</summary>
public sealed record HandedLeadership(NodeId From, long OldTerm) : Cause
{
    public override RaftRule Rule => RaftRule.TimeoutNow;
}

// --- membership (thesis §4.1) -----------------------------------------------------------------

/// <summary>How the configuration a server follows came to be the newest in its log.</summary>
public enum ConfigSource
{
    /// <summary>The leader appended it: an administrator's change.</summary>
    Proposed,
    /// <summary>The leader appended it because a learner (<see cref="ConfigAdopted.From"/>) caught up: the learner becomes a voter.</summary>
    LearnerCaughtUp,
    /// <summary>It came in the leader's (<see cref="ConfigAdopted.From"/>) AppendEntries.</summary>
    LeaderEntries,
    /// <summary>The leader's entries cut off a newer, uncommitted configuration entry: the server falls back to the newest left.</summary>
    EntriesCutOff,
    /// <summary>It came with the leader's (<see cref="ConfigAdopted.From"/>) snapshot.</summary>
    Snapshot,
}

/// <summary>
/// A server follows the newest configuration in its log at once, committed or not (thesis §4.1):
/// the entry at <paramref name="Index"/>, which got there as <paramref name="Source"/> says.
/// <paramref name="Matched"/> is how far the caught-up learner's log matched the leader's.
/// </summary>
public sealed record ConfigAdopted(long Index, ConfigSource Source, NodeId? From = null, long Matched = 0) : Cause
{
    public override RaftRule Rule => RaftRule.LatestConfig;
}

// --- clients (§8) -----------------------------------------------------------------------------

/// <summary>Why a client sends an attempt where it does (§8).</summary>
public enum ClientRoute
{
    /// <summary>The first attempt goes to a server picked at random.</summary>
    Random,
    /// <summary>The first attempt goes where the user said (the form's server, the API's ?via=).</summary>
    Told,
    /// <summary>A server that is not the leader refused and named the leader it last heard from.</summary>
    Redirected,
    /// <summary>A server that is not the leader refused and knew no leader, so the client tries the next one.</summary>
    NoLeaderKnown,
    /// <summary>The server did not answer in time, so the client tries the next one.</summary>
    NoAnswer,
}

/// <summary>
/// Where a client attempt goes and why (§8): <paramref name="From"/> is the server of the attempt
/// before (null for a first attempt), <paramref name="Leader"/> the leader it named.
/// </summary>
public sealed record ClientRouted(ClientRoute Route, NodeId? From = null, NodeId? Leader = null) : Cause
{
    public override RaftRule Rule => RaftRule.ClientRedirect;
}
