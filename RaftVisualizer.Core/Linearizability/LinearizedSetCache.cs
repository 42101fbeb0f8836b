namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Remembers every (set of linearized operations, model state) configuration the search has
/// reached, so that it never explores the same configuration twice. An open-addressing table whose
/// slots hold the full hash; the set's key (see <see cref="LinearizedSet.WriteKey"/>) is stored in
/// one flat pool and compared only when hash and state already match.
/// </summary>
internal sealed class LinearizedSetCache
{
    private ulong[] _keyPool;
    private int _keyPoolUsed;
    private Entry[] _entries;
    private Slot[] _slots;
    private int _count;

    public LinearizedSetCache(int initialCapacity = 64)
    {
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, initialCapacity));
        _keyPool = new ulong[capacity * 4];
        _entries = new Entry[capacity];
        _slots = new Slot[capacity * 2];
    }

    /// <summary>Adds the configuration; returns false if it was already present.</summary>
    public bool TryAdd(ReadOnlySpan<ulong> setKey, ulong setHash, int state)
    {
        if (_count == _entries.Length)
        {
            Grow();
        }

        ulong hash = Mix(setHash, state);
        Slot[] slots = _slots;
        int mask = slots.Length - 1;
        int index = (int)(hash & (ulong)mask);
        while (true)
        {
            ref Slot slot = ref slots[index];
            if (slot.EntryPlusOne == 0)
            {
                slot.Hash = hash;
                slot.EntryPlusOne = Store(setKey, state) + 1;
                return true;
            }

            if (slot.Hash == hash)
            {
                Entry entry = _entries[slot.EntryPlusOne - 1];
                if (entry.State == state && _keyPool.AsSpan(entry.KeyStart, entry.KeyLength).SequenceEqual(setKey))
                {
                    return false;
                }
            }

            index = (index + 1) & mask;
        }
    }

    private int Store(ReadOnlySpan<ulong> setKey, int state)
    {
        if (_keyPoolUsed + setKey.Length > _keyPool.Length)
        {
            Array.Resize(ref _keyPool, Math.Max(_keyPool.Length * 2, _keyPoolUsed + setKey.Length));
        }

        setKey.CopyTo(_keyPool.AsSpan(_keyPoolUsed));
        _entries[_count] = new Entry(_keyPoolUsed, setKey.Length, state);
        _keyPoolUsed += setKey.Length;
        return _count++;
    }

    private void Grow()
    {
        Array.Resize(ref _entries, _entries.Length * 2);
        Slot[] old = _slots;
        _slots = new Slot[_entries.Length * 2];
        int mask = _slots.Length - 1;
        foreach (Slot slot in old)
        {
            if (slot.EntryPlusOne != 0)
            {
                int index = (int)(slot.Hash & (ulong)mask);
                while (_slots[index].EntryPlusOne != 0)
                {
                    index = (index + 1) & mask;
                }

                _slots[index] = slot;
            }
        }
    }

    private static ulong Mix(ulong setHash, int state)
    {
        ulong x = setHash ^ ((ulong)(uint)state * 0x9E3779B97F4A7C15UL);
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        return x;
    }

    private readonly record struct Entry(int KeyStart, int KeyLength, int State);

    private struct Slot
    {
        public ulong Hash;
        public int EntryPlusOne;
    }
}
