namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// The set of operations linearized so far, as a bitset with an incrementally maintained hash (XOR
/// of one random word per member). Operations are numbered in call order, so the set is usually a
/// run of full words followed by a few partly filled ones; <see cref="WriteKey"/> encodes just that
/// (the number of leading full words, then the non-zero words after them with their positions),
/// which keeps cache keys short however long the history is.
/// </summary>
internal sealed class LinearizedSet
{
    private readonly ulong[] _words;
    private readonly ulong[] _memberHashes;
    private int _fullWords;
    private int _lastNonZeroWord = -1;

    public LinearizedSet(int count)
    {
        _words = new ulong[Math.Max(1, (count + 63) >> 6)];
        _memberHashes = OperationHashes.Create(count);
    }

    public ulong Hash { get; private set; }

    /// <summary>Longest key <see cref="WriteKey"/> can write.</summary>
    public int MaxKeyLength => 1 + (2 * _words.Length);

    public void Add(int op)
    {
        int word = op >> 6;
        _words[word] |= 1UL << (op & 63);
        Hash ^= _memberHashes[op];
        _lastNonZeroWord = Math.Max(_lastNonZeroWord, word);
        while (_fullWords < _words.Length && _words[_fullWords] == ulong.MaxValue)
        {
            _fullWords++;
        }
    }

    public void Remove(int op)
    {
        int word = op >> 6;
        _words[word] &= ~(1UL << (op & 63));
        Hash ^= _memberHashes[op];
        _fullWords = Math.Min(_fullWords, word);
        while (_lastNonZeroWord >= 0 && _words[_lastNonZeroWord] == 0)
        {
            _lastNonZeroWord--;
        }
    }

    /// <summary>Writes a key that identifies the set exactly; returns its length.</summary>
    public int WriteKey(Span<ulong> key)
    {
        int length = 0;
        key[length++] = (ulong)_fullWords;
        for (int word = _fullWords; word <= _lastNonZeroWord; word++)
        {
            if (_words[word] != 0)
            {
                key[length++] = (ulong)word;
                key[length++] = _words[word];
            }
        }

        return length;
    }
}
