using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Raft;

/// <summary>Log replication: AppendEntries, the consistency check, fast backtracking and commit (§5.3, §5.4.2).</summary>
internal sealed partial class RaftNode
{
    // Leader state by node number (slot 0 unused); meaningful only while leading.
    private readonly long[] _nextIndex;
    private readonly long[] _matchIndex;
    /// <summary>Peers with an AppendEntries out and no reply yet.</summary>
    private NodeSet _awaitingReply;

    public IReadOnlyDictionary<NodeId, long> NextIndex => LeaderIndexes(_nextIndex);
    public IReadOnlyDictionary<NodeId, long> MatchIndex => LeaderIndexes(_matchIndex);

    /// <summary>Set from the moment the leader state is initialised until the node steps down.</summary>
    private bool _leading;

    private IReadOnlyDictionary<NodeId, long> LeaderIndexes(long[] byNode) =>
        _leading ? _peers.ToDictionary(p => p, p => byNode[p.Value]) : NoIndexes;

    private static readonly IReadOnlyDictionary<NodeId, long> NoIndexes = new Dictionary<NodeId, long>();

    private void StartLeading()
    {
        foreach (var peer in _peers)
        {
            _nextIndex[peer.Value] = Log.LastIndex + 1;
            _matchIndex[peer.Value] = 0;
        }
        _awaitingReply.Clear();
        _leading = true;
        StartRounds();
        if (_options.ElectionNoOp) AppendLocal(KvCommand.NoOp, null, cause: new NoOpAppended(Term));
        BroadcastRound(HeartbeatPurpose.UponElection);
        _host.SetHeartbeatTimer(Id, _now + _options.HeartbeatInterval);
        MaybeCommit();
    }

    private void StepDownAsLeader(string reason)
    {
        _leading = false;
        _awaitingReply.Clear();
        _host.SetHeartbeatTimer(Id, null);
        _leaseUntil = null;
        EndTransfer(steppedDown: true, reason);
        FailPendingClients();
    }

    private LogEntry AppendLocal(KvCommand command, ClientSession? session, Configuration? config = null, Cause? cause = null)
    {
        var entry = new LogEntry(Log.LastIndex + 1, Term, command, session, config);
        Log.Append(entry);
        _host.Emit(new EntryAppended(_now, Id, entry, cause));
        return entry;
    }

    /// <summary>
    /// Sends <paramref name="peer"/> the entries from its nextIndex on (none: a heartbeat, whose
    /// <paramref name="heartbeat"/> round says why), or the snapshot when they were compacted away.
    /// <paramref name="why"/> overrides the cause the message carries (a retry after a refusal).
    /// </summary>
    private void SendAppend(NodeId peer, Cause? why = null, HeartbeatSent? heartbeat = null)
    {
        if (!_leading) return; // stepped down while handling the message that asked for this
        var next = _nextIndex[peer.Value];
        if (next <= Log.BaseIndex)
        {
            // The entries this follower needs next were compacted away: send the snapshot instead.
            _awaitingReply.Add(peer);
            _host.Send(new InstallSnapshot(Id, peer, Term, Durable.Snapshot!, _round));
            return;
        }
        var prev = next - 1;
        var entries = Log.Slice(next, _options.MaxEntriesPerAppend);
        _awaitingReply.Add(peer);
        var cause = why ?? (entries.Count > 0 ? new EntriesFromNextIndex(peer, next, Log.LastIndex, entries.Count) : heartbeat);
        _host.Send(new AppendEntries(Id, peer, Term, prev, Log.TermAt(prev), entries, CommitIndex, _round, cause));
    }

    /// <summary>Sends new entries to followers that are not already waiting on a reply; heartbeats cover the rest.</summary>
    private void ReplicateToIdlePeers()
    {
        foreach (var peer in _peers)
            if (!_awaitingReply.Contains(peer)) SendAppend(peer);
    }

    private void OnAppendEntries(AppendEntries m)
    {
        if (m.Term < Term)
        {
            _host.Send(new AppendEntriesReply(Id, m.From, Term, false, 0, 0, 0,
                $"{m.From}'s term {m.Term} is older than {Id}'s term {Term}", Cause: new AppendTermStale(m.From, m.Term, Term)));
            return;
        }
        if (m.Term > Term) ObserveTerm(m, $"{m.From} is leader of term {m.Term}");
        if (Role != NodeRole.Follower) BecomeFollower($"{m.From} is leader of term {m.Term}", new NewLeaderSeen(m.From, m.Term));
        LeaderId = m.From;
        _lastLeaderContact = _now;
        ResetElectionTimer();

        if (m.PrevLogIndex > Log.LastIndex)
        {
            _host.Send(new AppendEntriesReply(Id, m.From, Term, false, 0, 0, Log.LastIndex + 1,
                $"{Id} has no entry at index {m.PrevLogIndex} (its log ends at {Log.LastIndex})", m.Round,
                new AppendPrevMismatch(m.From, m.PrevLogIndex, m.PrevLogTerm, null, Log.LastIndex)));
            return;
        }
        var (prevIndex, entries) = (m.PrevLogIndex, m.Entries);
        if (prevIndex < Log.BaseIndex)
        {
            // Entries up to the base are in this server's snapshot: committed, so the leader's match them. Skip those.
            var covered = (int)Math.Min(entries.Count, Log.BaseIndex - prevIndex);
            (prevIndex, entries) = (prevIndex + covered, entries.Skip(covered).ToArray());
            if (prevIndex < Log.BaseIndex) prevIndex = Log.BaseIndex; // the whole message lies inside the snapshot
        }
        else
        {
            var localPrevTerm = Log.TermAt(prevIndex);
            if (localPrevTerm != m.PrevLogTerm)
            {
                _host.Send(new AppendEntriesReply(Id, m.From, Term, false, 0, localPrevTerm,
                    Log.FirstIndexOfTerm(localPrevTerm, prevIndex),
                    $"{Id}'s entry {prevIndex} has term {localPrevTerm}, the leader's has term {m.PrevLogTerm}", m.Round,
                    new AppendPrevMismatch(m.From, prevIndex, m.PrevLogTerm, localPrevTerm, Log.LastIndex)));
                return;
            }
        }

        if (AppendFromLeader(m.From, entries) is { } source) ConfigMaybeChanged($"{m.From}'s entries changed {Id}'s log", source, m.From);
        var lastNew = prevIndex + entries.Count;
        if (m.LeaderCommit > CommitIndex) AdvanceCommit(Math.Min(m.LeaderCommit, lastNew), new CommitFromLeader(m.From, m.LeaderCommit, lastNew, CommitIndex));
        _host.Send(new AppendEntriesReply(Id, m.From, Term, true, lastNew, 0, 0, null, m.Round, new AppendMatched(m.From, m.PrevLogIndex, m.PrevLogTerm, lastNew)));
    }

    /// <summary>
    /// Appends what is new; an existing entry with another term is cut off with all after it.
    /// Says how, when a configuration entry came or went (the caller then acts on the new
    /// configuration): it came with the entries, or the newest left is older than one cut off.
    /// </summary>
    private ConfigSource? AppendFromLeader(NodeId leader, IReadOnlyList<LogEntry> entries)
    {
        var configTouched = false;
        long? cutConfigFrom = null; // where entries holding a configuration were cut off
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Index <= Log.LastIndex)
            {
                if (Log.TermAt(entry.Index) == entry.Term) continue;
                var removed = Log.LastIndex - entry.Index + 1;
                var cause = new ConflictTruncated(leader, entry.Index, Log.TermAt(entry.Index), entry.Term);
                if (Log.LatestConfigIndex >= entry.Index) (configTouched, cutConfigFrom) = (true, entry.Index);
                Log.TruncateFrom(entry.Index);
                _host.Emit(new LogTruncated(_now, Id, entry.Index, removed, cause));
            }
            Log.Append(entry);
            configTouched |= entry.Config is not null;
            _host.Emit(new EntryAppended(_now, Id, entry));
        }
        if (!configTouched) return null;
        return Log.LatestConfigIndex < cutConfigFrom ? ConfigSource.EntriesCutOff : ConfigSource.LeaderEntries;
    }

    private void OnAppendEntriesReply(AppendEntriesReply m)
    {
        if (m.Term > Term)
        {
            ObserveTerm(m, $"{m.From} answered with the newer term {m.Term}");
            return;
        }
        if (Role != NodeRole.Leader || m.Term != Term || !_peerSet.Contains(m.From)) return;
        _awaitingReply.Remove(m.From);
        var from = m.From.Value;
        Acknowledged(m.From, m.Round);

        // Only a reply that moves matchIndex or nextIndex earns an immediate next AppendEntries. A
        // duplicated or stale reply does not: answering every copy would multiply the messages on
        // each round trip (exponentially under duplication). The heartbeat covers the rest.
        if (m.Success)
        {
            Matched(m.From, m.MatchIndex);
            return;
        }

        var next = m.ConflictIndex;
        if (!_options.FastBacktracking) next = _nextIndex[from] - 1; // Figure 2: one entry back per refusal
        else if (m.ConflictTerm > 0 && Log.LastIndexOfTerm(m.ConflictTerm) is > 0 and var lastOfTerm) next = lastOfTerm + 1;
        next = Math.Clamp(next, _matchIndex[from] + 1, Log.LastIndex + 1);
        if (next >= _nextIndex[from]) return;
        var backedOff = new NextIndexBackedOff(m.From, _nextIndex[from], next, _options.FastBacktracking, m.ConflictTerm, m.ConflictIndex);
        _nextIndex[from] = next;
        SendAppend(m.From, backedOff);
    }

    /// <summary>
    /// A follower holds everything up to <paramref name="index"/> (an AppendEntries or an
    /// InstallSnapshot succeeded): move its indexes, commit what a majority now holds, and send
    /// the next entries at once if it progressed.
    /// </summary>
    private void Matched(NodeId peer, long index)
    {
        var from = peer.Value;
        var progressed = index > _matchIndex[from];
        _matchIndex[from] = Math.Max(_matchIndex[from], index);
        _nextIndex[from] = Math.Max(_nextIndex[from], _matchIndex[from] + 1);
        MaybeCommit();
        if (progressed && _nextIndex[from] <= Log.LastIndex) SendAppend(peer);
        if (peer == _transferTarget) MaybeSendTimeoutNow();
        MaybePromoteLearner();
    }

    /// <summary>
    /// Figure 2's leader rule: commit the highest N that a majority holds, but only if entry N is
    /// from the current term (Figure 8); earlier entries then commit with it.
    /// </summary>
    private void MaybeCommit()
    {
        // The highest index a majority of voters holds is the Majority-th largest match index (a
        // leader that votes counts its own log; one that is removing itself does not count).
        var voters = _activeConfig.Voters;
        var matches = _matchScratch is { } scratch && scratch.Length == voters.Count ? scratch : _matchScratch = new long[voters.Count];
        for (var i = 0; i < voters.Count; i++) matches[i] = voters[i] == Id ? Log.LastIndex : _matchIndex[voters[i].Value];
        SortSmall(matches);
        var n = matches[matches.Length - Majority];
        if (n <= CommitIndex) return;
        // Only an entry of the current term commits by counting; earlier ones commit with it.
        if (Log.TermAt(n) != Term && !_options.Broken.HasFlag(BrokenRules.CommitPreviousTermByCounting)) return;
        AdvanceCommit(n, CommitCause(n));
    }

    private long[]? _matchScratch;

    /// <summary>The voters holding entry <paramref name="n"/> now (built only when a commit happens).</summary>
    private CommittedByMajority CommitCause(long n)
    {
        var holders = ServerSet.Of(_activeConfig.Voters.Where(v => (v == Id ? Log.LastIndex : _matchIndex[v.Value]) >= n));
        return new CommittedByMajority(n, Log.TermAt(n), Term, holders, Majority, CommitIndex);
    }

    /// <summary>Insertion sort: a cluster has at most 9 nodes, where this beats Array.Sort's setup.</summary>
    private static void SortSmall(long[] a)
    {
        for (var i = 1; i < a.Length; i++)
        {
            var v = a[i];
            var j = i - 1;
            while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
            a[j + 1] = v;
        }
    }

    private void AdvanceCommit(long index, Cause cause)
    {
        if (index <= CommitIndex) return;
        CommitIndex = index;
        _host.Emit(new CommitAdvanced(_now, Id, CommitIndex, cause));
        ApplyCommitted();
        DropOutgoingPeers();
        if (StepDownIfRemoved()) return;
        if (_leading)
        {
            OnLeaderCommitted();
            MaybePromoteLearner();
        }
    }

    private void ApplyCommitted()
    {
        while (LastApplied < CommitIndex)
        {
            LastApplied++;
            var entry = Log[LastApplied];
            var result = Kv.Apply(entry.Command, entry.Session);
            _host.Emit(new EntryApplied(_now, Id, entry, result, new AppliedCommitted(LastApplied, CommitIndex)));
            AnswerClientFor(entry, result);
        }
        MaybeSnapshot();
    }
}
