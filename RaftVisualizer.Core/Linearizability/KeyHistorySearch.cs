namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Decides whether the history of one key is linearizable, with the Wing &amp; Gong search as
/// refined by Lowe: repeatedly linearize the first call entry whose operation is legal in the
/// current state (lifting it out of the entry list), backtrack when a return entry is reached
/// first, and skip configurations (linearized set, state) that were already explored.
/// The search runs in slices of steps so that several keys can be searched side by side.
/// </summary>
internal sealed class KeyHistorySearch
{
    private readonly KvRegisterModel _model;
    private readonly CallReturnList _list;
    private readonly LinearizedSetCache _cache;
    private readonly LinearizedSet _linearized;
    private readonly ulong[] _keyBuffer;
    private readonly int[] _stackOps;
    private readonly int[] _stackStates;
    private readonly KvHistoryOp[] _ops;
    private readonly Dictionary<string, CutState>? _ends;
    private int _depth;
    private int _closedLeft; // operations with a return time not yet linearized (counted when enumerating ends)
    private int _state = KvRegisterModel.EmptyState;
    private int _entry;
    private SearchOutcome? _outcome;

    public KeyHistorySearch(IReadOnlyList<KvHistoryOp> ops)
        : this(ops, enumerateEnds: false)
    {
    }

    private KeyHistorySearch(IReadOnlyList<KvHistoryOp> ops, bool enumerateEnds)
    {
        // Number operations in call order, open-ended ones last, so that linearized sets stay compact.
        _ops = [.. ops.OrderBy(op => op.Return is null).ThenBy(op => op.Call)];
        ops = _ops;
        int n = ops.Count;
        _ends = enumerateEnds ? new Dictionary<string, CutState>(StringComparer.Ordinal) : null;
        _closedLeft = _ops.Count(op => op.Return is not null);
        _model = new KvRegisterModel(ops);
        _list = new CallReturnList(ops);
        _cache = new LinearizedSetCache(n * 2);
        _linearized = new LinearizedSet(n);
        _keyBuffer = new ulong[_linearized.MaxKeyLength];
        _stackOps = new int[n];
        _stackStates = new int[n];
        _entry = _list.First;
    }

    /// <summary>
    /// The latest return time the search reached with every operation returning before it
    /// linearized: the history as seen just before it is linearizable, and once the search has
    /// failed, the history as seen at it is the earliest failing one.
    /// </summary>
    public long Frontier { get; private set; } = long.MinValue;

    /// <summary>Total steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Searches one key's history to the end, or until the deadline passes or the steps run out.</summary>
    public static SearchOutcome Run(IReadOnlyList<KvHistoryOp> ops, SearchDeadline deadline, long maxSteps = long.MaxValue)
    {
        const long slice = 4096;
        if (deadline.IsExpired)
        {
            return SearchOutcome.OutOfTime;
        }

        var search = new KeyHistorySearch(ops);
        for (long steps = 0; steps < maxSteps; steps += slice)
        {
            if (search.Advance(Math.Min(slice, maxSteps - steps)) is { } outcome)
            {
                return outcome;
            }

            if (deadline.IsExpired)
            {
                break;
            }
        }

        return SearchOutcome.OutOfTime;
    }

    /// <summary>
    /// Every way the history can end once each operation with a return time is linearized: the
    /// value the key then holds, with the open-ended operations (Return null) already linearized.
    /// Empty when the history is not linearizable; null when <paramref name="maxSteps"/> ran out.
    /// Deterministic: it counts steps, not time.
    /// </summary>
    public static IReadOnlyCollection<CutState>? EnumerateEnds(IReadOnlyList<KvHistoryOp> ops, long maxSteps)
    {
        var search = new KeyHistorySearch(ops, enumerateEnds: true);
        return search.Advance(maxSteps) is null ? null : search._ends!.Values;
    }

    /// <summary>Takes up to <paramref name="maxSteps"/> steps; returns the verdict once there is one.</summary>
    public SearchOutcome? Advance(long maxSteps)
    {
        if (_outcome.HasValue)
        {
            return _outcome;
        }

        for (long step = 0; step < maxSteps; step++)
        {
            if (_ends is not null && _closedLeft == 0)
            {
                // Every operation with a return time is linearized. Linearizing more open-ended ones
                // here would only give ends that the carried operations reproduce after the cut.
                RecordEnd();
                if (_depth == 0)
                {
                    return Finish(SearchOutcome.Linearizable, step);
                }

                Backtrack();
                continue;
            }

            if (_list.IsEmpty)
            {
                if (_ends is null)
                {
                    return Finish(SearchOutcome.Linearizable, step);
                }

                RecordEnd();
                if (_depth == 0)
                {
                    return Finish(SearchOutcome.Linearizable, step);
                }

                Backtrack();
                continue;
            }

            if (_list.IsCall(_entry))
            {
                TryLinearize(_list.OpOf(_entry));
                continue;
            }

            // The walk only ever passes call entries, so this return entry is the earliest one
            // left: every operation returning before it is linearized.
            Frontier = Math.Max(Frontier, _list.ReturnTimeOf(_entry));
            if (_ends is not null && _list.ReturnTimeOf(_entry) == long.MaxValue)
            {
                RecordEnd(); // only open-ended operations are left: one way the history can end
            }

            if (_depth == 0)
            {
                return Finish(_ends is { Count: > 0 } ? SearchOutcome.Linearizable : SearchOutcome.NotLinearizable, step);
            }

            Backtrack();
        }

        Steps += maxSteps;
        return null;
    }

    private void TryLinearize(int op)
    {
        if (_model.TryStep(_state, op, out int next))
        {
            _linearized.Add(op);
            int keyLength = _linearized.WriteKey(_keyBuffer);
            if (_cache.TryAdd(_keyBuffer.AsSpan(0, keyLength), _linearized.Hash, next))
            {
                _stackOps[_depth] = op;
                _stackStates[_depth] = _state;
                _depth++;
                if (_ops[op].Return is not null)
                {
                    _closedLeft--;
                }
                _state = next;
                _list.Lift(op);
                _entry = _list.First;
                return;
            }

            _linearized.Remove(op);
        }

        _entry = _list.Next(_entry);
    }

    private void Backtrack()
    {
        _depth--;
        int op = _stackOps[_depth];
        if (_ops[op].Return is not null)
        {
            _closedLeft++;
        }

        _state = _stackStates[_depth];
        _linearized.Remove(op);
        _list.Unlift(op);
        _entry = _list.Next(_list.CallEntryOf(op));
    }

    private void RecordEnd()
    {
        var applied = new List<int>();
        for (int i = 0; i < _depth; i++)
        {
            if (_ops[_stackOps[i]].Return is null)
            {
                applied.Add(_ops[_stackOps[i]].Id);
            }
        }

        applied.Sort();
        string value = _model.Text(_state);
        string key = value + "\u0000" + string.Join(',', applied);
        _ends!.TryAdd(key, new CutState(value, [.. applied]));
    }

    private SearchOutcome Finish(SearchOutcome outcome, long steps)
    {
        Steps += steps;
        _outcome = outcome;
        return outcome;
    }
}
