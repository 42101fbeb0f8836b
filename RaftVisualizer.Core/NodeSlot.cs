using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>A server's place in the cluster: its durable state, its live node while up, and its timers.</summary>
internal sealed class NodeSlot
{
    public NodeSlot(NodeId id, SimRandom random)
    {
        Id = id;
        Random = random;
    }

    public NodeId Id { get; }
    public SimRandom Random { get; }
    public DurableState Durable { get; } = new();
    /// <summary>The running state machine, or null while the server is down.</summary>
    public RaftNode? Node { get; set; }
    /// <summary>Bumped to cancel the pending election timer.</summary>
    public long ElectionGeneration { get; set; }
    /// <summary>When the election timer is due, or null when it is stopped.</summary>
    public TimeSpan? ElectionDeadline { get; set; }
    /// <summary>
    /// When the one queued timer event fires. A reset that moves the deadline later leaves it
    /// queued; when it fires early it re-queues itself at the deadline (a lazy timer), so a
    /// follower's many resets cost no queue operations.
    /// </summary>
    public TimeSpan? ElectionQueuedAt { get; set; }
    /// <summary>Bumped to cancel the pending heartbeat timer.</summary>
    public long HeartbeatGeneration { get; set; }
}
