using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Api;

/// <summary>A client operation once it finished (or the HTTP request stopped waiting for it).</summary>
public sealed record OperationOutcome(ClientOperation Operation, KvResult? Result, NodeId? ServedBy, TimeSpan? Elapsed, int Attempts, TimeSpan Timeout);

/// <summary>
/// Submits a KV command through a pump (its typed <see cref="ClusterPump.Submit"/>, recorded like the page's) and waits for its committed answer without blocking the pump:
/// a TaskCompletionSource is completed from the pump's Published callback once the operation is done.
/// The wait is bounded by the operation's own timeout (simulated) mapped to wall time at the pump's speed,
/// measured by the clock passed in (the one that paces the pump), so a test that controls it controls the wait.
/// </summary>
public static class OperationAwaiter
{
    /// <summary>Extra wall time beyond the operation's own timeout before the request gives up waiting.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static async Task<OperationOutcome> SubmitAsync(ClusterPump pump, KvCommand command, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ClientOperation? op = null;
        void OnPublished(ClusterFrame snapshot, IReadOnlyList<ClusterEvent> events)
        {
            if (Volatile.Read(ref op) is { IsCompleted: true }) done.TrySetResult(); // published after the pump's lock was released, so the answer is visible
        }

        pump.Published += OnPublished;
        try
        {
            var submitted = pump.Submit(command); // the typed submit: recorded, and forking like the page's when the cursor is in the past
            Volatile.Write(ref op, submitted);
            if (pump.Read(_ => submitted.IsCompleted)) done.TrySetResult();
            var timeout = submitted.Deadline - submitted.InvokedAt;
            var wall = TimeSpan.FromSeconds(timeout.TotalSeconds / Math.Max(pump.Speed, ClusterPump.MinSpeed)) + Slack;
            try
            {
                await done.Task.WaitAsync(wall < MaxWait ? wall : MaxWait, time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Still pending (the pump paused or fell behind): answer as a timeout; the write may still apply later.
            }
            return pump.Read(_ => new OperationOutcome(submitted, submitted.Result, submitted.ServedBy, submitted.Elapsed, submitted.Attempts.Count, timeout));
        }
        finally
        {
            pump.Published -= OnPublished;
        }
    }
}
