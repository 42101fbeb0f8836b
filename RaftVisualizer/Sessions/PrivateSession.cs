using RaftVisualizer.Core;

namespace RaftVisualizer.Sessions;

/// <summary>
/// The private cluster of one browser tab (scoped to the circuit), disposed when the circuit ends.
/// When the server is at its session cap, <see cref="Live"/> is null and <see cref="Refusal"/> says why.
/// </summary>
public sealed class PrivateSession : IDisposable
{
    public const int DefaultNodeCount = 5;
    /// <summary>A tab left alone this long is paused; the circuit's end disposes it.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(20);
    private readonly IDisposable? _slot;

    public PrivateSession(SessionLimiter limiter)
    {
        _slot = limiter.TryAcquire();
        if (_slot is null)
        {
            Refusal = $"The server is running its maximum of {limiter.Capacity} private clusters. Close another tab or try again in a minute.";
            return;
        }
        var seed = (ulong)Random.Shared.Next(1, 100_000); // the web host may use real randomness; the seed is shown and replayable
        var pump = new ClusterPump(new ClusterOptions { NodeCount = DefaultNodeCount, Seed = seed }) { PauseWhenIdleFor = IdleLimit };
        Live = new LiveCluster(pump, ownsPump: true, canControl: true);
        pump.Start();
    }

    public LiveCluster? Live { get; }
    public string? Refusal { get; }

    /// <summary>Starts over with a new cluster of <paramref name="nodes"/> nodes and the given seed.</summary>
    public void Reset(int nodes, ulong seed)
    {
        Live?.Reset(new ClusterOptions { NodeCount = nodes, Seed = seed });
    }

    public void Dispose()
    {
        Live?.Dispose();
        _slot?.Dispose();
    }
}
