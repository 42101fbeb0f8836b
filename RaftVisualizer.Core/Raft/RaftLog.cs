using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>A 1-based Raft log. Index 0 is the empty prefix, with term 0.</summary>
public sealed class RaftLog
{
    private readonly ChunkedList<LogEntry> _entries = new();

    public RaftLog() { }

    private RaftLog(RaftLog source) => _entries = source._entries.Clone();

    /// <summary>An independent copy (entries are immutable; the copy shares the chunks of the log until either side writes).</summary>
    internal RaftLog Clone() => new(this);

    public IReadOnlyList<LogEntry> Entries => _entries;
    public long LastIndex => _entries.Count;
    public long LastTerm => TermAt(LastIndex);

    public long TermAt(long index) => index >= 1 && index <= _entries.Count ? _entries[(int)index - 1].Term : 0;

    public LogEntry this[long index] => _entries[(int)index - 1];

    public void Append(LogEntry entry)
    {
        if (entry.Index != LastIndex + 1)
            throw new InvalidOperationException($"Entry {entry.Index} does not follow index {LastIndex}.");
        _entries.Add(entry);
    }

    /// <summary>Removes the entry at <paramref name="index"/> and everything after it.</summary>
    public void TruncateFrom(long index)
    {
        if (index <= LastIndex) _entries.RemoveFrom((int)index - 1);
    }

    public IReadOnlyList<LogEntry> Slice(long fromIndex, int maxCount)
    {
        if (fromIndex > LastIndex || maxCount <= 0) return Array.Empty<LogEntry>();
        var slice = new LogEntry[(int)Math.Min(maxCount, LastIndex - fromIndex + 1)];
        _entries.CopyTo((int)fromIndex - 1, slice, 0, slice.Length);
        return slice;
    }

    /// <summary>The first index holding <paramref name="term"/>, scanning back from <paramref name="from"/>.</summary>
    public long FirstIndexOfTerm(long term, long from)
    {
        var i = Math.Min(from, LastIndex);
        while (i > 1 && TermAt(i - 1) == term) i--;
        return i;
    }

    /// <summary>The last index holding <paramref name="term"/>, or 0 if the log has none.</summary>
    public long LastIndexOfTerm(long term)
    {
        for (var i = LastIndex; i >= 1; i--)
        {
            var t = TermAt(i);
            if (t == term) return i;
            if (t < term) return 0;
        }
        return 0;
    }

    /// <summary>Raft's up-to-date rule (§5.4.1): a later last term wins, then a longer log.</summary>
    public bool IsBehind(long otherLastTerm, long otherLastIndex) =>
        otherLastTerm > LastTerm || (otherLastTerm == LastTerm && otherLastIndex >= LastIndex);
}
