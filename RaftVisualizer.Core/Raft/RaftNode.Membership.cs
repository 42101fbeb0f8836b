using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// Membership changes one server at a time (Ongaro's thesis, chapter 4): a configuration takes
/// effect as soon as it is in the log; the leader proposes one only after an entry of its own
/// term has committed and while no other change is uncommitted; a learner is promoted to voter
/// once it has caught up; a leader that removed itself steps down once that entry commits.
/// </summary>
internal sealed partial class RaftNode
{
    /// <summary>
    /// Whom the leader replicates to: the configuration's members and, while a change is
    /// uncommitted, the servers it removes, so they receive the entry that removes them and stop
    /// standing for election (they are never counted in a majority).
    /// </summary>
    private void SetPeers(Configuration config)
    {
        var members = config.Members;
        _peersIncludeOutgoing = ChangePending;
        if (_peersIncludeOutgoing) members = members.Union((Log.ConfigAt(Log.LatestConfigIndex - 1) ?? _initialConfig).Members).Order();
        _peers = members.Where(n => n != Id).ToArray();
        _peerSet.Clear();
        foreach (var peer in _peers) _peerSet.Add(peer);
    }

    /// <summary>Set while <see cref="_peers"/> holds servers an uncommitted change removes.</summary>
    private bool _peersIncludeOutgoing;

    /// <summary>
    /// Once the change commits, a leader tells the servers it removed one last time (so they learn
    /// the change committed and stop standing for election), then sends them nothing more.
    /// </summary>
    private void DropOutgoingPeers()
    {
        if (!_peersIncludeOutgoing || ChangePending) return;
        if (_leading)
            foreach (var peer in _peers)
                if (!_activeConfig.Contains(peer)) SendAppend(peer);
        SetPeers(_activeConfig);
    }

    /// <summary>
    /// Whether a change to the configuration is still uncommitted in this server's log: the newest
    /// configuration entry lies beyond the commit index.
    /// </summary>
    public bool ChangePending => Log.LatestConfigIndex > CommitIndex;

    /// <summary>
    /// Called after the log changed in a way that can change the configuration (a configuration
    /// entry appended, entries cut off, a snapshot installed): acts on the new one at once.
    /// </summary>
    private void ConfigMaybeChanged(string reason, ConfigSource source, NodeId? from = null, long matched = 0)
    {
        var config = Config;
        if (config.Equals(_activeConfig)) { _activeConfig = config; return; }
        var before = _peerSet;
        _activeConfig = config;
        SetPeers(config);
        _host.Emit(new ConfigurationChanged(_now, Id, config, Log.LatestConfigIndex, reason, new ConfigAdopted(Log.LatestConfigIndex, source, from, matched)));
        if (_leading)
        {
            var now = LocalNow;
            foreach (var peer in _peers)
            {
                if (before.Contains(peer)) continue;
                _nextIndex[peer.Value] = Log.LastIndex + 1;
                _matchIndex[peer.Value] = 0;
                _ackedRound[peer.Value] = 0;
                _lastAck[peer.Value] = now; // like a new leader's peers: a whole election timeout to answer
                _awaitingReply.Remove(peer);
            }
        }
        if (Role != NodeRole.Leader && MayCampaign != (ElectionDeadline is not null))
        {
            if (MayCampaign) ResetElectionTimer();
            else StopElectionTimer();
        }
    }

    /// <summary>
    /// Proposes <paramref name="next"/> as the new configuration. Null when the entry was appended;
    /// otherwise why this leader cannot propose it now.
    /// </summary>
    public string? ProposeChange(Configuration next, TimeSpan now)
    {
        _now = now;
        if (Role != NodeRole.Leader) return $"{Id} is not the leader.";
        if (_transferTarget is { } target) return $"{Id} is handing leadership to {target}; change the configuration after that.";
        if (!CommittedInTerm)
            return $"{Id} has not yet committed an entry of its term {Term}: a new leader changes the configuration only after that (thesis section 4.1). Try again in a moment.";
        if (ChangePending)
            return $"The change to \"{Config}\" at index {Log.LatestConfigIndex} has not committed yet: one change at a time.";
        AppendConfig(next, "the leader proposed it", ConfigSource.Proposed);
        return null;
    }

    private void AppendConfig(Configuration next, string reason, ConfigSource source, NodeId? learner = null, long matched = 0)
    {
        AppendLocal(KvCommand.NoOp, null, next);
        ConfigMaybeChanged(reason, source, learner, matched);
        ReplicateToIdlePeers();
        MaybeCommit();
    }

    /// <summary>
    /// The leader promotes the first learner that holds everything committed, once no change is
    /// pending: a caught-up learner cannot slow the cluster's commits down when it starts to count.
    /// </summary>
    private void MaybePromoteLearner()
    {
        if (!_leading || _activeConfig.Learners.Count == 0 || ChangePending || !CommittedInTerm || _transferTarget is not null) return;
        foreach (var learner in _activeConfig.Learners)
        {
            if (_matchIndex[learner.Value] < CommitIndex) continue;
            AppendConfig(_activeConfig.Promote(learner), $"{learner} caught up with the leader (it holds entry {_matchIndex[learner.Value]})",
                ConfigSource.LearnerCaughtUp, learner, _matchIndex[learner.Value]);
            return;
        }
    }

    /// <summary>A leader that is no longer a voter steps down once the configuration without it has committed.</summary>
    private bool StepDownIfRemoved()
    {
        if (!_leading || IsVoter || ChangePending) return false;
        BecomeFollower($"the configuration without {Id} (entry {Log.LatestConfigIndex}) has committed", new RemovedFromConfig(Log.LatestConfigIndex));
        return true;
    }
}
