namespace RaftVisualizer.Core.Events;

/// <summary>
/// A rule of the Raft paper's Figure 2 (or of Ongaro's thesis, for the extensions) that decided
/// something. The rules card lights one of these; <see cref="Cause.Rule"/> says which.
/// </summary>
public enum RaftRule
{
    // RequestVote RPC, receiver implementation
    VoteStaleTerm,
    VoteAlreadyCast,
    VoteLogBehind,
    VoteGranted,
    // AppendEntries RPC, receiver implementation
    AppendStaleTerm,
    AppendPrevMismatch,
    AppendConflictTruncated,
    AppendAccepted,
    AppendLeaderCommit,
    // Rules for servers: all servers, followers, candidates, leaders
    HigherTerm,
    ApplyCommitted,
    ElectionTimeout,
    ElectionWon,
    NewLeaderSeen,
    LeaderHeartbeat,
    LeaderClientAppend,
    LeaderReplicate,
    LeaderBackoff,
    LeaderCommit,
    LeaderNoOp,
    // Extensions from the thesis (pre-vote, leader stickiness, check-quorum, membership, transfer)
    PreVote,
    VoteGuard,
    CheckQuorum,
    RemovedFromConfig,
    TimeoutNow,
    LatestConfig,
    // Client interaction (§8)
    ClientRedirect,
}
