namespace RaftVisualizer.Core.Simulation;

/// <summary>
/// The simulation's one ordered queue of timed events. Ties in time keep insertion order, so a
/// run is fully determined by its seed and inputs.
/// </summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<SimEvent, (long Ticks, long Seq)> _queue = new(new TimeThenSequence());
    private long _seq;

    public int Count => _queue.Count;

    public void Schedule(TimeSpan at, SimEvent e) => _queue.Enqueue(e, (at.Ticks, _seq++));

    public bool TryPeekTime(out TimeSpan at)
    {
        if (_queue.TryPeek(out _, out var p)) { at = TimeSpan.FromTicks(p.Ticks); return true; }
        at = default;
        return false;
    }

    public SimEvent Dequeue(out TimeSpan at)
    {
        _queue.TryDequeue(out var e, out var p);
        at = TimeSpan.FromTicks(p.Ticks);
        return e;
    }

    private sealed class TimeThenSequence : IComparer<(long Ticks, long Seq)>
    {
        public int Compare((long Ticks, long Seq) x, (long Ticks, long Seq) y) =>
            x.Ticks != y.Ticks ? x.Ticks.CompareTo(y.Ticks) : x.Seq.CompareTo(y.Seq);
    }
}
