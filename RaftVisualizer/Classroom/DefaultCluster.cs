using Microsoft.Extensions.Options;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Classroom;

/// <summary>
/// The app's default shared cluster: the one the HTTP API (the curl workflow) acts on. It runs at
/// real time from app start, so a curl user sees a commit within milliseconds and an election
/// within a few hundred; it is disposed when the app shuts down.
/// </summary>
public sealed class DefaultCluster : IHostedService, IDisposable
{
    public DefaultCluster(IOptions<DefaultClusterOptions> options)
    {
        var o = options.Value;
        Pump = new ClusterPump(new ClusterOptions { NodeCount = o.NodeCount, Seed = o.Seed }, o.Speed);
    }

    public ClusterPump Pump { get; }

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
