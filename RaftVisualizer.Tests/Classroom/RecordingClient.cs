using System.Collections.Concurrent;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Tests.Classroom;

/// <summary>An in-process hub client that records what a room sends it; optionally stalls its event sends.</summary>
internal sealed class RecordingClient : IClusterClient
{
    private TaskCompletionSource? _stall;

    public ConcurrentQueue<RoomSnapshotDto> Snapshots { get; } = new();
    public ConcurrentQueue<EventBatchDto> Batches { get; } = new();
    public ConcurrentQueue<string> Closures { get; } = new();

    /// <summary>From now on, the next Events send does not complete until <see cref="Release"/>: a client on a dead-slow link.</summary>
    public void Stall() => _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _stall, null)?.TrySetResult();

    public Task Snapshot(RoomSnapshotDto snapshot)
    {
        Snapshots.Enqueue(snapshot);
        return Task.CompletedTask;
    }

    public Task Events(EventBatchDto batch)
    {
        Batches.Enqueue(batch);
        return _stall?.Task ?? Task.CompletedTask;
    }

    public Task RoomClosed(string reason)
    {
        Closures.Enqueue(reason);
        return Task.CompletedTask;
    }
}

internal static class Eventually
{
    /// <summary>Waits for a condition (checked every 20 ms) and fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
            await Task.Delay(20);
        }
    }
}

/// <summary>A wall clock a test moves by hand (only GetUtcNow: pumps still pace by the real timestamp).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}
