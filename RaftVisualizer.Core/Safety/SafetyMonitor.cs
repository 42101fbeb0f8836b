using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// Reads the event stream and checks Raft's safety properties after every event. It keeps a
/// shadow copy of each log built only from events, never from a node's private fields.
/// </summary>
public sealed class SafetyMonitor
{
    private readonly List<SafetyViolation> _violations = new();
    private readonly Dictionary<long, NodeId> _leaderOfTerm = new();
    private readonly Dictionary<(NodeId, long), NodeId> _vote = new();
    // Per-node shadow state, indexed by node number (slot 0 unused).
    private readonly long[] _term;
    private readonly ChunkedList<LogEntry>[] _logs;
    private readonly long[] _commit;
    private readonly long[] _applied;
    private readonly NodeRole[] _role;
    /// <summary>Index → shapes seen there, one per term: enough for Log Matching by induction.</summary>
    private readonly EntryShapes _shapes = new();
    /// <summary>Index → term of the committed entry there, the highest commit seen anywhere.</summary>
    private readonly ChunkedList<long> _committedTerms = new();
    /// <summary>Index → the first entry any server applied there.</summary>
    private readonly ChunkedList<LogEntry?> _appliedAt = new();
    private long _eventNumber;

    public SafetyMonitor(int nodeCount)
    {
        _term = new long[nodeCount + 1];
        _commit = new long[nodeCount + 1];
        _applied = new long[nodeCount + 1];
        _role = new NodeRole[nodeCount + 1];
        _committedTerms.Add(0);
        _appliedAt.Add(null);
        _logs = new ChunkedList<LogEntry>[nodeCount + 1];
        for (var i = 1; i <= nodeCount; i++)
        {
            _logs[i] = new ChunkedList<LogEntry>();
            _role[i] = NodeRole.Follower;
        }
    }

    private SafetyMonitor(SafetyMonitor source)
    {
        _violations = new List<SafetyViolation>(source._violations);
        _leaderOfTerm = new Dictionary<long, NodeId>(source._leaderOfTerm);
        _vote = new Dictionary<(NodeId, long), NodeId>(source._vote);
        _term = (long[])source._term.Clone();
        _logs = source._logs.Select(l => l?.Clone()!).ToArray();
        _commit = (long[])source._commit.Clone();
        _applied = (long[])source._applied.Clone();
        _role = (NodeRole[])source._role.Clone();
        _shapes = source._shapes.Clone();
        _committedTerms = source._committedTerms.Clone();
        _appliedAt = source._appliedAt.Clone();
        _eventNumber = source._eventNumber;
    }

    /// <summary>An independent copy of everything the monitor has seen (violations and entries are immutable, so shared; the long lists share chunks until written).</summary>
    internal SafetyMonitor Clone() => new(this);

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
        if (term < _term[node.Value]) Violate(SafetyProperty.TermsNeverDecrease, time, $"{node}'s term went from {_term[node.Value]} down to {term}.");
        _term[node.Value] = Math.Max(_term[node.Value], term);
    }

    private void OnRoleChanged(RoleChanged r)
    {
        CheckTerm(r.Node, r.Term, r.Time);
        _role[r.Node.Value] = r.Role;
        if (r.Role != NodeRole.Leader) return;
        if (_leaderOfTerm.TryGetValue(r.Term, out var other) && other != r.Node)
            Violate(SafetyProperty.ElectionSafety, r.Time, $"{r.Node} became leader of term {r.Term}, but {other} was already leader of term {r.Term}.");
        _leaderOfTerm[r.Term] = r.Node;
        var log = _logs[r.Node.Value];
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
        var log = _logs[a.Node.Value];
        var e = a.Entry;
        if (e.Index != log.Count + 1) return; // cannot happen: RaftLog enforces contiguity
        var prevTerm = e.Index > 1 ? log[^1].Term : 0;
        log.Add(e);
        var shape = new EntryShape(e, prevTerm);
        if (_shapes.Find(e.Index, e.Term) is { } known)
        {
            if (!known.SameAs(shape))
                Violate(SafetyProperty.LogMatching, a.Time,
                    $"{a.Node} has entry {e.Index} of term {e.Term} as \"{e.Command}\" after term {prevTerm}, but another log has \"{known.Command}\" after term {known.PrevTerm}.");
        }
        else _shapes.Add(e.Index, shape);
    }

    private void OnTruncate(LogTruncated t)
    {
        if (_role[t.Node.Value] == NodeRole.Leader)
            Violate(SafetyProperty.LeaderAppendOnly, t.Time, $"Leader {t.Node} deleted entries from index {t.FromIndex}.");
        var log = _logs[t.Node.Value];
        if (t.FromIndex <= _commit[t.Node.Value])
            Violate(SafetyProperty.IndexOrder, t.Time, $"{t.Node} deleted entry {t.FromIndex} although it had committed up to {_commit[t.Node.Value]}.");
        if (t.FromIndex <= log.Count) log.RemoveFrom((int)t.FromIndex - 1);
    }

    private void OnCommit(CommitAdvanced c)
    {
        var log = _logs[c.Node.Value];
        if (c.CommitIndex < _commit[c.Node.Value])
            Violate(SafetyProperty.IndexOrder, c.Time, $"{c.Node}'s commit index went back from {_commit[c.Node.Value]} to {c.CommitIndex}.");
        if (c.CommitIndex > log.Count)
            Violate(SafetyProperty.IndexOrder, c.Time, $"{c.Node} committed up to {c.CommitIndex} but its log ends at {log.Count}.");
        var from = _commit[c.Node.Value] + 1;
        _commit[c.Node.Value] = c.CommitIndex;
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
        if (index != _applied[a.Node.Value] + 1)
            Violate(SafetyProperty.StateMachineSafety, a.Time, $"{a.Node} applied entry {index} right after entry {_applied[a.Node.Value]}.");
        _applied[a.Node.Value] = index;
        if (index > _commit[a.Node.Value])
            Violate(SafetyProperty.IndexOrder, a.Time, $"{a.Node} applied entry {index} beyond its commit index {_commit[a.Node.Value]}.");
        if (index < _appliedAt.Count && _appliedAt[(int)index] is { } first)
        {
            if (first.Term != a.Entry.Term || first.Command != a.Entry.Command)
                Violate(SafetyProperty.StateMachineSafety, a.Time,
                    $"{a.Node} applied \"{a.Entry.Command}\" (term {a.Entry.Term}) at index {index}, where another server applied \"{first.Command}\" (term {first.Term}).");
        }
        else
        {
            while (_appliedAt.Count <= index) _appliedAt.Add(null);
            _appliedAt[(int)index] = a.Entry;
        }
    }

    private void OnRestart(NodeRestarted r)
    {
        _commit[r.Node.Value] = 0;
        _applied[r.Node.Value] = 0;
        _role[r.Node.Value] = NodeRole.Follower;
        CheckTerm(r.Node, r.Term, r.Time);
    }
}
