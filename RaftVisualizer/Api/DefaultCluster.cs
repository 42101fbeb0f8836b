using Microsoft.Extensions.Options;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Api;

/// <summary>
/// The app's default shared cluster: the one the HTTP API (the curl workflow) acts on. It runs at
/// real time from app start, so a curl user sees a commit within milliseconds and an election
/// within a few hundred; it is disposed when the app shuts down.
/// </summary>
/// <remarks>
/// Its pump reads the wall clock through the <see cref="TimeProvider"/> registered under
/// <see cref="ClockKey"/> (the system clock unless a test registers a controllable one), and a request
/// waiting for a committed answer waits by that same clock, so tests can drive it in simulated time.
/// </remarks>
public sealed class DefaultCluster : IHostedService, IDisposable
{
    /// <summary>The service key of the <see cref="TimeProvider"/> that paces the default cluster.</summary>
    public const string ClockKey = "DefaultCluster";

    public DefaultCluster(IOptions<DefaultClusterOptions> options, [FromKeyedServices(ClockKey)] TimeProvider time)
    {
        var o = options.Value;
        Time = time;
        Pump = new ClusterPump(new ClusterOptions { NodeCount = o.NodeCount, Seed = o.Seed }, o.Speed, time);
    }

    public ClusterPump Pump { get; }

    /// <summary>The clock the pump advances by; the API's waits use it too.</summary>
    public TimeProvider Time { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Pump.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private int _disposed;

    /// <summary>Idempotent: the container disposes this once as a singleton and once as the hosted service.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Pump.Dispose();
    }
}
