using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core.Safety;

/// <summary>
/// Facts kept by log index from <see cref="First"/> on: the monitor forgets indexes every
/// server has compacted (or that lie far behind), so a cluster that runs for weeks stays bounded.
/// </summary>
internal sealed class IndexWindow<T>
{
    private readonly ChunkedList<T> _items;

    public IndexWindow() => _items = new ChunkedList<T>();

    private IndexWindow(IndexWindow<T> source)
    {
        _items = source._items.Clone();
        First = source.First;
    }

    public IndexWindow<T> Clone() => new(this);

    /// <summary>The oldest index still remembered.</summary>
    public long First { get; private set; }
    /// <summary>One past the newest index remembered.</summary>
    public long End => First + _items.Count;

    public bool Knows(long index) => index >= First && index < End;

    public T this[long index]
    {
        get => _items[(int)(index - First)];
        set => _items[(int)(index - First)] = value;
    }

    public void Add(T item) => _items.Add(item);

    /// <summary>Forgets everything and starts remembering at <paramref name="first"/> (a monitor resuming from disks).</summary>
    public void StartAt(long first)
    {
        _items.RemoveFrom(0);
        First = first;
    }

    /// <summary>Forgets every index below <paramref name="index"/>.</summary>
    public void ForgetBefore(long index)
    {
        var drop = Math.Min(index, End) - First;
        if (drop <= 0) return;
        _items.RemoveFirst((int)drop);
        First += drop;
    }
}
