namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// The history of one key as a doubly linked list of call and return entries in real-time order
/// (calls before returns on equal times, so touching operations count as concurrent; open-ended
/// operations return after everything). Linearizing an operation lifts its call and return entry
/// out of the list; backtracking unlifts them (in reverse order, dancing-links style).
/// </summary>
internal sealed class CallReturnList
{
    private const int Head = 0;

    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly int[] _opOfEntry;
    private readonly bool[] _isCall;
    private readonly int[] _callEntry;
    private readonly int[] _returnEntry;
    private readonly long[] _returnTime;
    private readonly int _tail;

    public CallReturnList(IReadOnlyList<KvHistoryOp> ops)
    {
        int n = ops.Count;
        var events = new (long Time, int IsReturn, int Op)[2 * n];
        for (int i = 0; i < n; i++)
        {
            events[2 * i] = (ops[i].Call, 0, i);
            events[(2 * i) + 1] = (ops[i].Return ?? long.MaxValue, 1, i);
        }

        Array.Sort(events);

        _tail = (2 * n) + 1;
        _next = new int[_tail + 1];
        _prev = new int[_tail + 1];
        _opOfEntry = new int[_tail + 1];
        _isCall = new bool[_tail + 1];
        _callEntry = new int[n];
        _returnEntry = new int[n];
        _returnTime = new long[n];
        for (int entry = Head; entry <= _tail; entry++)
        {
            _next[entry] = entry + 1;
            _prev[entry] = entry - 1;
        }

        for (int k = 0; k < events.Length; k++)
        {
            int entry = k + 1;
            int op = events[k].Op;
            _opOfEntry[entry] = op;
            _isCall[entry] = events[k].IsReturn == 0;
            if (_isCall[entry])
            {
                _callEntry[op] = entry;
            }
            else
            {
                _returnEntry[op] = entry;
                _returnTime[op] = events[k].Time;
            }
        }
    }

    public bool IsEmpty => _next[Head] == _tail;

    public int First => _next[Head];

    /// <summary>The time of a return entry (open-ended operations: long.MaxValue).</summary>
    public long ReturnTimeOf(int entry) => _returnTime[_opOfEntry[entry]];

    public int Next(int entry) => _next[entry];

    public bool IsCall(int entry) => _isCall[entry];

    public int OpOf(int entry) => _opOfEntry[entry];

    public int CallEntryOf(int op) => _callEntry[op];

    public void Lift(int op)
    {
        Unlink(_callEntry[op]);
        Unlink(_returnEntry[op]);
    }

    public void Unlift(int op)
    {
        Relink(_returnEntry[op]);
        Relink(_callEntry[op]);
    }

    private void Unlink(int entry)
    {
        _next[_prev[entry]] = _next[entry];
        _prev[_next[entry]] = _prev[entry];
    }

    private void Relink(int entry)
    {
        _next[_prev[entry]] = entry;
        _prev[_next[entry]] = entry;
    }
}
