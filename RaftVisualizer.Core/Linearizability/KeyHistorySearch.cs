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
    private int _depth;
    private int _state = KvRegisterModel.EmptyState;
    private int _entry;
    private SearchOutcome? _outcome;

    public KeyHistorySearch(IReadOnlyList<KvHistoryOp> ops)
    {
        // Number operations in call order, open-ended ones last, so that linearized sets stay compact.
        ops = ops.OrderBy(op => op.Return is null).ThenBy(op => op.Call).ToList();
        int n = ops.Count;
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

    /// <summary>Takes up to <paramref name="maxSteps"/> steps; returns the verdict once there is one.</summary>
    public SearchOutcome? Advance(long maxSteps)
    {
        if (_outcome.HasValue)
        {
            return _outcome;
        }

        for (long step = 0; step < maxSteps; step++)
        {
            if (_list.IsEmpty)
            {
                return Finish(SearchOutcome.Linearizable, step);
            }

            if (_list.IsCall(_entry))
            {
                TryLinearize(_list.OpOf(_entry));
                continue;
            }

            // The walk only ever passes call entries, so this return entry is the earliest one
            // left: every operation returning before it is linearized.
            Frontier = Math.Max(Frontier, _list.ReturnTimeOf(_entry));
            if (_depth == 0)
            {
                return Finish(SearchOutcome.NotLinearizable, step);
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
        _state = _stackStates[_depth];
        _linearized.Remove(op);
        _list.Unlift(op);
        _entry = _list.Next(_list.CallEntryOf(op));
    }

    private SearchOutcome Finish(SearchOutcome outcome, long steps)
    {
        Steps += steps;
        _outcome = outcome;
        return outcome;
    }
}
