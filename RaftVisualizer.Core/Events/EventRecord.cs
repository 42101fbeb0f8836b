using System.Collections;

namespace RaftVisualizer.Core.Events;

/// <summary>
/// The recorded event stream, kept in fixed-size chunks: appending never copies what is already
/// there and no array is large enough for the large-object heap, so recording stays cheap. When
/// full, the oldest half is discarded a chunk at a time.
/// </summary>
internal sealed class EventRecord : IReadOnlyList<ClusterEvent>
{
    private const int ChunkSize = 4096;
    private readonly List<Slot[]> _chunks = new();
    private int _start;  // index of the first live event inside _chunks[0]
    private int _count;

    public int Count => _count;

    public ClusterEvent this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            var i = _start + index;
            return _chunks[i / ChunkSize][i % ChunkSize].Event;
        }
    }

    /// <summary>
    /// A record holding the newest <paramref name="max"/> events of this one. Full chunks are never
    /// written again, so they are shared; only the chunk still being filled is copied.
    /// </summary>
    public EventRecord CopyNewest(int max)
    {
        var copy = new EventRecord();
        var keep = Math.Clamp(max, 0, _count);
        if (keep == 0) return copy;
        var end = _start + _count;
        var first = end - keep;
        var lastChunk = (end - 1) / ChunkSize;
        for (var c = first / ChunkSize; c <= lastChunk; c++)
            copy._chunks.Add(c == lastChunk && end % ChunkSize != 0 ? (Slot[])_chunks[c].Clone() : _chunks[c]);
        copy._start = first % ChunkSize;
        copy._count = keep;
        return copy;
    }

    public void Add(ClusterEvent e)
    {
        var end = _start + _count;
        if (end == _chunks.Count * ChunkSize) _chunks.Add(new Slot[ChunkSize]);
        _chunks[end / ChunkSize][end % ChunkSize].Event = e;
        _count++;
    }

    /// <summary>Discards at least <paramref name="count"/> of the oldest events (whole chunks when possible); returns how many.</summary>
    public int DiscardOldest(int count)
    {
        count = Math.Min(count, _count);
        var newStart = _start + count;
        var wholeChunks = newStart / ChunkSize;
        _chunks.RemoveRange(0, wholeChunks);
        _start = newStart - wholeChunks * ChunkSize;
        _count -= count;
        return count;
    }

    public IEnumerator<ClusterEvent> GetEnumerator()
    {
        for (var i = 0; i < _count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A struct around the reference, so storing one skips the array-covariance check.</summary>
    private struct Slot
    {
        public ClusterEvent Event;
    }
}
