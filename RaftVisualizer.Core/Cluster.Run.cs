using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>Moving simulated time: the event loop.</summary>
public sealed partial class Cluster
{
    /// <summary>The time of the next queued event, if any.</summary>
    public TimeSpan? NextEventAt => _queue.TryPeekTime(out var at) ? at : null;

    /// <summary>Timed events waiting in the queue (messages in flight, timers, client retries): for a keyframe's size estimate.</summary>
    internal int QueuedEvents => _queue.Count;

    /// <summary>Client operations still in flight (each copied by a clone).</summary>
    internal int OpenOperations => _open.Count;

    /// <summary>Processes every event up to Now + <paramref name="duration"/>, then sets the clock there.</summary>
    public void RunFor(TimeSpan duration) => RunTo(Now + duration);

    public void RunTo(TimeSpan until)
    {
        while (_queue.TryPeekTime(out var at) && at <= until) Step();
        if (until > Now) Now = until;
    }

    /// <summary>Runs event by event until <paramref name="condition"/> holds or <paramref name="timeout"/> of simulated time passes.</summary>
    public bool RunUntil(Func<Cluster, bool> condition, TimeSpan timeout)
    {
        var until = Now + timeout;
        if (condition(this)) return true;
        while (_queue.TryPeekTime(out var at) && at <= until)
        {
            Step();
            if (condition(this)) return true;
        }
        if (until > Now) Now = until;
        return condition(this);
    }

    /// <summary>Processes the next queued event, moving the clock to its time. False when nothing is queued.</summary>
    public bool Step()
    {
        if (_queue.Count == 0) return false;
        var e = _queue.Dequeue(out var at);
        Now = at;
        Steps++;
        Process(e);
        return true;
    }

    internal void QueueElectionTimer(NodeSlot slot, TimeSpan at)
    {
        slot.ElectionGeneration++;
        slot.ElectionQueuedAt = at;
        _queue.Schedule(at, new SimEvent(SimEventKind.ElectionTimer, slot.Id, slot.ElectionGeneration, null));
    }

    private void ElectionTimerFired(NodeSlot slot, RaftNode node)
    {
        slot.ElectionQueuedAt = null;
        if (slot.ElectionDeadline is not { } deadline) return;          // stopped since it was queued
        if (deadline > Now) { QueueElectionTimer(slot, deadline); return; } // reset since: wait for the new deadline
        node.OnElectionTimeout(Now);
    }

    private void Process(SimEvent e)
    {
        switch (e.Kind)
        {
            case SimEventKind.Deliver: Deliver((MessageSent)e.Payload!, e.Generation == 1); break;
            case SimEventKind.ElectionTimer:
                if (Slot(e.Node) is { Node: { } n } s && s.ElectionGeneration == e.Generation) ElectionTimerFired(s, n);
                break;
            case SimEventKind.HeartbeatTimer:
                if (Slot(e.Node) is { Node: { } h } hs && hs.HeartbeatGeneration == e.Generation) h.OnHeartbeatTimeout(Now);
                break;
            case SimEventKind.ClientArrive: ClientArrives(e.Node, (ClientOperation)e.Payload!, (int)e.Generation); break;
            case SimEventKind.ClientReplyArrive: ClientReplyArrives((ClientReply)e.Payload!); break;
            case SimEventKind.ClientAttemptTimeout: AttemptCheckFired(e.Generation); break;
            case SimEventKind.ClientRetry: ClientRetry((ClientOperation)e.Payload!, (int)e.Generation, e.Node); break;
            case SimEventKind.ClientDeadline: DeadlineCheckFired(e.Generation); break;
        }
    }
}
