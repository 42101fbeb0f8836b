using System.Text;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core;

/// <summary>A Raft RPC or its reply, as it travels on the simulated network.</summary>
public abstract record RaftMessage(NodeId From, NodeId To, long Term)
{
    /// <summary>A short name for the feed and the page: RequestVote, AppendEntries, ...</summary>
    public abstract string Kind { get; }
}

/// <summary>A vote request. <paramref name="Transfer"/>: the candidate was handed leadership (TimeoutNow), so the vote guard lets it through.</summary>
public sealed record RequestVote(NodeId From, NodeId To, long Term, long LastLogIndex, long LastLogTerm, bool PreVote = false, bool Transfer = false)
    : RaftMessage(From, To, Term)
{
    public override string Kind => PreVote ? "PreVote" : "RequestVote";
}

/// <summary>The answer to a vote or pre-vote request; <paramref name="Cause"/> is the rule the voter applied, with its values.</summary>
public sealed record RequestVoteReply(NodeId From, NodeId To, long Term, bool Granted, bool PreVote, string Reason, Cause? Cause = null)
    : RaftMessage(From, To, Term)
{
    public override string Kind => PreVote ? "PreVoteReply" : "RequestVoteReply";
}

/// <summary>
/// AppendEntries (a heartbeat when it carries no entries). <paramref name="Round"/> numbers the
/// leader's heartbeat rounds; the reply echoes it, so the leader knows a majority heard from it
/// after a round began (ReadIndex, leases).
/// </summary>
public sealed record AppendEntries(NodeId From, NodeId To, long Term, long PrevLogIndex, long PrevLogTerm,
    IReadOnlyList<LogEntry> Entries, long LeaderCommit, long Round = 0, Cause? Cause = null) : RaftMessage(From, To, Term)
{
    public override string Kind => "AppendEntries";

    public bool IsHeartbeat => Entries.Count == 0;

    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"From = {From}, To = {To}, Term = {Term}, PrevLogIndex = {PrevLogIndex}, ");
        builder.Append($"PrevLogTerm = {PrevLogTerm}, Entries = [{string.Join(", ", Entries)}], LeaderCommit = {LeaderCommit}, Round = {Round}");
        return true;
    }
}

/// <summary>
/// The reply to AppendEntries. On success MatchIndex is the last index known to match. On failure
/// ConflictTerm / ConflictIndex let the leader skip a whole term at once (fast backtracking).
/// Round echoes the AppendEntries' heartbeat round; Cause is the receiver rule that decided, with its values.
/// </summary>
public sealed record AppendEntriesReply(NodeId From, NodeId To, long Term, bool Success, long MatchIndex,
    long ConflictTerm, long ConflictIndex, string? Refusal = null, long Round = 0, Cause? Cause = null) : RaftMessage(From, To, Term)
{
    public override string Kind => "AppendEntriesReply";

    /// <summary>Why, in words. Built on demand: replies are the hottest path of the simulation.</summary>
    public string Reason => Refusal ?? (Success ? $"{From} holds entries up to {MatchIndex}" : "refused");
}

/// <summary>A leader handing over leadership (thesis section 3.10): the target starts an election at once.</summary>
public sealed record TimeoutNow(NodeId From, NodeId To, long Term) : RaftMessage(From, To, Term)
{
    public override string Kind => "TimeoutNow";
}

/// <summary>
/// The leader's snapshot for a follower whose next entry was compacted away (paper section 7).
/// Sent whole, in one message (the paper's chunks and offsets are left out).
/// </summary>
public sealed record InstallSnapshot(NodeId From, NodeId To, long Term, Snapshot Snapshot, long Round = 0) : RaftMessage(From, To, Term)
{
    public override string Kind => "InstallSnapshot";
}

/// <summary>The answer to InstallSnapshot: the follower now holds everything up to <paramref name="LastIndex"/>.</summary>
public sealed record InstallSnapshotReply(NodeId From, NodeId To, long Term, long LastIndex, long Round = 0) : RaftMessage(From, To, Term)
{
    public override string Kind => "InstallSnapshotReply";
}
