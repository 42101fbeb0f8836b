using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Frames;

/// <summary>One server frozen at a moment: safe to read from any thread, to render, or to send.</summary>
/// <remarks>
/// <see cref="Log"/> holds only the entries after the snapshot: <c>Log[0]</c> is entry
/// <see cref="SnapshotIndex"/> + 1. Use <see cref="Entry"/> to read by index.
/// </remarks>
public sealed record NodeFrame(
    NodeId Id, bool IsUp, NodeRole Role, long Term, NodeId? VotedFor,
    IReadOnlyList<LogEntry> Log, long CommitIndex, long LastApplied,
    IReadOnlyDictionary<string, string> Kv, NodeId? KnownLeader, TimeSpan? ElectionDeadline,
    IReadOnlyList<NodeId> VotesReceived,
    IReadOnlyDictionary<NodeId, long> NextIndex, IReadOnlyDictionary<NodeId, long> MatchIndex)
{
    /// <summary>Where this server stands in the cluster's configuration at this moment: voter, learner (catching up) or removed.</summary>
    public Membership Membership { get; init; } = Membership.Voter;

    /// <summary>The configuration this server follows (the newest in its log, committed or not).</summary>
    public Configuration? Config { get; init; }

    /// <summary>The snapshot on this server's disk, or null when nothing was compacted.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>The last index the snapshot covers (the log's base); 0 when nothing was compacted.</summary>
    public long SnapshotIndex { get; init; }

    /// <summary>The term of the snapshot's last entry; 0 when nothing was compacted.</summary>
    public long SnapshotTerm => Snapshot?.LastTerm ?? 0;

    /// <summary>How many keys the snapshot's KV map holds.</summary>
    public int SnapshotKeys => Snapshot?.State.Data.Count ?? 0;

    /// <summary>The last log index, counting the entries compacted into the snapshot.</summary>
    public long LastLogIndex => SnapshotIndex + Log.Count;

    /// <summary>The entry at <paramref name="index"/> if the log still holds it (not compacted, not past the end).</summary>
    public LogEntry? Entry(long index) =>
        index > SnapshotIndex && index <= LastLogIndex ? Log[(int)(index - SnapshotIndex - 1)] : null;

    /// <summary>True for a server that votes and counts toward majorities (not a learner, not removed).</summary>
    public bool IsVoter => Membership == Membership.Voter;
}

/// <summary>The whole cluster frozen at one simulated time: what the page draws and the hub sends.</summary>
public sealed record ClusterFrame(
    TimeSpan Now, long Steps, ClusterOptions Options, NodeId? Leader,
    IReadOnlyList<NodeFrame> Nodes, IReadOnlyList<InFlightMessage> Messages,
    IReadOnlyList<IReadOnlyList<NodeId>> Groups, IReadOnlyList<(NodeId From, NodeId To)> Cuts,
    TimeSpan MinLatency, TimeSpan MaxLatency, double LossRate,
    IReadOnlyList<SafetyViolation> Violations)
{
    public NodeFrame? Node(NodeId id) => Nodes.FirstOrDefault(n => n.Id == id);

    /// <summary>Every directed link with settings of its own (latency, loss), ordered by link.</summary>
    public IReadOnlyList<LinkSettings> Links { get; init; } = [];

    /// <summary>The cluster's configuration at this moment (the leader's; see <see cref="Cluster.Configuration"/>); the initial one of <see cref="Options"/> when not set.</summary>
    public Configuration Configuration
    {
        get => _configuration ?? Configuration.Initial(Options.NodeCount);
        init => _configuration = value;
    }

    private readonly Configuration? _configuration;

    /// <summary>The last time each rule of Figure 2 was applied up to this moment, and the rule applied last.</summary>
    public RuleLedger Rules { get; init; } = new();

    /// <summary>How many votes make a majority in <see cref="Configuration"/>.</summary>
    public int Majority => Configuration.Majority;
}
