using RaftVisualizer.Core;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Infrastructure;

/// <summary>Test set-up that moves a pump's head on at once, through the pump (so keyframes are taken and the change is published).</summary>
public static class PumpSkipping
{
    private static readonly TimeSpan Stride = TimeSpan.FromMilliseconds(10);

    /// <summary>Skips ahead in steps of 10 simulated ms until <paramref name="condition"/> holds or <paramref name="timeout"/> of simulated time passed; whether it held.</summary>
    public static bool SkipUntil(this ClusterPump pump, Func<Cluster, bool> condition, TimeSpan timeout)
    {
        var end = pump.Read(c => c.Now) + timeout;
        while (!pump.Read(condition))
        {
            if (pump.Read(c => c.Now) >= end) return false;
            pump.Skip(Stride);
        }
        return true;
    }
}
