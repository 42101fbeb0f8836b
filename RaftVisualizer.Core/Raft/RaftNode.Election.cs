using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Raft;

/// <summary>Elections: timeouts, pre-vote, RequestVote and its reply, winning (§5.2, §5.4.1).</summary>
internal sealed partial class RaftNode
{
    private readonly HashSet<NodeId> _votes = new();
    private TimeSpan? _lastLeaderContact;

    public IReadOnlyCollection<NodeId> VotesReceived => _votes;

    private void BecomePreCandidate(string reason, Cause cause)
    {
        Role = NodeRole.PreCandidate;
        LeaderId = null;
        _votes.Clear();
        if (IsVoter) _votes.Add(Id); // a server its newest configuration removed still campaigns, but its vote does not count
        _host.Emit(new RoleChanged(_now, Id, Role, Term, reason, cause));
        ResetElectionTimer();
        if (_votes.Count >= Majority) { BecomeCandidate("it won its pre-vote", PreVoteWinner()); return; }
        foreach (var peer in _activeConfig.Voters)
            if (peer != Id) _host.Send(new RequestVote(Id, peer, Term + 1, Log.LastIndex, Log.LastTerm, PreVote: true));
    }

    private void BecomeCandidate(string reason, Cause cause, bool transfer = false)
    {
        Durable.CurrentTerm = Term + 1;
        Durable.VotedFor = Id;
        Role = NodeRole.Candidate;
        LeaderId = null;
        _votes.Clear();
        if (IsVoter) _votes.Add(Id);
        _host.Emit(new TermChanged(_now, Id, Term, reason, cause));
        _host.Emit(new RoleChanged(_now, Id, Role, Term, reason, cause));
        _host.Emit(new VoteCast(_now, Id, Id, Term));
        ResetElectionTimer();
        if (_votes.Count >= Majority) { BecomeLeader(); return; }
        foreach (var peer in _activeConfig.Voters)
            if (peer != Id) _host.Send(new RequestVote(Id, peer, Term, Log.LastIndex, Log.LastTerm, Transfer: transfer));
    }

    private void OnRequestVote(RequestVote m)
    {
        if (m.PreVote) { OnPreVote(m); return; }
        if (_options.GuardsVotes && m.Term > Term && !m.Transfer && HeardFromLeaderRecently())
        {
            _host.Send(new RequestVoteReply(Id, m.From, Term, false, false, $"{GuardReason()}, so it ignores {m.From}'s request for term {m.Term}",
                Guarded(m, notAVoter: false)));
            return;
        }
        if (!_activeConfig.IsVoter(m.From) && m.Term > Term && !m.Transfer && HeardFromLeaderRecently())
        {
            // A server removed from the configuration hears no heartbeats and times out: it must not depose anyone (thesis 4.2.3).
            _host.Send(new RequestVoteReply(Id, m.From, Term, false, false,
                $"{m.From} is not a voter in {Id}'s configuration and {GuardReason()}, so {Id} ignores its request for term {m.Term}",
                Guarded(m, notAVoter: true)));
            return;
        }
        ObserveTerm(m, $"{m.From} asked for votes in term {m.Term}");

        string? refusal = null;
        var (theirs, ours) = (new LogEnd(m.LastLogTerm, m.LastLogIndex), new LogEnd(Log.LastTerm, Log.LastIndex));
        Cause cause = new VoteGiven(m.From, Term, theirs, ours);
        if (m.Term < Term)
        {
            refusal = $"{m.From}'s term {m.Term} is older than {Id}'s term {Term}";
            cause = new VoteTermStale(m.From, m.Term, Term);
        }
        else if (VotedFor is { } votedFor && votedFor != m.From)
        {
            refusal = $"{Id} already voted for {votedFor} in term {Term}";
            cause = new VoteAlreadyCast(m.From, Term, votedFor);
        }
        else if (!_options.Broken.HasFlag(BrokenRules.VoteWithoutUpToDateCheck) && !Log.IsBehind(m.LastLogTerm, m.LastLogIndex))
        {
            refusal = $"{m.From}'s log (last term {m.LastLogTerm}, index {m.LastLogIndex}) is behind {Id}'s (last term {Log.LastTerm}, index {Log.LastIndex})";
            cause = new VoteLogBehind(m.From, Term, theirs, ours);
        }

        if (refusal is null)
        {
            if (VotedFor is null)
            {
                Durable.VotedFor = m.From;
                _host.Emit(new VoteCast(_now, Id, m.From, Term));
            }
            ResetElectionTimer();
        }
        _host.Send(new RequestVoteReply(Id, m.From, Term, refusal is null, false, refusal ?? $"{Id} votes for {m.From} in term {Term}", cause));
    }

    /// <summary>A pre-vote changes nothing here: it only says whether this node would vote.</summary>
    private void OnPreVote(RequestVote m)
    {
        string? refusal = null;
        var why = PreVoteRefusal.None;
        if (m.Term <= Term)
            (refusal, why) = ($"{m.From}'s proposed term {m.Term} is not newer than {Id}'s term {Term}", PreVoteRefusal.TermNotNewer);
        else if (LeaderId is not null && _lastLeaderContact is { } heard && LocalNow - Local(heard) < _options.ElectionTimeoutMin)
            (refusal, why) = ($"{Id} heard from leader {LeaderId} recently", PreVoteRefusal.HeardFromLeader);
        else if (Role == NodeRole.Leader && (_options.CheckQuorum || _options.GuardsVotes))
            (refusal, why) = ($"{Id} leads term {Term} and still hears from a majority", PreVoteRefusal.LeaderStillLeads);
        else if (!Log.IsBehind(m.LastLogTerm, m.LastLogIndex))
            (refusal, why) = ($"{m.From}'s log is behind {Id}'s", PreVoteRefusal.LogBehind);
        var granted = refusal is null;
        var cause = new PreVoteDecided(m.From, m.Term, Term, why, LeaderId,
            new LogEnd(m.LastLogTerm, m.LastLogIndex), new LogEnd(Log.LastTerm, Log.LastIndex));
        _host.Send(new RequestVoteReply(Id, m.From, granted ? m.Term : Term, granted, true,
            refusal ?? $"{Id} would vote for {m.From} in term {m.Term}", cause));
    }

    private void OnRequestVoteReply(RequestVoteReply m)
    {
        if (!m.Granted && m.Term > Term)
        {
            ObserveTerm(m, $"{m.From} answered with the newer term {m.Term}");
            return;
        }
        if (m.PreVote)
        {
            if (Role != NodeRole.PreCandidate || !m.Granted || m.Term != Term + 1 || !_activeConfig.IsVoter(m.From)) return;
            _votes.Add(m.From);
            if (_votes.Count >= Majority) BecomeCandidate("it won its pre-vote", PreVoteWinner());
            return;
        }
        if (Role != NodeRole.Candidate || m.Term != Term || !m.Granted || !_activeConfig.IsVoter(m.From)) return;
        _votes.Add(m.From);
        if (_votes.Count >= Majority) BecomeLeader();
    }

    private void BecomeLeader()
    {
        Role = NodeRole.Leader;
        LeaderId = Id;
        var voters = ServerSet.Of(_votes);
        _host.Emit(new RoleChanged(_now, Id, Role, Term, $"it won votes from a majority ({string.Join(", ", voters)})",
            new ElectionWon(Term, voters, Majority)));
        StopElectionTimer();
        StartLeading();
    }

    private PreVoteWon PreVoteWinner() => new(Term + 1, ServerSet.Of(_votes), Majority);

    /// <summary>Why the vote guard holds now, as data (see <see cref="GuardReason()"/> for the words).</summary>
    private VoteGuarded Guarded(RequestVote m, bool notAVoter)
    {
        var why = Role == NodeRole.Leader ? VoteGuardReason.Leads
            : LeaderId is not null && _lastLeaderContact is { } heard && LocalNow - Local(heard) < _options.ElectionTimeoutMin ? VoteGuardReason.HeardFromLeader
            : VoteGuardReason.JustStarted;
        return new VoteGuarded(m.From, m.Term, Term, why, LeaderId, notAVoter);
    }
}
