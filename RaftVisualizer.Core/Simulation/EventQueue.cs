namespace RaftVisualizer.Core.Simulation;

/// <summary>
/// The simulation's one ordered queue of timed events: a binary min-heap on (time, sequence).
/// Ties in time keep insertion order, so a run is fully determined by its seed and inputs.
/// Hand-written rather than PriorityQueue for the hottest path: the heap holds only plain keys
/// (no object references, so sifting copies without GC write barriers) and each key points at
/// its event in a side table whose free slots are reused.
/// </summary>
internal sealed class EventQueue
{
    private Key[] _heap = new Key[256];
    private int _count;
    private long _seq;
    private SimEvent[] _events = new SimEvent[256];
    private int[] _freeSlots = new int[256];
    private int _freeCount;
    private int _slotsUsed;

    private struct Key
    {
        public long Ticks;
        public long Seq;
        public int Slot;

        public readonly bool Before(in Key other) => Ticks < other.Ticks || (Ticks == other.Ticks && Seq < other.Seq);
    }

    public int Count => _count;

    /// <summary>
    /// A queue in exactly this one's state (the same heap, slots and tie-order counter), with each
    /// event passed through <paramref name="copy"/> so mutable payloads can be swapped for a clone's own.
    /// </summary>
    public EventQueue Clone(Func<SimEvent, SimEvent> copy)
    {
        var clone = new EventQueue
        {
            _heap = (Key[])_heap.Clone(), _count = _count, _seq = _seq,
            _events = new SimEvent[_events.Length], _freeSlots = (int[])_freeSlots.Clone(),
            _freeCount = _freeCount, _slotsUsed = _slotsUsed,
        };
        for (var i = 0; i < _count; i++)
        {
            var slot = _heap[i].Slot;
            clone._events[slot] = copy(_events[slot]);
        }
        return clone;
    }

    public void Schedule(TimeSpan at, SimEvent e) => Schedule(at, _seq++, e);

    /// <summary>
    /// Takes the next place in the tie order without queuing anything yet. An event scheduled
    /// later with this number runs exactly where one scheduled now would have.
    /// </summary>
    public long ReserveSequence() => _seq++;

    /// <summary>Queues <paramref name="e"/> at a place in the tie order taken earlier with <see cref="ReserveSequence"/>.</summary>
    public void Schedule(TimeSpan at, long sequence, SimEvent e)
    {
        var slot = TakeSlot();
        _events[slot] = e;
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        var key = new Key { Ticks = at.Ticks, Seq = sequence, Slot = slot };
        var i = _count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!key.Before(_heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = key;
    }

    public bool TryPeekTime(out TimeSpan at)
    {
        at = _count > 0 ? TimeSpan.FromTicks(_heap[0].Ticks) : default;
        return _count > 0;
    }

    /// <summary>Removes the earliest event. The queue must not be empty.</summary>
    public SimEvent Dequeue(out TimeSpan at)
    {
        var top = _heap[0];
        at = TimeSpan.FromTicks(top.Ticks);
        var e = _events[top.Slot];
        _events[top.Slot] = default; // let the payload be collected
        ReturnSlot(top.Slot);
        var last = _heap[--_count];
        if (_count > 0) SiftDown(last);
        return e;
    }

    private void SiftDown(in Key moving)
    {
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && _heap[child + 1].Before(_heap[child])) child++;
            if (!_heap[child].Before(moving)) break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = moving;
    }

    private int TakeSlot()
    {
        if (_freeCount > 0) return _freeSlots[--_freeCount];
        if (_slotsUsed == _events.Length)
        {
            Array.Resize(ref _events, _events.Length * 2);
            Array.Resize(ref _freeSlots, _events.Length);
        }
        return _slotsUsed++;
    }

    private void ReturnSlot(int slot) => _freeSlots[_freeCount++] = slot;
}
