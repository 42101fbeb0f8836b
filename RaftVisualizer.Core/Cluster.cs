using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// A Raft cluster inside a deterministic discrete-event simulation. Same options, seed and
/// actions give the same event stream. Nothing here reads a clock or starts a thread; time
/// moves only through <see cref="RunFor"/>, <see cref="RunUntil"/> and <see cref="Step"/>.
/// </summary>
public sealed partial class Cluster
{
    private readonly NodeSlot[] _slots;
    private readonly EventQueue _queue = new();
    private readonly SimRandom _networkRandom;
    private readonly SimRandom _clientRandom;
    private readonly EventRecord _events = new();
    /// <summary>The user's commands in order, each with the step and time it was applied at.</summary>
    private readonly ChunkedList<TimedCommand> _commands = new();

    public Cluster(ClusterOptions? options = null)
    {
        Options = options ?? ClusterOptions.Default;
        if (Options.Validate() is { } problem) throw new ArgumentException(problem, nameof(options));
        var root = new SimRandom(Options.Seed);
        _networkRandom = root.Fork();
        _clientRandom = root.Fork();
        _slots = Enumerable.Range(1, Options.NodeCount).Select(i => NodeSlot.Create(i, root.Fork(), Options.ClockDrift)).ToArray();
        Nodes = _slots.Select(s => new NodeView(s)).ToArray();
        Network = new SimNetwork(_slots.Select(s => s.Id).ToArray(), Options, RecordNetworkChange);
        Safety = new SafetyMonitor(Options.NodeCount);
        foreach (var slot in _slots) StartNode(slot, "the cluster started");
    }

    public ClusterOptions Options { get; }
    /// <summary>The simulated time.</summary>
    public TimeSpan Now { get; private set; }
    /// <summary>How many queued events have been processed.</summary>
    public long Steps { get; private set; }
    public IReadOnlyList<NodeView> Nodes { get; }
    public SimNetwork Network { get; }
    public SafetyMonitor Safety { get; }

    /// <summary>The recorded event stream (the newest <see cref="ClusterOptions.MaxRecordedEvents"/> at most).</summary>
    public IReadOnlyList<ClusterEvent> Events => _events;
    /// <summary>How many of the oldest events were discarded to keep the record bounded.</summary>
    public long EventsDiscarded { get; private set; }
    /// <summary>Raised for every event as it happens.</summary>
    public event Action<ClusterEvent>? EventRaised;

    /// <summary>The user's commands so far, enough with the options to replay this run.</summary>
    public Scenario Scenario => new(Options, _commands.ToArray());

    /// <summary>The recorded commands as a live list (no copy), for the timeline.</summary>
    internal IReadOnlyList<TimedCommand> RecordedCommands => _commands;

    public NodeView? Node(NodeId id) => id.Value >= 1 && id.Value <= _slots.Length ? Nodes[id.Value - 1] : null;

    /// <summary>
    /// The leader no live majority contradicts: a live leader, the one with the highest term,
    /// unless a majority of live nodes has already moved to a later term.
    /// </summary>
    public NodeId? Leader
    {
        get
        {
            NodeSlot? best = null;
            foreach (var s in _slots)
                if (s.Node is { Role: NodeRole.Leader } && (best is null || s.Durable.CurrentTerm > best.Durable.CurrentTerm)) best = s;
            if (best is null) return null;
            var later = _slots.Count(s => s.Node is not null && s.Durable.CurrentTerm > best.Durable.CurrentTerm);
            return later >= Options.NodeCount / 2 + 1 ? null : best.Id;
        }
    }

    private NodeSlot? Slot(NodeId id) => id.Value >= 1 && id.Value <= _slots.Length ? _slots[id.Value - 1] : null;

    private void StartNode(NodeSlot slot, string reason)
    {
        var host = new NodeHost(this, slot);
        slot.Node = new RaftNode(slot.Id, _slots.Select(s => s.Id), Options, slot.Durable, slot.Random, host, slot.ClockRate);
        slot.Node.Start(Now, reason);
    }

    internal void Emit(ClusterEvent e)
    {
        Safety.Observe(e);
        if (_events.Count >= Options.MaxRecordedEvents) EventsDiscarded += _events.DiscardOldest(Math.Max(1, _events.Count / 2));
        _events.Add(e);
        EventRaised?.Invoke(e);
    }

    private void Record(ClusterCommand command) => _commands.Add(new TimedCommand(Steps, Now, command));

    private void RecordNetworkChange(ClusterCommand command, string description)
    {
        Record(command);
        Emit(new NetworkChanged(Now, description));
    }
}
