using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// Log compaction (paper section 7): past <see cref="ClusterOptions.SnapshotThreshold"/> applied
/// entries, a server snapshots its state machine and drops those entries; a follower whose next
/// entry is gone from the leader's log gets the snapshot through InstallSnapshot.
/// </summary>
internal sealed partial class RaftNode
{
    private void MaybeSnapshot()
    {
        if (_options.SnapshotThreshold <= 0 || LastApplied - Log.BaseIndex < _options.SnapshotThreshold) return;
        var config = Log.ConfigAt(LastApplied) ?? _initialConfig;
        var snapshot = new Snapshot(LastApplied, Log.TermAt(LastApplied), config, Kv.Capture());
        var dropped = LastApplied - Log.BaseIndex;
        Log.CompactTo(LastApplied, config);
        Durable.Snapshot = snapshot;
        _host.Emit(new SnapshotTaken(_now, Id, snapshot.LastIndex, snapshot.LastTerm, dropped));
    }

    private void OnInstallSnapshot(InstallSnapshot m)
    {
        if (m.Term < Term)
        {
            _host.Send(new InstallSnapshotReply(Id, m.From, Term, 0, m.Round));
            return;
        }
        if (m.Term > Term) ObserveTerm(m, $"{m.From} is leader of term {m.Term}");
        if (Role != NodeRole.Follower) BecomeFollower($"{m.From} is leader of term {m.Term}", new NewLeaderSeen(m.From, m.Term));
        LeaderId = m.From;
        _lastLeaderContact = _now;
        ResetElectionTimer();

        var snapshot = m.Snapshot;
        if (snapshot.LastIndex > CommitIndex) // otherwise this server already holds everything the snapshot does
        {
            var discarded = Log.InstallSnapshot(snapshot);
            Durable.Snapshot = snapshot;
            Kv.Restore(snapshot.State);
            CommitIndex = LastApplied = snapshot.LastIndex;
            _host.Emit(new SnapshotInstalled(_now, Id, m.From, snapshot.LastIndex, snapshot.LastTerm, snapshot.Config, discarded));
            ConfigMaybeChanged($"{Id} installed {m.From}'s snapshot", ConfigSource.Snapshot, m.From);
            ResetElectionTimer(); // it may have become a voter with the snapshot's configuration
        }
        _host.Send(new InstallSnapshotReply(Id, m.From, Term, snapshot.LastIndex, m.Round));
    }

    private void OnInstallSnapshotReply(InstallSnapshotReply m)
    {
        if (m.Term > Term)
        {
            ObserveTerm(m, $"{m.From} answered with the newer term {m.Term}");
            return;
        }
        if (Role != NodeRole.Leader || m.Term != Term || !_peerSet.Contains(m.From)) return;
        _awaitingReply.Remove(m.From);
        Acknowledged(m.From, m.Round);
        Matched(m.From, m.LastIndex);
    }
}
