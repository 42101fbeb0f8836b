using RaftVisualizer.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// A wall clock that moves only when a test says so, so the pump's pacing and throttling are
/// deterministic: <see cref="ClusterComponentTest.Drive"/> moves it a second before each command,
/// which makes every command publish.
/// </summary>
public sealed class TestWallClock : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(Interlocked.Read(ref _ticks));
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>
/// bUnit context with MudBlazor and a real cluster behind a <see cref="ClusterPump"/> whose
/// background loop is not started: the test moves simulated time itself.
/// </summary>
public abstract class ClusterComponentTest : BunitContext, IAsyncLifetime
{
    /// <summary>
    /// The patience of every WaitForAssertion/WaitForElement that names none. Each waits for a render
    /// that must come (a publish, or the pump's history check's verdict, reaching the renderer), and
    /// bUnit's default of one wall second is too little on a loaded machine; a wait that succeeds
    /// returns as soon as the render is there.
    /// </summary>
    static ClusterComponentTest() => DefaultWaitTimeout = TimeSpan.FromSeconds(15);

    protected ClusterComponentTest()
    {
        Services.AddMudServices();
        Services.AddScoped<DisplayMode>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.SetupDiagramCanvas();
    }

    protected TestWallClock Time { get; } = new();
    protected ClusterPump Pump { get; private set; } = null!;
    protected LiveCluster Live { get; private set; } = null!;

    protected LiveCluster StartCluster(int nodes = 3, ulong seed = 1, Func<ClusterOptions, ClusterOptions>? tweak = null)
    {
        var options = new ClusterOptions { NodeCount = nodes, Seed = seed };
        Pump = new ClusterPump(tweak is null ? options : tweak(options), speed: 1, time: Time);
        Live = new LiveCluster(Pump, ownsPump: true, canControl: true);
        return Live;
    }

    /// <summary>Runs a command through the pump a wall second after the last, so it publishes.</summary>
    protected T Drive<T>(Func<Cluster, T> command)
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        return Pump.ExecuteForTest(command);
    }

    protected void RunFor(TimeSpan simulated) => Drive(c => { c.RunFor(simulated); return 0; });

    protected void RunFor(double milliseconds) => RunFor(TimeSpan.FromMilliseconds(milliseconds));

    protected NodeId ElectLeader() => Drive(c =>
    {
        Assert.True(c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)), "no leader was elected");
        c.RunFor(TimeSpan.FromMilliseconds(200)); // every follower hears of it
        return c.Leader!.Value;
    });

    private bool _disposedAsync;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor registers services that only dispose asynchronously, so xunit disposes us this way first.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        Live?.Dispose();
        Live = null!;
        await base.DisposeAsync();
        _disposedAsync = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Live?.Dispose();
        // after DisposeAsync the container is already gone; disposing it again synchronously would throw
        if (!_disposedAsync) base.Dispose(disposing);
    }
}
