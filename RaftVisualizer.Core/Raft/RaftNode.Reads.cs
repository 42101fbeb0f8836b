using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// Reads without the log (paper section 8): ReadIndex confirms leadership with a heartbeat round,
/// a lease skips even that while it holds. Either way the leader first needs an entry of its own
/// term committed, so that its commit index covers everything committed before it.
/// </summary>
internal sealed partial class RaftNode
{
    private readonly record struct PendingRead(ClientRequest Request, long ReadIndex, long Round);

    /// <summary>Reads waiting for a heartbeat round to be confirmed, oldest first.</summary>
    private readonly List<PendingRead> _pendingReads = new();
    /// <summary>Reads that arrived before the leader committed an entry of its term.</summary>
    private readonly List<ClientRequest> _readsAwaitingCommit = new();
    /// <summary>The end of the lease on this server's clock, or null when none holds.</summary>
    private TimeSpan? _leaseUntil;
    /// <summary>Set when this leader sent TimeoutNow: it never holds a lease again in this term.</summary>
    private bool _leaseForfeited;

    /// <summary>Whether the leader may answer reads locally now.</summary>
    public bool LeaseHolds => _leading && _leaseUntil is { } until && LocalNow < until;

    private bool CommittedInTerm => CommitIndex > 0 && Log.TermAt(CommitIndex) == Term;

    private void ServeRead(ClientRequest request)
    {
        if (!CommittedInTerm)
        {
            _readsAwaitingCommit.Add(request);
            return;
        }
        if (_options.ReadMode == ReadMode.Lease && LeaseHolds && LastApplied >= CommitIndex)
        {
            AnswerRead(request);
            return;
        }
        QueueRead(request);
    }

    /// <summary>Records the commit index as the read index and waits for a round begun now (or at this instant) to be confirmed.</summary>
    private void QueueRead(ClientRequest request)
    {
        if (_roundStartedAt != _now || _round == 0) BroadcastRoundForRead();
        _pendingReads.Add(new PendingRead(request, CommitIndex, _round));
        AnswerConfirmedReads();
    }

    private void BroadcastRoundForRead()
    {
        BroadcastRound(HeartbeatPurpose.ConfirmRead);
        _host.SetHeartbeatTimer(Id, _now + _options.HeartbeatInterval); // the broadcast was a heartbeat: the next one is due a full interval later
    }

    private void AnswerConfirmedReads()
    {
        if (_pendingReads.Count == 0) return;
        var answered = 0;
        foreach (var read in _pendingReads)
        {
            if (read.Round > _confirmedRound || read.ReadIndex > LastApplied) break; // rounds and indexes only grow along the list
            AnswerRead(read.Request);
            answered++;
        }
        _pendingReads.RemoveRange(0, answered);
    }

    private void AnswerRead(ClientRequest request) => Answer(request, Kv.Read(request.Command.Key));

    /// <summary>Called on the leader after its commit index moved: reads held for the first commit of the term go ahead.</summary>
    private void OnLeaderCommitted()
    {
        if (_readsAwaitingCommit.Count > 0 && CommittedInTerm)
        {
            var waiting = _readsAwaitingCommit.ToArray();
            _readsAwaitingCommit.Clear();
            foreach (var request in waiting) ServeRead(request);
        }
        AnswerConfirmedReads();
    }

    private void FailPendingReads(string why)
    {
        foreach (var read in _pendingReads) _host.Reply(new ClientReply(read.Request.OperationId, read.Request.Attempt, Id, null, null, why));
        foreach (var request in _readsAwaitingCommit) _host.Reply(new ClientReply(request.OperationId, request.Attempt, Id, null, null, why));
        _pendingReads.Clear();
        _readsAwaitingCommit.Clear();
    }
}
