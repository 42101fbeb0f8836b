using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// Client timers, kept off the main event queue: almost every attempt is answered long before
/// its timeout, so queuing each one would fill the queue with timers that only get skipped.
/// Instead each kind keeps its own ordered list, and only the earliest pending one is queued.
/// </summary>
public sealed partial class Cluster
{
    // Attempt timeouts all last Options.ClientAttemptTimeout, so they expire in the order they were set.
    private readonly Queue<(ClientOperation Op, int Attempt, NodeId Target, TimeSpan At)> _attemptTimeouts = new();
    private TimeSpan? _attemptCheckQueuedAt;
    // Deadlines can differ per operation (Submit takes a timeout), so they need ordering.
    private readonly PriorityQueue<ClientOperation, long> _deadlines = new(); // by deadline ticks
    private TimeSpan? _deadlineCheckQueuedAt;

    private void StartAttemptTimer(ClientOperation op, int attempt, NodeId target)
    {
        _attemptTimeouts.Enqueue((op, attempt, target, Now + Options.ClientAttemptTimeout));
        QueueAttemptCheck();
    }

    private void QueueAttemptCheck()
    {
        while (_attemptTimeouts.TryPeek(out var t) && (t.Op.IsCompleted || t.Attempt != t.Op.CurrentAttempt)) _attemptTimeouts.Dequeue();
        if (!_attemptTimeouts.TryPeek(out var first) || _attemptCheckQueuedAt is { } queued && queued <= first.At) return;
        _attemptCheckQueuedAt = first.At;
        _queue.Schedule(first.At, new SimEvent(SimEventKind.ClientAttemptTimeout, default, 0, null));
    }

    private void AttemptTimersFired()
    {
        if (_attemptCheckQueuedAt == Now) _attemptCheckQueuedAt = null;
        while (_attemptTimeouts.TryPeek(out var t) && t.At <= Now)
        {
            _attemptTimeouts.Dequeue();
            ClientAttemptTimedOut(t.Op, t.Attempt, t.Target);
        }
        QueueAttemptCheck();
    }

    private void StartDeadlineTimer(ClientOperation op)
    {
        _deadlines.Enqueue(op, op.Deadline.Ticks);
        QueueDeadlineCheck();
    }

    private void QueueDeadlineCheck()
    {
        while (_deadlines.TryPeek(out var op, out _) && op.IsCompleted) _deadlines.Dequeue();
        if (!_deadlines.TryPeek(out var first, out _) || _deadlineCheckQueuedAt is { } queued && queued <= first.Deadline) return;
        _deadlineCheckQueuedAt = first.Deadline;
        _queue.Schedule(first.Deadline, new SimEvent(SimEventKind.ClientDeadline, default, 0, null));
    }

    private void DeadlineTimersFired()
    {
        if (_deadlineCheckQueuedAt == Now) _deadlineCheckQueuedAt = null;
        while (_deadlines.TryPeek(out var op, out _) && op.Deadline <= Now)
        {
            _deadlines.Dequeue();
            ClientDeadlinePassed(op);
        }
        QueueDeadlineCheck();
    }
}
