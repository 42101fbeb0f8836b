namespace RaftVisualizer.Core;

/// <summary>
/// Reads the event stream and checks Raft's safety properties after every event. It keeps a
/// shadow copy of each log built only from events, never from a node's private fields.
/// </summary>
public sealed class SafetyMonitor
{
    private readonly List<SafetyViolation> _violations = new();
    private readonly Dictionary<long, NodeId> _leaderOfTerm = new();
    private readonly Dictionary<NodeId, long> _term = new();
    private readonly Dictionary<(NodeId, long), NodeId> _vote = new();
    private readonly Dictionary<NodeId, List<LogEntry>> _logs = new();
    private readonly Dictionary<NodeId, long> _commit = new();
    private readonly Dictionary<NodeId, long> _applied = new();
    private readonly Dictionary<NodeId, NodeRole> _role = new();
    /// <summary>(index, term) → (command text, term of the entry before it): enough for Log Matching by induction.</summary>
    private readonly Dictionary<(long, long), (KvCommand Command, ClientSession? Session, long PrevTerm)> _entryShape = new();
    /// <summary>Index → term of the committed entry there, the highest commit seen anywhere.</summary>
    private readonly List<long> _committedTerms = new() { 0 };
    private readonly Dictionary<long, LogEntry> _appliedAt = new();
    private long _eventNumber;

    public SafetyMonitor(int nodeCount)
    {
        for (var i = 1; i <= nodeCount; i++)
        {
            _logs[i] = new List<LogEntry>();
            _term[i] = 0;
            _commit[i] = 0;
            _applied[i] = 0;
            _role[i] = NodeRole.Follower;
        }
    }

    public IReadOnlyList<SafetyViolation> Violations => _violations;
    public bool IsSafe => _violations.Count == 0;
    public SafetyViolation? FirstViolation => _violations.Count > 0 ? _violations[0] : null;
    /// <summary>Every property has held so far; the page's badge lists each one.</summary>
    public bool Holds(SafetyProperty p) => _violations.TrueForAll(v => v.Property != p);

    public void Observe(ClusterEvent e)
    {
        _eventNumber++;
        switch (e)
        {
            case TermChanged t: CheckTerm(t.Node, t.Term, t.Time); break;
            case RoleChanged r: OnRoleChanged(r); break;
            case VoteCast v: OnVote(v); break;
            case EntryAppended a: OnAppend(a); break;
            case LogTruncated t: OnTruncate(t); break;
            case CommitAdvanced c: OnCommit(c); break;
            case EntryApplied a: OnApply(a); break;
            case NodeRestarted r: OnRestart(r); break;
        }
    }

    private void Violate(SafetyProperty p, TimeSpan time, string what) => _violations.Add(new SafetyViolation(p, time, _eventNumber, what));

    private void CheckTerm(NodeId node, long term, TimeSpan time)
    {
        if (term < _term[node]) Violate(SafetyProperty.TermsNeverDecrease, time, $"{node}'s term went from {_term[node]} down to {term}.");
        _term[node] = Math.Max(_term[node], term);
    }

    private void OnRoleChanged(RoleChanged r)
    {
        CheckTerm(r.Node, r.Term, r.Time);
        _role[r.Node] = r.Role;
        if (r.Role != NodeRole.Leader) return;
        if (_leaderOfTerm.TryGetValue(r.Term, out var other) && other != r.Node)
            Violate(SafetyProperty.ElectionSafety, r.Time, $"{r.Node} became leader of term {r.Term}, but {other} was already leader of term {r.Term}.");
        _leaderOfTerm[r.Term] = r.Node;
        var log = _logs[r.Node];
        for (var i = 1; i < _committedTerms.Count; i++)
        {
            if (i <= log.Count && log[i - 1].Term == _committedTerms[i]) continue;
            Violate(SafetyProperty.LeaderCompleteness, r.Time,
                $"{r.Node} became leader of term {r.Term} without committed entry {i} (term {_committedTerms[i]}).");
            break;
        }
    }

    private void OnVote(VoteCast v)
    {
        if (_vote.TryGetValue((v.Voter, v.Term), out var earlier) && earlier != v.Candidate)
            Violate(SafetyProperty.OneVotePerTerm, v.Time, $"{v.Voter} voted for {earlier} and then for {v.Candidate} in term {v.Term}.");
        _vote[(v.Voter, v.Term)] = v.Candidate;
    }

    private void OnAppend(EntryAppended a)
    {
        var log = _logs[a.Node];
        var e = a.Entry;
        if (e.Index != log.Count + 1) return; // cannot happen: RaftLog enforces contiguity
        var prevTerm = e.Index > 1 ? log[^1].Term : 0;
        log.Add(e);
        var shape = (e.Command, e.Session, prevTerm);
        if (_entryShape.TryGetValue((e.Index, e.Term), out var known))
        {
            if (known != shape)
                Violate(SafetyProperty.LogMatching, a.Time,
                    $"{a.Node} has entry {e.Index} of term {e.Term} as \"{e.Command}\" after term {prevTerm}, but another log has \"{known.Command}\" after term {known.PrevTerm}.");
        }
        else _entryShape[(e.Index, e.Term)] = shape;
    }

    private void OnTruncate(LogTruncated t)
    {
        if (_role[t.Node] == NodeRole.Leader)
            Violate(SafetyProperty.LeaderAppendOnly, t.Time, $"Leader {t.Node} deleted entries from index {t.FromIndex}.");
        var log = _logs[t.Node];
        if (t.FromIndex <= _commit[t.Node])
            Violate(SafetyProperty.IndexOrder, t.Time, $"{t.Node} deleted entry {t.FromIndex} although it had committed up to {_commit[t.Node]}.");
        if (t.FromIndex <= log.Count) log.RemoveRange((int)t.FromIndex - 1, log.Count - (int)t.FromIndex + 1);
    }

    private void OnCommit(CommitAdvanced c)
    {
        var log = _logs[c.Node];
        if (c.CommitIndex < _commit[c.Node])
            Violate(SafetyProperty.IndexOrder, c.Time, $"{c.Node}'s commit index went back from {_commit[c.Node]} to {c.CommitIndex}.");
        if (c.CommitIndex > log.Count)
            Violate(SafetyProperty.IndexOrder, c.Time, $"{c.Node} committed up to {c.CommitIndex} but its log ends at {log.Count}.");
        var from = _commit[c.Node] + 1;
        _commit[c.Node] = c.CommitIndex;
        for (var i = from; i <= Math.Min(c.CommitIndex, log.Count); i++)
        {
            var term = log[(int)i - 1].Term;
            if (i < _committedTerms.Count)
            {
                if (_committedTerms[(int)i] != term)
                    Violate(SafetyProperty.StateMachineSafety, c.Time,
                        $"{c.Node} committed entry {i} of term {term}, but entry {i} of term {_committedTerms[(int)i]} was already committed.");
            }
            else _committedTerms.Add(term);
        }
    }

    private void OnApply(EntryApplied a)
    {
        var index = a.Entry.Index;
        if (index != _applied[a.Node] + 1)
            Violate(SafetyProperty.StateMachineSafety, a.Time, $"{a.Node} applied entry {index} right after entry {_applied[a.Node]}.");
        _applied[a.Node] = index;
        if (index > _commit[a.Node])
            Violate(SafetyProperty.IndexOrder, a.Time, $"{a.Node} applied entry {index} beyond its commit index {_commit[a.Node]}.");
        if (_appliedAt.TryGetValue(index, out var first))
        {
            if (first.Term != a.Entry.Term || first.Command != a.Entry.Command)
                Violate(SafetyProperty.StateMachineSafety, a.Time,
                    $"{a.Node} applied \"{a.Entry.Command}\" (term {a.Entry.Term}) at index {index}, where another server applied \"{first.Command}\" (term {first.Term}).");
        }
        else _appliedAt[index] = a.Entry;
    }

    private void OnRestart(NodeRestarted r)
    {
        _commit[r.Node] = 0;
        _applied[r.Node] = 0;
        _role[r.Node] = NodeRole.Follower;
        CheckTerm(r.Node, r.Term, r.Time);
    }
}
