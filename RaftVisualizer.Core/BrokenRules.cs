namespace RaftVisualizer.Core;

/// <summary>
/// Test-only switches, each breaking one rule of Raft, so tests and lessons can show that the
/// safety monitor and the linearizability checker catch the bug.
/// </summary>
[Flags]
public enum BrokenRules
{
    None = 0,
    /// <summary>Count replicas for entries of earlier terms too (the Figure 8 bug).</summary>
    CommitPreviousTermByCounting = 1,
    /// <summary>Lose votedFor on restart, so a node can vote twice in one term.</summary>
    ForgetVotedForOnRestart = 2,
    /// <summary>Grant votes without checking that the candidate's log is at least as up to date.</summary>
    VoteWithoutUpToDateCheck = 4,
    /// <summary>Answer reads from the local state of whichever node gets them, leader or not.</summary>
    ReadsFromAnyNode = 8,
    /// <summary>
    /// Hold a read lease for the whole minimum election timeout, without shrinking it by the clock
    /// drift bound: a leader whose clock runs slow keeps answering reads after a server whose clock
    /// runs fast has let a new leader be elected.
    /// </summary>
    LeaseWithoutDriftBound = 16,
}
