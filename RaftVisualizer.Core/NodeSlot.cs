using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>A server's place in the cluster: its durable state, its live node while up, and its timers.</summary>
internal sealed class NodeSlot
{
    public NodeSlot(NodeId id, SimRandom random) : this(id, random, new DurableState()) { }

    /// <summary>
    /// A new server whose clock runs at a rate drawn from its own random source within ±<paramref name="drift"/> (no draw when 0),
    /// on <paramref name="disk"/> (a disk read back from storage) or an empty one.
    /// </summary>
    public static NodeSlot Create(NodeId id, SimRandom random, double drift, DurableState? disk = null) =>
        drift > 0
            ? new NodeSlot(id, random, disk ?? new DurableState()) { ClockRate = 1 - drift + 2 * drift * random.NextDouble() }
            : new NodeSlot(id, random, disk ?? new DurableState());

    private NodeSlot(NodeId id, SimRandom random, DurableState durable)
    {
        Id = id;
        Random = random;
        Durable = durable;
    }

    /// <summary>
    /// An independent copy: the random source in its exact state, an imaged disk, the timers, and
    /// the live node (if up) rebuilt over them with a host made by <paramref name="host"/> for the copy.
    /// </summary>
    public NodeSlot Clone(Func<NodeSlot, INodeHost> host)
    {
        var copy = new NodeSlot(Id, Random.Clone(), Durable.Clone())
        {
            ElectionGeneration = ElectionGeneration, ElectionDeadline = ElectionDeadline,
            ElectionQueuedAt = ElectionQueuedAt, HeartbeatGeneration = HeartbeatGeneration, ClockRate = ClockRate,
        };
        copy.Node = Node?.Clone(copy.Durable, copy.Random, host(copy));
        return copy;
    }

    public NodeId Id { get; }
    public SimRandom Random { get; }
    public DurableState Durable { get; }
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
    /// <summary>
    /// How fast this server's clock runs against simulated time (1 = exact). A property of the
    /// machine: drawn once, kept across restarts.
    /// </summary>
    public double ClockRate { get; init; } = 1;
    /// <summary>Bumped to cancel the pending heartbeat timer.</summary>
    public long HeartbeatGeneration { get; set; }
}
