namespace RaftVisualizer.Core.Simulation;

/// <summary>
/// The simulation's one ordered queue of timed events: a binary min-heap on (time, sequence).
/// Ties in time keep insertion order, so a run is fully determined by its seed and inputs.
/// Hand-written rather than PriorityQueue so the comparison is inlined on this hottest path.
/// </summary>
internal sealed class EventQueue
{
    private Entry[] _heap = new Entry[256];
    private int _count;
    private long _seq;

    private struct Entry
    {
        public long Ticks;
        public long Seq;
        public SimEvent Event;

        public readonly bool Before(in Entry other) => Ticks < other.Ticks || (Ticks == other.Ticks && Seq < other.Seq);
    }

    public int Count => _count;

    public void Schedule(TimeSpan at, SimEvent e)
    {
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        var entry = new Entry { Ticks = at.Ticks, Seq = _seq++, Event = e };
        var i = _count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!entry.Before(_heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = entry;
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
        var last = _heap[--_count];
        _heap[_count] = default; // let the payload be collected
        if (_count > 0) SiftDown(last);
        return top.Event;
    }

    private void SiftDown(in Entry moving)
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
}
