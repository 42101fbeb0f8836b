using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Safety;

/// <summary>
/// Reads the event stream and checks Raft's safety properties after every event. It keeps a
/// shadow copy of each log built only from events, never from a node's private fields.
/// </summary>
public sealed partial class SafetyMonitor
{
    private readonly List<SafetyViolation> _violations = new();
    private readonly Dictionary<long, NodeId> _leaderOfTerm = new();
    private readonly Dictionary<(NodeId, long), NodeId> _vote = new();
    // Per-node shadow state, indexed by node number (slot 0 unused).
    private readonly long[] _term;
    /// <summary>Each server's log as the events tell it, compacted where the server compacted its own.</summary>
    private readonly RaftLog[] _logs;
    private readonly long[] _commit;
    private readonly long[] _applied;
    private readonly NodeRole[] _role;
    /// <summary>Index → shapes seen there, one per term: enough for Log Matching by induction.</summary>
    private readonly EntryShapes _shapes = new();
    /// <summary>Index → term of the committed entry there, the highest commit seen anywhere.</summary>
    private readonly IndexWindow<long> _committedTerms = new();
    /// <summary>Index → the first entry any server applied there.</summary>
    private readonly IndexWindow<LogEntry?> _appliedAt = new();
    private readonly Configuration _initialConfig;
    private long _eventNumber;

    /// <summary>
    /// Per-index facts are forgotten below the lowest snapshot of all servers, and in any case
    /// this far behind the newest commit, in batches of <see cref="ForgetBatch"/>: the monitor of a
    /// cluster that runs for weeks stays bounded.
    /// </summary>
    internal const long RememberedIndexes = 100_000;
    private const long ForgetBatch = 4096;
    private const int Slots = Configuration.MaxServers + 1;

    public SafetyMonitor(Configuration initial)
    {
        _initialConfig = initial;
        _term = new long[Slots];
        _commit = new long[Slots];
        _applied = new long[Slots];
        _role = new NodeRole[Slots];
        _committedTerms.Add(0);
        _appliedAt.Add(null);
        _logs = new RaftLog[Slots];
        for (var i = 1; i < Slots; i++)
        {
            _logs[i] = new RaftLog();
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
        _initialConfig = source._initialConfig;
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
            case SnapshotTaken t: OnSnapshotTaken(t); break;
            case SnapshotInstalled i: OnSnapshotInstalled(i); break;
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
        // Entries up to the base live in its snapshot, which holds only committed ones; the base itself is checked.
        for (var i = Math.Max(_committedTerms.First, Math.Max(1, log.BaseIndex)); i < _committedTerms.End; i++)
        {
            if (i <= log.LastIndex && log.TermAt(i) == _committedTerms[i]) continue;
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
        if (e.Index != log.LastIndex + 1) return; // cannot happen: RaftLog enforces contiguity
        var prevTerm = log.LastTerm;
        if (e.Config is { } next && _role[a.Node.Value] == NodeRole.Leader) CheckOneChange(a, log, next);
        log.Append(e);
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
        if (t.FromIndex <= log.BaseIndex)
            Violate(SafetyProperty.StateMachineSafety, t.Time, $"{t.Node} deleted entry {t.FromIndex}, which its snapshot (up to {log.BaseIndex}) holds.");
        else log.TruncateFrom(t.FromIndex);
    }

    private void OnCommit(CommitAdvanced c)
    {
        var log = _logs[c.Node.Value];
        if (c.CommitIndex < _commit[c.Node.Value])
            Violate(SafetyProperty.IndexOrder, c.Time, $"{c.Node}'s commit index went back from {_commit[c.Node.Value]} to {c.CommitIndex}.");
        if (c.CommitIndex > log.LastIndex)
            Violate(SafetyProperty.IndexOrder, c.Time, $"{c.Node} committed up to {c.CommitIndex} but its log ends at {log.LastIndex}.");
        var from = Math.Max(_commit[c.Node.Value] + 1, log.BaseIndex + 1);
        _commit[c.Node.Value] = c.CommitIndex;
        for (var i = from; i <= Math.Min(c.CommitIndex, log.LastIndex); i++) Committed(c.Node, i, log.TermAt(i), c.Time);
        Forget();
    }

    /// <summary>Records that <paramref name="node"/> holds entry <paramref name="index"/> of <paramref name="term"/> as committed.</summary>
    private void Committed(NodeId node, long index, long term, TimeSpan time)
    {
        if (index < _committedTerms.First) return; // forgotten: every server's snapshot covers it
        if (index < _committedTerms.End)
        {
            if (_committedTerms[index] != term)
                Violate(SafetyProperty.StateMachineSafety, time,
                    $"{node} committed entry {index} of term {term}, but entry {index} of term {_committedTerms[index]} was already committed.");
        }
        else if (index == _committedTerms.End) _committedTerms.Add(term);
    }

    private void OnApply(EntryApplied a)
    {
        var index = a.Entry.Index;
        if (index != _applied[a.Node.Value] + 1)
            Violate(SafetyProperty.StateMachineSafety, a.Time, $"{a.Node} applied entry {index} right after entry {_applied[a.Node.Value]}.");
        _applied[a.Node.Value] = index;
        if (index > _commit[a.Node.Value])
            Violate(SafetyProperty.IndexOrder, a.Time, $"{a.Node} applied entry {index} beyond its commit index {_commit[a.Node.Value]}.");
        if (index < _appliedAt.First) return;
        if (index < _appliedAt.End && _appliedAt[index] is { } first)
        {
            if (first.Term != a.Entry.Term || first.Command != a.Entry.Command)
                Violate(SafetyProperty.StateMachineSafety, a.Time,
                    $"{a.Node} applied \"{a.Entry.Command}\" (term {a.Entry.Term}) at index {index}, where another server applied \"{first.Command}\" (term {first.Term}).");
        }
        else
        {
            while (_appliedAt.End <= index) _appliedAt.Add(null);
            _appliedAt[index] = a.Entry;
        }
    }

    private void OnRestart(NodeRestarted r)
    {
        // A server restarts from its snapshot: committed and applied up to its base, nothing more.
        _commit[r.Node.Value] = _logs[r.Node.Value].BaseIndex;
        _applied[r.Node.Value] = _logs[r.Node.Value].BaseIndex;
        _role[r.Node.Value] = NodeRole.Follower;
        CheckTerm(r.Node, r.Term, r.Time);
    }

    private void OnSnapshotTaken(SnapshotTaken t)
    {
        var log = _logs[t.Node.Value];
        if (t.LastIndex > _applied[t.Node.Value])
            Violate(SafetyProperty.StateMachineSafety, t.Time, $"{t.Node} took a snapshot up to {t.LastIndex} but had applied only up to {_applied[t.Node.Value]}.");
        if (log.Holds(t.LastIndex)) log.CompactTo(t.LastIndex, log.ConfigAt(t.LastIndex) ?? _initialConfig);
        Forget();
    }

    /// <summary>State Machine Safety across InstallSnapshot: a snapshot holds only entries committed, with the same term, everywhere.</summary>
    private void OnSnapshotInstalled(SnapshotInstalled i)
    {
        var node = i.Node.Value;
        if (i.LastIndex >= _committedTerms.End)
            Violate(SafetyProperty.StateMachineSafety, i.Time,
                $"{i.Node} installed {i.From}'s snapshot up to {i.LastIndex}, but only entries up to {_committedTerms.End - 1} have committed anywhere.");
        else Committed(i.Node, i.LastIndex, i.LastTerm, i.Time);
        if (i.LastIndex < _commit[node])
            Violate(SafetyProperty.IndexOrder, i.Time, $"{i.Node} installed a snapshot up to {i.LastIndex} behind its commit index {_commit[node]}.");
        _logs[node].InstallSnapshot(new Snapshot(i.LastIndex, i.LastTerm, i.Config, KvState.Empty));
        _commit[node] = Math.Max(_commit[node], i.LastIndex);
        _applied[node] = Math.Max(_applied[node], i.LastIndex);
        Forget();
    }

    /// <summary>Thesis section 4.1: a leader appends a configuration only once the one before it has committed, and it differs by one voter at most.</summary>
    private void CheckOneChange(EntryAppended a, RaftLog log, Configuration next)
    {
        var previous = log.LatestConfig ?? _initialConfig;
        if (log.LatestConfigIndex > _commit[a.Node.Value])
            Violate(SafetyProperty.OneChangeAtATime, a.Time,
                $"Leader {a.Node} appended \"{next}\" at {a.Entry.Index} while \"{previous}\" at {log.LatestConfigIndex} had not committed.");
        if (previous.VoterDifference(next) > 1)
            Violate(SafetyProperty.OneChangeAtATime, a.Time,
                $"Leader {a.Node} went from \"{previous}\" to \"{next}\": more than one voter changed at once.");
    }

    /// <summary>Drops per-index facts every server's snapshot covers, or far behind the newest commit.</summary>
    private void Forget()
    {
        var floor = long.MaxValue;
        for (var n = 1; n < Slots; n++)
            if (_logs[n].LastIndex > 0 || _term[n] > 0) floor = Math.Min(floor, _logs[n].BaseIndex);
        if (floor == long.MaxValue) return;
        floor = Math.Max(floor, _committedTerms.End - RememberedIndexes);
        if (floor - _committedTerms.First < ForgetBatch) return;
        _committedTerms.ForgetBefore(floor);
        _appliedAt.ForgetBefore(floor);
        _shapes.ForgetBefore(floor);
    }
}
