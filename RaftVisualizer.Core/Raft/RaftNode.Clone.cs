using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core.Raft;

/// <summary>Copying a running node, for <see cref="Cluster.Clone()"/>.</summary>
internal sealed partial class RaftNode
{
    private RaftNode(RaftNode source, DurableState durable, SimRandom random, INodeHost host)
    {
        Id = source.Id;
        _peers = source._peers; // replaced, never changed in place
        _peerSet = source._peerSet;
        _peersIncludeOutgoing = source._peersIncludeOutgoing;
        _initialConfig = source._initialConfig;
        _activeConfig = source._activeConfig;
        _options = source._options;
        Durable = durable;
        _random = random;
        _host = host;
        _now = source._now;
        _startedAt = source._startedAt;
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
        _clockRate = source._clockRate;
        _ackedRound = (long[])source._ackedRound.Clone();
        _lastAck = (TimeSpan[])source._lastAck.Clone();
        _round = source._round;
        _roundStartedAt = source._roundStartedAt;
        _confirmedRound = source._confirmedRound;
        _roundStarts = new Queue<(long Round, TimeSpan LocalStart)>(source._roundStarts);
        _pendingReads = new List<PendingRead>(source._pendingReads);
        _readsAwaitingCommit = new List<ClientRequest>(source._readsAwaitingCommit);
        _leaseUntil = source._leaseUntil;
        _leaseForfeited = source._leaseForfeited;
        _transferTarget = source._transferTarget;
        _transferDeadline = source._transferDeadline;
        _timeoutNowSent = source._timeoutNowSent;
    }

    /// <summary>
    /// This node's whole state over another disk, random source and host (the copy's own), so the
    /// copy never calls into the cluster this one belongs to.
    /// </summary>
    public RaftNode Clone(DurableState durable, SimRandom random, INodeHost host) => new(this, durable, random, host);
}
