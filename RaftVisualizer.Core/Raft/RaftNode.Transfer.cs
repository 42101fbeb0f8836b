using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// Leadership transfer (thesis section 3.10): the leader stops taking client requests, brings the
/// target's log up to date, sends it TimeoutNow so it starts an election at once, and gives up
/// after an election timeout.
/// </summary>
internal sealed partial class RaftNode
{
    private NodeId? _transferTarget;
    /// <summary>When the transfer is given up (simulated time).</summary>
    private TimeSpan _transferDeadline;
    private bool _timeoutNowSent;

    /// <summary>The server this leader is handing leadership to, if any.</summary>
    public NodeId? TransferTarget => _transferTarget;

    /// <summary>Starts handing leadership to <paramref name="target"/>; a sentence when it cannot.</summary>
    public string? TransferLeadership(NodeId target, TimeSpan now)
    {
        _now = now;
        if (Role != NodeRole.Leader) return $"{Id} is not the leader.";
        if (target == Id) return $"{Id} is already the leader.";
        if (!_activeConfig.IsVoter(target))
            return _activeConfig.IsLearner(target) ? $"{target} is still a learner: it cannot lead before it votes." : $"{target} is not a member of {Id}'s cluster.";
        if (_transferTarget is { } busy) return $"{Id} is already handing leadership to {busy}.";
        _transferTarget = target;
        _timeoutNowSent = false;
        _transferDeadline = _now + RealFor(_options.ElectionTimeoutMax);
        _host.Emit(new LeadershipTransferStarted(_now, Id, target));
        if (!MaybeSendTimeoutNow() && !_awaitingReply.Contains(target)) SendAppend(target);
        return null;
    }

    /// <summary>Sends TimeoutNow once the target holds the whole log; the leader's lease ends here.</summary>
    private bool MaybeSendTimeoutNow()
    {
        if (_transferTarget is not { } target || _timeoutNowSent || _matchIndex[target.Value] < Log.LastIndex) return false;
        _timeoutNowSent = true;
        _leaseUntil = null;
        _leaseForfeited = true; // the target's election bypasses the vote guard, so no lease is safe in this term any more
        _host.Send(new TimeoutNow(Id, target, Term));
        return true;
    }

    private void CheckTransferDeadline()
    {
        if (_transferTarget is { } target && _now >= _transferDeadline)
            EndTransfer(steppedDown: false, $"{target} did not take over within an election timeout; {Id} leads on");
    }

    private void EndTransfer(bool steppedDown, string reason)
    {
        if (_transferTarget is not { } target) return;
        _transferTarget = null;
        _timeoutNowSent = false;
        _host.Emit(new LeadershipTransferEnded(_now, Id, target, steppedDown, reason));
    }

    private void OnTimeoutNow(TimeoutNow m)
    {
        if (m.Term < Term) return; // from a leader that has since been replaced
        if (m.Term > Term) ObserveTerm(m, $"{m.From} is leader of term {m.Term}");
        if (Role == NodeRole.Leader) return;
        BecomeCandidate($"{m.From} handed it leadership (TimeoutNow)", new HandedLeadership(m.From, Term), transfer: true);
    }

    /// <summary>
    /// The vote guard (thesis section 4.2.3): this server leads, or heard from a leader within the
    /// minimum election timeout, or (re)started less than that ago: a restarted server has forgotten
    /// whom it heard, and may have acknowledged a leader's lease just before it went down.
    /// </summary>
    public bool HeardFromLeaderRecently() =>
        Role == NodeRole.Leader ||
        LeaderId is not null && _lastLeaderContact is { } heard && LocalNow - Local(heard) < _options.ElectionTimeoutMin ||
        LocalNow - Local(_startedAt) < _options.ElectionTimeoutMin;

    /// <summary>Why the vote guard holds now, in words.</summary>
    private string GuardReason() =>
        Role == NodeRole.Leader ? $"{Id} leads term {Term}"
        : LeaderId is not null && _lastLeaderContact is { } heard && LocalNow - Local(heard) < _options.ElectionTimeoutMin
            ? $"{Id} heard from leader {LeaderId} within the minimum election timeout"
            : $"{Id} (re)started less than the minimum election timeout ago and may still owe a leader its lease";
}
