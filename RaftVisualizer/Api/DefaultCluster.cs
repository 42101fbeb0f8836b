using Microsoft.Extensions.Options;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Persistence;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Api;

/// <summary>
/// The app's default shared cluster: the one the HTTP API (the curl workflow) acts on. It runs at
/// real time from app start, so a curl user sees a commit within milliseconds and an election
/// within a few hundred; it is disposed when the app shuts down. Its servers' disks are written to
/// <see cref="DefaultClusterOptions.DataFolder"/> as they change, and an app restart starts from them.
/// </summary>
/// <remarks>
/// Its pump reads the wall clock through the <see cref="TimeProvider"/> registered under
/// <see cref="ClockKey"/> (the system clock unless a test registers a controllable one), and a request
/// waiting for a committed answer waits by that same clock, so tests can drive it in simulated time.
/// A cluster restarted from its disks has a timeline that begins at that moment: the time before the
/// app restarted cannot be replayed (<see cref="Cluster.StartedFromDisks"/>).
/// </remarks>
public sealed partial class DefaultCluster : IHostedService, IDisposable
{
    /// <summary>The service key of the <see cref="TimeProvider"/> that paces the default cluster.</summary>
    public const string ClockKey = "DefaultCluster";

    public DefaultCluster(IOptions<DefaultClusterOptions> options, [FromKeyedServices(ClockKey)] TimeProvider time,
        IHostEnvironment environment, ILogger<DefaultCluster> log)
    {
        var o = options.Value;
        Time = time;
        var cluster = new ClusterOptions
        {
            NodeCount = o.NodeCount, Seed = o.Seed, SnapshotThreshold = o.SnapshotThreshold,
            MaxHistory = o.MaxHistory, MaxRecordedEvents = o.MaxRecordedEvents,
        };
        if (string.IsNullOrWhiteSpace(o.DataFolder))
        {
            Pump = new ClusterPump(new Timeline(cluster, FewKeyframes), o.Speed, time);
            return;
        }

        Disks = new DiskFolder(Path.GetFullPath(o.DataFolder, environment.ContentRootPath), log);
        var disks = Disks.Load();
        Timeline timeline;
        if (disks.Count == 0)
        {
            timeline = new Timeline(cluster, FewKeyframes);
            LogFresh(log, Disks.Path);
        }
        else
        {
            timeline = Timeline.StartingFrom(Cluster.FromDisks(cluster, disks), FewKeyframes);
            var head = timeline.Head;
            LogRestored(log, disks.Count, Disks.Path, head.Nodes.Max(n => n.Term), head.Nodes.Max(n => n.LastLogIndex), head.Configuration.ToString());
        }
        Pump = new ClusterPump(timeline, o.Speed, time) { Disks = Disks };
    }

    /// <summary>
    /// No page shows this cluster's past, so its timeline keeps only a few keyframes (each is a copy of
    /// the whole cluster, KV maps included) instead of the 64 a page's timeline keeps, and only its latest
    /// <see cref="KeptCommands"/> commands: under unlimited curl writes it rebases on a later keyframe
    /// (<see cref="TimelineOptions.MaxCommands"/>), so its memory stays bounded.
    /// </summary>
    private static readonly TimelineOptions FewKeyframes = TimelineOptions.Default with { MaxKeyframes = 4, MaxCommands = KeptCommands };

    /// <summary>The most recorded commands the default cluster's timeline keeps (about 0.3 KB each with what they leave behind).</summary>
    public const int KeptCommands = 10_000;

    public ClusterPump Pump { get; }

    /// <summary>Where the servers' disks are written, or null when they are kept in memory only.</summary>
    public DiskFolder? Disks { get; }

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

    [LoggerMessage(10, LogLevel.Information, "The default cluster starts empty; its servers' disks are written to {Folder}.")]
    private static partial void LogFresh(ILogger log, string folder);

    [LoggerMessage(11, LogLevel.Information, "The default cluster starts from {Count} disk(s) in {Folder}: highest term {Term}, longest log {LastIndex} entries, {Configuration}.")]
    private static partial void LogRestored(ILogger log, int count, string folder, long term, long lastIndex, string configuration);
}
