namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Deterministic pseudo-random 64-bit words, one per operation index, whose XOR over a set of
/// operations is that set's hash (Zobrist hashing). Generated with SplitMix64, so no clock or
/// shared random state is involved.
/// </summary>
internal static class OperationHashes
{
    public static ulong[] Create(int count)
    {
        var words = new ulong[count];
        ulong seed = 0x2545F4914F6CDD1DUL;
        for (int i = 0; i < count; i++)
        {
            seed += 0x9E3779B97F4A7C15UL;
            ulong z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            words[i] = z ^ (z >> 31);
        }

        return words;
    }
}
