using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// Heartbeat rounds: the leader numbers each broadcast, followers echo the number, and the
/// highest round a majority has acknowledged proves the leader still led when that round began.
/// ReadIndex waits on it, a lease is counted from its start, check-quorum asks when each peer last answered.
/// </summary>
internal sealed partial class RaftNode
{
    /// <summary>Rounds whose start is remembered for a lease; older ones are forgotten (their acks then extend nothing).</summary>
    private const int MaxRememberedRounds = 256;

    private long _round;
    /// <summary>When the current round began (simulated time): reads arriving at that instant share it.</summary>
    private TimeSpan _roundStartedAt;
    /// <summary>The highest round a majority (this leader included) has acknowledged.</summary>
    private long _confirmedRound;
    /// <summary>By node number: the highest round each peer echoed, and when (on this server's clock) it last answered.</summary>
    private readonly long[] _ackedRound;
    private readonly TimeSpan[] _lastAck;
    /// <summary>Each unconfirmed round's start on this server's clock (kept only in lease mode).</summary>
    private readonly Queue<(long Round, TimeSpan LocalStart)> _roundStarts = new();

    private void StartRounds()
    {
        _round = 0;
        _confirmedRound = 0;
        _roundStarts.Clear();
        _leaseUntil = null;
        _leaseForfeited = false;
        var now = LocalNow;
        foreach (var peer in _peers)
        {
            _ackedRound[peer.Value] = 0;
            _lastAck[peer.Value] = now; // a new leader gets a whole election timeout to hear from a majority
        }
    }

    /// <summary>Begins a new round and sends every follower an AppendEntries carrying it; <paramref name="purpose"/> says why the round (a heartbeat where there is nothing to send).</summary>
    private void BroadcastRound(HeartbeatPurpose purpose)
    {
        _round++;
        _roundStartedAt = _now;
        if (_options.ReadMode == ReadMode.Lease)
        {
            if (_roundStarts.Count >= MaxRememberedRounds) _roundStarts.Dequeue();
            _roundStarts.Enqueue((_round, LocalNow));
        }
        var heartbeat = new HeartbeatSent(Term, purpose);
        foreach (var peer in _peers) SendAppend(peer, heartbeat: heartbeat);
        if (_options.ReadMode != ReadMode.Log) ConfirmRounds(); // a single server is its own majority
    }

    private void Acknowledged(NodeId peer, long round)
    {
        _lastAck[peer.Value] = LocalNow;
        if (round <= _ackedRound[peer.Value]) return;
        _ackedRound[peer.Value] = Math.Min(round, _round);
        if (_options.ReadMode != ReadMode.Log) ConfirmRounds(); // only reads and leases wait on confirmed rounds
    }

    /// <summary>Moves the confirmed round to the highest one a majority acknowledged; renews the lease and answers waiting reads.</summary>
    private void ConfirmRounds()
    {
        var voters = _activeConfig.Voters;
        var rounds = _roundScratch is { } scratch && scratch.Length == voters.Count ? scratch : _roundScratch = new long[voters.Count];
        for (var i = 0; i < voters.Count; i++) rounds[i] = voters[i] == Id ? _round : _ackedRound[voters[i].Value];
        SortSmall(rounds);
        var confirmed = rounds[rounds.Length - Majority];
        if (confirmed <= _confirmedRound) return;
        _confirmedRound = confirmed;
        if (_options.ReadMode == ReadMode.Lease)
        {
            TimeSpan? start = null;
            while (_roundStarts.Count > 0 && _roundStarts.Peek().Round <= confirmed)
            {
                var (round, localStart) = _roundStarts.Dequeue();
                if (round == confirmed) start = localStart;
            }
            if (start is { } from && !_leaseForfeited) _leaseUntil = from + _options.LeaseDuration;
        }
        AnswerConfirmedReads();
    }

    private long[]? _roundScratch;

    /// <summary>Check-quorum: how many voters (this leader included) answered within the minimum election timeout, on this server's clock.</summary>
    private int HeardFrom()
    {
        var now = LocalNow;
        var heard = 0;
        foreach (var voter in _activeConfig.Voters)
            if (voter == Id || now - _lastAck[voter.Value] < _options.ElectionTimeoutMin) heard++;
        return heard;
    }
}
