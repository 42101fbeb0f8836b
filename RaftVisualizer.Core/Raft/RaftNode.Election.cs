namespace RaftVisualizer.Core;

/// <summary>Elections: timeouts, pre-vote, RequestVote and its reply, winning (§5.2, §5.4.1).</summary>
internal sealed partial class RaftNode
{
    private readonly HashSet<NodeId> _votes = new();
    private TimeSpan? _lastLeaderContact;

    public IReadOnlyCollection<NodeId> VotesReceived => _votes;

    private void BecomePreCandidate(string reason)
    {
        Role = NodeRole.PreCandidate;
        LeaderId = null;
        _votes.Clear();
        if (IsVoter) _votes.Add(Id); // a server its newest configuration removed still campaigns, but its vote does not count
        _host.Emit(new RoleChanged(_now, Id, Role, Term, reason));
        ResetElectionTimer();
        if (_votes.Count >= Majority) { BecomeCandidate("it won its pre-vote"); return; }
        foreach (var peer in _activeConfig.Voters)
            if (peer != Id) _host.Send(new RequestVote(Id, peer, Term + 1, Log.LastIndex, Log.LastTerm, PreVote: true));
    }

    private void BecomeCandidate(string reason, bool transfer = false)
    {
        Durable.CurrentTerm = Term + 1;
        Durable.VotedFor = Id;
        Role = NodeRole.Candidate;
        LeaderId = null;
        _votes.Clear();
        if (IsVoter) _votes.Add(Id);
        _host.Emit(new TermChanged(_now, Id, Term, reason));
        _host.Emit(new RoleChanged(_now, Id, Role, Term, reason));
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
            _host.Send(new RequestVoteReply(Id, m.From, Term, false, false, $"{GuardReason()}, so it ignores {m.From}'s request for term {m.Term}"));
            return;
        }
        if (!_activeConfig.IsVoter(m.From) && m.Term > Term && !m.Transfer && HeardFromLeaderRecently())
        {
            // A server removed from the configuration hears no heartbeats and times out: it must not depose anyone (thesis 4.2.3).
            _host.Send(new RequestVoteReply(Id, m.From, Term, false, false,
                $"{m.From} is not a voter in {Id}'s configuration and {GuardReason()}, so {Id} ignores its request for term {m.Term}"));
            return;
        }
        ObserveTerm(m.Term, $"{m.From} asked for votes in term {m.Term}");

        string? refusal = null;
        if (m.Term < Term)
            refusal = $"{m.From}'s term {m.Term} is older than {Id}'s term {Term}";
        else if (VotedFor is { } votedFor && votedFor != m.From)
            refusal = $"{Id} already voted for {votedFor} in term {Term}";
        else if (!_options.Broken.HasFlag(BrokenRules.VoteWithoutUpToDateCheck) && !Log.IsBehind(m.LastLogTerm, m.LastLogIndex))
            refusal = $"{m.From}'s log (last term {m.LastLogTerm}, index {m.LastLogIndex}) is behind {Id}'s (last term {Log.LastTerm}, index {Log.LastIndex})";

        if (refusal is null)
        {
            if (VotedFor is null)
            {
                Durable.VotedFor = m.From;
                _host.Emit(new VoteCast(_now, Id, m.From, Term));
            }
            ResetElectionTimer();
        }
        _host.Send(new RequestVoteReply(Id, m.From, Term, refusal is null, false, refusal ?? $"{Id} votes for {m.From} in term {Term}"));
    }

    /// <summary>A pre-vote changes nothing here: it only says whether this node would vote.</summary>
    private void OnPreVote(RequestVote m)
    {
        string? refusal = null;
        if (m.Term <= Term)
            refusal = $"{m.From}'s proposed term {m.Term} is not newer than {Id}'s term {Term}";
        else if (LeaderId is not null && _lastLeaderContact is { } heard && LocalNow - Local(heard) < _options.ElectionTimeoutMin)
            refusal = $"{Id} heard from leader {LeaderId} recently";
        else if (Role == NodeRole.Leader && (_options.CheckQuorum || _options.GuardsVotes))
            refusal = $"{Id} leads term {Term} and still hears from a majority";
        else if (!Log.IsBehind(m.LastLogTerm, m.LastLogIndex))
            refusal = $"{m.From}'s log is behind {Id}'s";
        var granted = refusal is null;
        _host.Send(new RequestVoteReply(Id, m.From, granted ? m.Term : Term, granted, true,
            refusal ?? $"{Id} would vote for {m.From} in term {m.Term}"));
    }

    private void OnRequestVoteReply(RequestVoteReply m)
    {
        if (!m.Granted && m.Term > Term)
        {
            ObserveTerm(m.Term, $"{m.From} answered with the newer term {m.Term}");
            return;
        }
        if (m.PreVote)
        {
            if (Role != NodeRole.PreCandidate || !m.Granted || m.Term != Term + 1 || !_activeConfig.IsVoter(m.From)) return;
            _votes.Add(m.From);
            if (_votes.Count >= Majority) BecomeCandidate("it won its pre-vote");
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
        _host.Emit(new RoleChanged(_now, Id, Role, Term, $"it won votes from a majority ({string.Join(", ", _votes.OrderBy(v => v))})"));
        StopElectionTimer();
        StartLeading();
    }
}
