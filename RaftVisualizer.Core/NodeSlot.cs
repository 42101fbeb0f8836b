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
    /// <summary>Bumped to cancel the pending heartbeat timer.</summary>
    public long HeartbeatGeneration { get; set; }
}
