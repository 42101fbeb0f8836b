using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core;

/// <summary>
/// A read-only window on one server. Durable state (term, vote, log) is shown even while the
/// node is down; volatile state (role, commit index, KV map, leader indexes) is empty then.
/// </summary>
public sealed class NodeView
{
    private static readonly IReadOnlyDictionary<NodeId, long> NoIndexes = new Dictionary<NodeId, long>();
    private static readonly IReadOnlyDictionary<string, string> NoData = new Dictionary<string, string>();
    private readonly NodeSlot _slot;
    private readonly Cluster _cluster;

    internal NodeView(NodeSlot slot, Cluster cluster) => (_slot, _cluster) = (slot, cluster);

    private RaftNode? Live => _slot.Node;

    public NodeId Id => _slot.Id;
    public bool IsUp => Live is not null;
    public NodeRole Role => Live?.Role ?? NodeRole.Follower;
    public long Term => _slot.Durable.CurrentTerm;
    public NodeId? VotedFor => _slot.Durable.VotedFor;
    /// <summary>The entries after the snapshot (all of them when nothing was compacted): <c>Log[0]</c> is entry <see cref="SnapshotIndex"/> + 1.</summary>
    public IReadOnlyList<LogEntry> Log => _slot.Durable.Log.Entries;
    /// <summary>The last log index, counting the entries compacted into the snapshot.</summary>
    public long LastLogIndex => _slot.Durable.Log.LastIndex;
    /// <summary>The last index the snapshot covers; 0 when nothing was compacted.</summary>
    public long SnapshotIndex => _slot.Durable.Log.BaseIndex;
    /// <summary>The snapshot on this server's disk, or null.</summary>
    public Snapshot? Snapshot => _slot.Durable.Snapshot;
    /// <summary>The entry at <paramref name="index"/> if the log still holds it (not compacted, not past the end).</summary>
    public LogEntry? Entry(long index) => _slot.Durable.Log.Holds(index) ? _slot.Durable.Log[index] : null;
    /// <summary>The configuration this server follows: the newest in its log, else the one the cluster started with.</summary>
    public Configuration Config => _slot.Durable.Log.LatestConfig ?? _cluster.InitialConfiguration;
    /// <summary>Where this server stands in the cluster's configuration now (see <see cref="Cluster.Configuration"/>).</summary>
    public Membership Membership => _cluster.Configuration switch
    {
        var c when c.IsVoter(Id) => Membership.Voter,
        var c when c.IsLearner(Id) => Membership.Learner,
        _ => Membership.Removed,
    };
    public long CommitIndex => Live?.CommitIndex ?? 0;
    public long LastApplied => Live?.LastApplied ?? 0;
    public IReadOnlyDictionary<string, string> Kv => Live?.Kv.Data ?? NoData;
    public NodeId? KnownLeader => Live?.LeaderId;
    public TimeSpan? ElectionDeadline => Live?.ElectionDeadline;
    /// <summary>How fast this server's clock runs against simulated time: 1 exactly, 1.03 = 3 % fast (see <see cref="ClusterOptions.ClockDrift"/>).</summary>
    public double ClockRate => _slot.ClockRate;
    /// <summary>Whether this leader may answer reads from its own state now (<see cref="ReadMode.Lease"/>).</summary>
    public bool HoldsLease => Live is { LeaseHolds: true };
    /// <summary>The server this leader is handing leadership to, if any.</summary>
    public NodeId? TransferTarget => Live is { Role: NodeRole.Leader } n ? n.TransferTarget : null;
    public IReadOnlyCollection<NodeId> VotesReceived => Live is { Role: NodeRole.Candidate or NodeRole.PreCandidate } n ? n.VotesReceived : Array.Empty<NodeId>();
    /// <summary>The leader's nextIndex per follower; empty unless this node leads.</summary>
    public IReadOnlyDictionary<NodeId, long> NextIndex => Live is { Role: NodeRole.Leader } n ? n.NextIndex : NoIndexes;
    /// <summary>The leader's matchIndex per follower; empty unless this node leads.</summary>
    public IReadOnlyDictionary<NodeId, long> MatchIndex => Live is { Role: NodeRole.Leader } n ? n.MatchIndex : NoIndexes;

    public override string ToString() =>
        $"{Id} {(IsUp ? Role.ToString() : "down")} term {Term} log {LastLogIndex} commit {CommitIndex}";
}
