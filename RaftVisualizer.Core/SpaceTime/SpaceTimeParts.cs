using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.SpaceTime;

/// <summary>What became of a message: it arrived, the network lost it, it was dropped (a cut, a down server, the user), or it is still on the wire.</summary>
public enum ArrowFate { InFlight, Delivered, Lost, Dropped }

/// <summary>
/// One message as an arrow from its sender's lane at <paramref name="SentAt"/> to its receiver's
/// lane at <paramref name="EndsAt"/> (its arrival, its drop, or where it will arrive while in flight).
/// <paramref name="Heartbeat"/>: an empty AppendEntries, or the reply to one. <paramref name="ReplyTo"/>:
/// the message id of the request this answers, when it is in the record. <paramref name="Copy"/>: 0 for
/// a message, 1 and up for the network's duplicates of it (each drawn as an arrow of its own).
/// </summary>
public sealed record SeqArrow(long MessageId, RaftMessage Message, TimeSpan SentAt, TimeSpan EndsAt, ArrowFate Fate, string? Why,
    bool Heartbeat, long? ReplyTo, int Copy)
{
    public NodeId From => Message.From;
    public NodeId To => Message.To;
    public string Kind => Message.Kind;
    public bool IsReply => Message is RequestVoteReply or AppendEntriesReply or InstallSnapshotReply;
}

public enum MarkKind { Role, Commit, Apply, Crash, Restart, Snapshot, Configuration, Joined }

/// <summary>A mark on one server's lane: a role or term change, a commit, an apply, a crash or restart, a snapshot, a configuration change.</summary>
public sealed record LaneMark(NodeId Node, TimeSpan At, MarkKind Kind, long Term, string Text);

public enum SpanKind { Down, Learner }

/// <summary>A stretch of one lane: the server was down (greyed) or a learner (thin); <paramref name="To"/> null = still so at the window's end.</summary>
public sealed record LaneSpan(NodeId Node, TimeSpan From, TimeSpan? To, SpanKind Kind);

/// <summary>A partition in force from <paramref name="From"/> to <paramref name="To"/> (null = still), with its groups.</summary>
public sealed record PartitionSpan(TimeSpan From, TimeSpan? To, IReadOnlyList<IReadOnlyList<NodeId>> Groups);

/// <summary>What to leave out: heartbeats (empty AppendEntries and their replies), all but one server's traffic, terms outside a range.</summary>
public sealed record SpaceTimeFilter(bool HideHeartbeats = false, NodeId? OnlyServer = null, long? MinTerm = null, long? MaxTerm = null)
{
    public static readonly SpaceTimeFilter None = new();

    public bool Keeps(SeqArrow arrow) =>
        (!HideHeartbeats || !arrow.Heartbeat) &&
        (OnlyServer is not { } only || arrow.From == only || arrow.To == only) &&
        InTerms(arrow.Message.Term);

    public bool Keeps(LaneMark mark) => (OnlyServer is not { } only || mark.Node == only) && InTerms(mark.Term);

    private bool InTerms(long term) => (MinTerm is not { } min || term >= min) && (MaxTerm is not { } max || term <= max);
}

/// <summary>The diagram for one window of time: lanes (one per server), arrows, marks, spans and partitions in it.</summary>
public sealed record SpaceTimeWindow(
    TimeSpan From, TimeSpan To, IReadOnlyList<NodeId> Lanes,
    IReadOnlyList<SeqArrow> Arrows, IReadOnlyList<LaneMark> Marks,
    IReadOnlyList<LaneSpan> Spans, IReadOnlyList<PartitionSpan> Partitions);
