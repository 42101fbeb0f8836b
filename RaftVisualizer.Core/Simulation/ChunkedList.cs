using System.Collections;

namespace RaftVisualizer.Core.Simulation;

/// <summary>
/// A list kept in fixed-size chunks that a copy shares until one side writes: <see cref="Clone"/>
/// costs one small array, and a chunk is copied only when the list that shares it writes into it.
/// This is what lets a timeline keep dozens of keyframes of a long run (logs, shadow logs, the
/// client history, the recorded commands) for little more than one copy.
/// </summary>
internal sealed class ChunkedList<T> : IReadOnlyList<T>
{
    private const int Shift = 10;
    private const int ChunkSize = 1 << Shift;
    private const int Mask = ChunkSize - 1;
    private T[]?[] _chunks = new T[]?[4];
    /// <summary>Whether this list alone holds each chunk; a chunk it may share is copied before it is written.</summary>
    private bool[] _mine = new bool[4];
    private int _count;

    public int Count => _count;

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            return _chunks[index >> Shift]![index & Mask];
        }
        set
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            Writable(index >> Shift)[index & Mask] = value;
        }
    }

    public void Add(T item)
    {
        var chunk = _count >> Shift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
            Array.Resize(ref _mine, _chunks.Length);
        }
        if (_chunks[chunk] is null)
        {
            _chunks[chunk] = new T[ChunkSize];
            _mine[chunk] = true;
        }
        Writable(chunk)[_count & Mask] = item;
        _count++;
    }

    /// <summary>Removes the item at <paramref name="index"/> and everything after it.</summary>
    public void RemoveFrom(int index)
    {
        if ((uint)index > (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
        _count = index;
        for (var c = (index + Mask) >> Shift; c < _chunks.Length && _chunks[c] is not null; c++) _chunks[c] = null;
    }

    /// <summary>Removes the first <paramref name="count"/> items; what is left moves into chunks of this list's own.</summary>
    public void RemoveFirst(int count)
    {
        if ((uint)count > (uint)_count) throw new ArgumentOutOfRangeException(nameof(count));
        if (count == 0) return;
        var rest = new T[_count - count];
        CopyTo(count, rest, 0, rest.Length);
        Array.Clear(_chunks);
        Array.Clear(_mine);
        _count = 0;
        foreach (var item in rest) Add(item);
    }

    /// <summary>A list with the same items that shares every chunk with this one until either writes.</summary>
    public ChunkedList<T> Clone()
    {
        Array.Clear(_mine);
        return new ChunkedList<T> { _chunks = (T[]?[])_chunks.Clone(), _mine = new bool[_chunks.Length], _count = _count };
    }

    public void CopyTo(int index, T[] destination, int destinationIndex, int count)
    {
        if (index < 0 || count < 0 || index + count > _count) throw new ArgumentOutOfRangeException(nameof(index));
        while (count > 0)
        {
            var offset = index & Mask;
            var n = Math.Min(count, ChunkSize - offset);
            Array.Copy(_chunks[index >> Shift]!, offset, destination, destinationIndex, n);
            index += n;
            destinationIndex += n;
            count -= n;
        }
    }

    private T[] Writable(int chunk)
    {
        var items = _chunks[chunk]!;
        if (_mine[chunk]) return items;
        _mine[chunk] = true;
        return _chunks[chunk] = (T[])items.Clone();
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < _count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
