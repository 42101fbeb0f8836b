using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core;

/// <summary>
/// One observable change, stamped with its simulated time. The page, the hub, the recorder and
/// the safety monitor all read this one stream.
/// </summary>
public abstract record ClusterEvent(TimeSpan Time);

// --- servers ---------------------------------------------------------------------------------
/// <summary>A server's role changed; <paramref name="Cause"/> is the rule that made it (null when it started or restarted).</summary>
public sealed record RoleChanged(TimeSpan Time, NodeId Node, NodeRole Role, long Term, string Reason, Cause? Cause = null) : ClusterEvent(Time);
public sealed record TermChanged(TimeSpan Time, NodeId Node, long Term, string Reason, Cause? Cause = null) : ClusterEvent(Time);
public sealed record VoteCast(TimeSpan Time, NodeId Voter, NodeId Candidate, long Term) : ClusterEvent(Time);
/// <summary>The election timer was reset; Deadline is null when it was stopped (a leader has none).</summary>
public sealed record ElectionTimerReset(TimeSpan Time, NodeId Node, TimeSpan? Deadline) : ClusterEvent(Time);
public sealed record NodeCrashed(TimeSpan Time, NodeId Node) : ClusterEvent(Time);
public sealed record NodeRestarted(TimeSpan Time, NodeId Node, long Term, long LogLength) : ClusterEvent(Time);

/// <summary>The leader <paramref name="Leader"/> began handing leadership to <paramref name="Target"/>.</summary>
public sealed record LeadershipTransferStarted(TimeSpan Time, NodeId Leader, NodeId Target) : ClusterEvent(Time);
/// <summary>A transfer ended: the old leader stepped down (<paramref name="SteppedDown"/>) or gave up, and why.</summary>
public sealed record LeadershipTransferEnded(TimeSpan Time, NodeId Leader, NodeId Target, bool SteppedDown, string Reason) : ClusterEvent(Time);

// --- logs ------------------------------------------------------------------------------------
/// <summary>An entry reached a server's log; <paramref name="Cause"/> says why the leader appended it (null on a follower: its AppendEntries reply tells that).</summary>
public sealed record EntryAppended(TimeSpan Time, NodeId Node, LogEntry Entry, Cause? Cause = null) : ClusterEvent(Time);
/// <summary>Entries from FromIndex on were removed because they conflicted with the leader's.</summary>
public sealed record LogTruncated(TimeSpan Time, NodeId Node, long FromIndex, long RemovedCount, Cause? Cause = null) : ClusterEvent(Time);
/// <summary>A server's commit index moved; <paramref name="Cause"/> is the rule that moved it (null when a snapshot did).</summary>
public sealed record CommitAdvanced(TimeSpan Time, NodeId Node, long CommitIndex, Cause? Cause = null) : ClusterEvent(Time);
public sealed record EntryApplied(TimeSpan Time, NodeId Node, LogEntry Entry, KvResult Result, AppliedCommitted? Cause = null) : ClusterEvent(Time);

// --- network ---------------------------------------------------------------------------------
public sealed record MessageSent(TimeSpan Time, long MessageId, RaftMessage Message, TimeSpan ArrivesAt) : ClusterEvent(Time);
public sealed record MessageDelivered(TimeSpan Time, long MessageId, RaftMessage Message) : ClusterEvent(Time);
/// <summary>A message that will never reach its receiver's handler: <paramref name="Kind"/> says what stopped it, <paramref name="Reason"/> in words.</summary>
public sealed record MessageDropped(TimeSpan Time, long MessageId, RaftMessage Message, string Reason, DropKind Kind) : ClusterEvent(Time)
{
    /// <summary>The network lost it (as opposed to a cut, a crash or the user): the space-time diagram draws it as lost.</summary>
    public bool LostOnTheWay => Kind == DropKind.Lost;
}
/// <summary>A partition, cut, heal, latency, loss or duplication change, described in words.</summary>
public sealed record NetworkChanged(TimeSpan Time, string Description) : ClusterEvent(Time);

// --- clients ---------------------------------------------------------------------------------
public sealed record ClientRequestStarted(TimeSpan Time, long OperationId, long ClientId, KvCommand Command) : ClusterEvent(Time);
/// <summary>A client attempt goes to <paramref name="To"/>; <paramref name="Cause"/> says why there (§8), <paramref name="Why"/> in words.</summary>
public sealed record ClientRequestSent(TimeSpan Time, long OperationId, NodeId To, int Attempt, string Why, ClientRouted? Cause = null) : ClusterEvent(Time);
public sealed record ClientRequestAnswered(TimeSpan Time, long OperationId, KvCommand Command, KvResult Result, NodeId? ServedBy, TimeSpan Elapsed) : ClusterEvent(Time);

// --- membership and snapshots ----------------------------------------------------------------
/// <summary>A new server joined the cluster (empty, as a learner of the next configuration).</summary>
public sealed record ServerAdded(TimeSpan Time, NodeId Node) : ClusterEvent(Time);
/// <summary>The configuration a server follows changed: a configuration entry reached its log, was cut off, or came with a snapshot.</summary>
public sealed record ConfigurationChanged(TimeSpan Time, NodeId Node, Configuration Config, long Index, string Reason, ConfigAdopted? Cause = null) : ClusterEvent(Time);
/// <summary>A server compacted its log: the snapshot now holds everything up to <paramref name="LastIndex"/>.</summary>
public sealed record SnapshotTaken(TimeSpan Time, NodeId Node, long LastIndex, long LastTerm, long EntriesDropped) : ClusterEvent(Time);
/// <summary>A follower took the leader's snapshot in place of its log up to <paramref name="LastIndex"/>.</summary>
public sealed record SnapshotInstalled(TimeSpan Time, NodeId Node, NodeId From, long LastIndex, long LastTerm, Configuration Config, long EntriesDiscarded) : ClusterEvent(Time);
