using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>Copying a running node, for <see cref="Cluster.Clone()"/>.</summary>
internal sealed partial class RaftNode
{
    private RaftNode(RaftNode source, DurableState durable, SimRandom random, INodeHost host)
    {
        Id = source.Id;
        _peers = source._peers; // never changed after construction
        _options = source._options;
        Durable = durable;
        _random = random;
        _host = host;
        _now = source._now;
        Role = source.Role;
        LeaderId = source.LeaderId;
        CommitIndex = source.CommitIndex;
        LastApplied = source.LastApplied;
        Kv = source.Kv.Clone();
        ElectionDeadline = source.ElectionDeadline;
        _pending = new Dictionary<long, ClientRequest>(source._pending);
        _votes = new HashSet<NodeId>(source._votes);
        _lastLeaderContact = source._lastLeaderContact;
        _nextIndex = (long[])source._nextIndex.Clone();
        _matchIndex = (long[])source._matchIndex.Clone();
        _awaitingReply = source._awaitingReply;
        _leading = source._leading;
    }

    /// <summary>
    /// This node's whole state over another disk, random source and host (the copy's own), so the
    /// copy never calls into the cluster this one belongs to.
    /// </summary>
    public RaftNode Clone(DurableState durable, SimRandom random, INodeHost host) => new(this, durable, random, host);
}
