using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// A 1-based Raft log. Index 0 is the empty prefix, with term 0. After compaction (paper
/// section 7) the entries up to <see cref="BaseIndex"/> live only in a snapshot: the log keeps
/// that index and its term as its base, and holds the entries after it. The log also tracks
/// the configuration entries it holds, so the newest configuration is known at once.
/// </summary>
public sealed class RaftLog
{
    private readonly ChunkedList<LogEntry> _entries = new();
    /// <summary>The configuration entries among <see cref="_entries"/>, oldest first.</summary>
    private readonly List<LogEntry> _configs = new();

    public RaftLog() { }

    private RaftLog(RaftLog source)
    {
        _entries = source._entries.Clone();
        _configs = new List<LogEntry>(source._configs);
        BaseIndex = source.BaseIndex;
        BaseTerm = source.BaseTerm;
        BaseConfig = source.BaseConfig;
    }

    /// <summary>An independent copy (entries are immutable; the copy shares the chunks of the log until either side writes).</summary>
    internal RaftLog Clone() => new(this);

    /// <summary>The entries after the snapshot, oldest first: <c>Entries[0]</c> is entry <see cref="BaseIndex"/> + 1.</summary>
    public IReadOnlyList<LogEntry> Entries => _entries;
    /// <summary>The last index the snapshot covers (0 when nothing was compacted).</summary>
    public long BaseIndex { get; private set; }
    public long BaseTerm { get; private set; }
    /// <summary>The configuration the snapshot holds, or null when nothing was compacted.</summary>
    public Configuration? BaseConfig { get; private set; }

    /// <summary>The last index, counting compacted entries.</summary>
    public long LastIndex => BaseIndex + _entries.Count;
    public long LastTerm => TermAt(LastIndex);

    /// <summary>The term of entry <paramref name="index"/>: the base's at the base, 0 where the log has nothing (beyond its end, or compacted away).</summary>
    public long TermAt(long index) =>
        index == BaseIndex ? BaseTerm : index > BaseIndex && index <= LastIndex ? _entries[(int)(index - BaseIndex) - 1].Term : 0;

    /// <summary>Whether entry <paramref name="index"/> is still in the log (not compacted, not past the end).</summary>
    public bool Holds(long index) => index > BaseIndex && index <= LastIndex;

    public LogEntry this[long index] => _entries[(int)(index - BaseIndex) - 1];

    /// <summary>The newest configuration in the log or its snapshot; null when there is none (the cluster's initial one holds).</summary>
    public Configuration? LatestConfig => _configs.Count > 0 ? _configs[^1].Config : BaseConfig;

    /// <summary>The index of the newest configuration entry (the base when the snapshot holds it; 0 when none).</summary>
    public long LatestConfigIndex => _configs.Count > 0 ? _configs[^1].Index : BaseConfig is null ? 0 : BaseIndex;

    /// <summary>The configuration in force at <paramref name="index"/>: the newest one at or before it.</summary>
    public Configuration? ConfigAt(long index)
    {
        for (var i = _configs.Count - 1; i >= 0; i--)
            if (_configs[i].Index <= index) return _configs[i].Config;
        return BaseConfig;
    }

    public void Append(LogEntry entry)
    {
        if (entry.Index != LastIndex + 1)
            throw new InvalidOperationException($"Entry {entry.Index} does not follow index {LastIndex}.");
        _entries.Add(entry);
        if (entry.Config is not null) _configs.Add(entry);
    }

    /// <summary>Removes the entry at <paramref name="index"/> and everything after it (never the snapshot).</summary>
    public void TruncateFrom(long index)
    {
        if (index <= BaseIndex) throw new InvalidOperationException($"Entry {index} is in the snapshot (up to {BaseIndex}) and cannot be removed.");
        if (index > LastIndex) return;
        _entries.RemoveFrom((int)(index - BaseIndex) - 1);
        _configs.RemoveAll(c => c.Index >= index);
    }

    /// <summary>Drops entries up to <paramref name="index"/> (which must be in the log): the snapshot now covers them.</summary>
    public void CompactTo(long index, Configuration config)
    {
        if (!Holds(index)) throw new InvalidOperationException($"Entry {index} is not in the log ({BaseIndex + 1} to {LastIndex}).");
        var term = TermAt(index);
        _entries.RemoveFirst((int)(index - BaseIndex));
        _configs.RemoveAll(c => c.Index <= index);
        (BaseIndex, BaseTerm, BaseConfig) = (index, term, config);
    }

    /// <summary>
    /// Makes <paramref name="snapshot"/> the base. Entries after it are kept when the log holds
    /// the snapshot's last entry with the same term (the paper's rule); otherwise the whole log goes.
    /// Returns how many entries were discarded.
    /// </summary>
    public long InstallSnapshot(Snapshot snapshot)
    {
        var before = _entries.Count;
        if (Holds(snapshot.LastIndex) && TermAt(snapshot.LastIndex) == snapshot.LastTerm)
        {
            _entries.RemoveFirst((int)(snapshot.LastIndex - BaseIndex));
            _configs.RemoveAll(c => c.Index <= snapshot.LastIndex);
        }
        else
        {
            _entries.RemoveFrom(0);
            _configs.Clear();
        }
        (BaseIndex, BaseTerm, BaseConfig) = (snapshot.LastIndex, snapshot.LastTerm, snapshot.Config);
        return before - _entries.Count;
    }

    public IReadOnlyList<LogEntry> Slice(long fromIndex, int maxCount)
    {
        if (fromIndex > LastIndex || maxCount <= 0) return Array.Empty<LogEntry>();
        if (fromIndex <= BaseIndex) throw new InvalidOperationException($"Entry {fromIndex} was compacted into the snapshot.");
        var slice = new LogEntry[(int)Math.Min(maxCount, LastIndex - fromIndex + 1)];
        _entries.CopyTo((int)(fromIndex - BaseIndex) - 1, slice, 0, slice.Length);
        return slice;
    }

    /// <summary>The first index holding <paramref name="term"/>, scanning back from <paramref name="from"/> (not below the first entry after the base).</summary>
    public long FirstIndexOfTerm(long term, long from)
    {
        var i = Math.Min(from, LastIndex);
        while (i > BaseIndex + 1 && TermAt(i - 1) == term) i--;
        return i;
    }

    /// <summary>The last index holding <paramref name="term"/>, or 0 if the log has none (the base counts).</summary>
    public long LastIndexOfTerm(long term)
    {
        for (var i = LastIndex; i >= BaseIndex; i--)
        {
            var t = TermAt(i);
            if (t == term) return i == 0 ? 0 : i;
            if (t < term) return 0;
        }
        return 0;
    }

    /// <summary>Raft's up-to-date rule (§5.4.1): a later last term wins, then a longer log.</summary>
    public bool IsBehind(long otherLastTerm, long otherLastIndex) =>
        otherLastTerm > LastTerm || (otherLastTerm == LastTerm && otherLastIndex >= LastIndex);
}
