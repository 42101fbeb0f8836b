namespace RaftVisualizer.Core.Safety;

/// <summary>What Log Matching compares for the entry at one index and term: its command and the term before it.</summary>
internal readonly record struct EntryShape(LogEntry Entry, long PrevTerm)
{
    public long Term => Entry.Term;
    public KvCommand Command => Entry.Command;

    public bool SameAs(EntryShape other) =>
        PrevTerm == other.PrevTerm && Entry.Term == other.Entry.Term && Entry.Command == other.Entry.Command && Entry.Session == other.Entry.Session;
}

/// <summary>
/// The first shape seen for each (index, term), kept by index: nearly every index only ever
/// holds one term, so that one lives in a list and the rare others in a side table.
/// </summary>
internal sealed class EntryShapes
{
    private readonly IndexWindow<EntryShape> _first = new();
    private readonly Dictionary<(long Index, long Term), EntryShape> _others = new();

    public EntryShapes() => _first.Add(default);

    private EntryShapes(EntryShapes source)
    {
        _first = source._first.Clone();
        _others = new Dictionary<(long Index, long Term), EntryShape>(source._others);
    }

    public EntryShapes Clone() => new(this);

    public EntryShape? Find(long index, long term)
    {
        if (_first.Knows(index) && _first[index] is { Entry: not null } first && first.Term == term) return first;
        return _others.TryGetValue((index, term), out var other) ? other : null;
    }

    public void Add(long index, EntryShape shape)
    {
        if (index < _first.First) return;
        while (_first.End <= index) _first.Add(default);
        if (_first[index].Entry is null) _first[index] = shape;
        else _others[(index, shape.Term)] = shape;
    }

    /// <summary>Forgets every shape and starts at <paramref name="first"/>.</summary>
    public void StartAt(long first)
    {
        _first.StartAt(first);
        _others.Clear();
    }

    /// <summary>Forgets the shapes below <paramref name="index"/>.</summary>
    public void ForgetBefore(long index)
    {
        _first.ForgetBefore(index);
        foreach (var key in _others.Keys.Where(k => k.Index < index).ToArray()) _others.Remove(key);
    }
}
