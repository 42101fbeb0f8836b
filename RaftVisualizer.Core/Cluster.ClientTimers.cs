using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// Client timers, kept off the main event queue: almost every attempt is answered long before
/// its timeout, so queuing each one would fill the queue with timers that only get skipped.
/// Each kind keeps its own ordered list, and only the earliest live timer has a check on the
/// queue. A timer takes its place in the queue's tie order when it is set, and its check is
/// queued at that place, so timers run exactly where they would have run had each been queued.
/// </summary>
public sealed partial class Cluster
{
    /// <summary>A timer's place in time and in the queue's tie order.</summary>
    private readonly record struct TimerKey(long Ticks, long Seq) : IComparable<TimerKey>
    {
        public int CompareTo(TimerKey other) => Ticks != other.Ticks ? Ticks.CompareTo(other.Ticks) : Seq.CompareTo(other.Seq);
        public TimeSpan At => TimeSpan.FromTicks(Ticks);
    }

    private readonly record struct AttemptTimer(ClientOperation Op, int Attempt, NodeId Target, TimerKey Key)
    {
        public bool IsStale => Op.IsCompleted || Attempt != Op.CurrentAttempt;
    }

    // Attempt timeouts all last Options.ClientAttemptTimeout, so they expire in the order they were set.
    private readonly Queue<AttemptTimer> _attemptTimers = new();
    private TimerKey? _attemptCheck;
    // Deadlines can differ per operation (Submit takes a timeout), so they need ordering.
    private readonly PriorityQueue<ClientOperation, TimerKey> _deadlines = new();
    private TimerKey? _deadlineCheck;

    private TimerKey NewTimerKey(TimeSpan at) => new(at.Ticks, _queue.ReserveSequence());

    private void StartAttemptTimer(ClientOperation op, int attempt, NodeId target)
    {
        _attemptTimers.Enqueue(new AttemptTimer(op, attempt, target, NewTimerKey(Now + Options.ClientAttemptTimeout)));
        QueueAttemptCheck();
    }

    private void QueueAttemptCheck()
    {
        while (_attemptTimers.TryPeek(out var t) && t.IsStale) _attemptTimers.Dequeue();
        if (_attemptTimers.TryPeek(out var first)) QueueCheck(ref _attemptCheck, first.Key, SimEventKind.ClientAttemptTimeout);
    }

    private void AttemptCheckFired(long sequence)
    {
        var fired = CheckFired(ref _attemptCheck, sequence);
        while (_attemptTimers.TryPeek(out var t) && t.Key.CompareTo(fired) <= 0)
        {
            _attemptTimers.Dequeue();
            ClientAttemptTimedOut(t.Op, t.Attempt, t.Target);
        }
        QueueAttemptCheck();
    }

    private void StartDeadlineTimer(ClientOperation op)
    {
        _deadlines.Enqueue(op, NewTimerKey(op.Deadline));
        QueueDeadlineCheck();
    }

    private void QueueDeadlineCheck()
    {
        while (_deadlines.TryPeek(out var op, out _) && op.IsCompleted) _deadlines.Dequeue();
        if (_deadlines.TryPeek(out _, out var first)) QueueCheck(ref _deadlineCheck, first, SimEventKind.ClientDeadline);
    }

    private void DeadlineCheckFired(long sequence)
    {
        var fired = CheckFired(ref _deadlineCheck, sequence);
        while (_deadlines.TryPeek(out var op, out var key) && key.CompareTo(fired) <= 0)
        {
            _deadlines.Dequeue();
            ClientDeadlinePassed(op);
        }
        QueueDeadlineCheck();
    }

    /// <summary>Queues a check at <paramref name="key"/> unless one is already queued at or before it.</summary>
    private void QueueCheck(ref TimerKey? queued, TimerKey key, SimEventKind kind)
    {
        if (queued is { } q && q.CompareTo(key) <= 0) return;
        queued = key;
        _queue.Schedule(key.At, key.Seq, new SimEvent(kind, default, key.Seq, null));
    }

    /// <summary>The key of the check that just fired; the queued check is cleared when it is this one.</summary>
    private TimerKey CheckFired(ref TimerKey? queued, long sequence)
    {
        var fired = new TimerKey(Now.Ticks, sequence);
        if (queued == fired) queued = null;
        return fired;
    }
}
