namespace RaftVisualizer.Core.Simulation;

/// <summary>
/// A small seeded PRNG (xoshiro256** seeded through SplitMix64). Unlike System.Random its
/// sequence is fixed by this code, so a scenario replays the same on every runtime.
/// </summary>
public sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimRandom(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    private SimRandom(SimRandom source) => (_s0, _s1, _s2, _s3) = (source._s0, source._s1, source._s2, source._s3);

    /// <summary>A generator in exactly this one's state: both draw the same sequence from here on, independently.</summary>
    public SimRandom Clone() => new(this);

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [minInclusive, maxExclusive); returns min when the range is empty.</summary>
    public long NextInt64(long minInclusive, long maxExclusive)
    {
        if (maxExclusive <= minInclusive) return minInclusive;
        var range = (ulong)(maxExclusive - minInclusive);
        return minInclusive + (long)(NextUInt64() % range);
    }

    public int Next(int maxExclusive) => (int)NextInt64(0, maxExclusive);

    /// <summary>A duration drawn uniformly from [min, max].</summary>
    public TimeSpan NextDuration(TimeSpan min, TimeSpan max) =>
        max <= min ? min : TimeSpan.FromTicks(NextInt64(min.Ticks, max.Ticks + 1));

    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    /// <summary>A new independent generator seeded from this one.</summary>
    public SimRandom Fork() => new(NextUInt64());

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
