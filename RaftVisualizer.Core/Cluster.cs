using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// A Raft cluster inside a deterministic discrete-event simulation. Same options, seed and
/// actions give the same event stream. Nothing here reads a clock or starts a thread; time
/// moves only through <see cref="RunFor"/>, <see cref="RunUntil"/> and <see cref="Step"/>.
/// </summary>
public sealed partial class Cluster
{
    private readonly List<NodeSlot> _slots;
    private readonly List<NodeView> _views;
    private readonly EventQueue _queue = new();
    private readonly SimRandom _networkRandom;
    private readonly SimRandom _clientRandom;
    /// <summary>The source each new server's own random source is forked from, in order.</summary>
    private readonly SimRandom _rootRandom;
    private readonly EventRecord _events = new();
    /// <summary>The last time each rule was applied over the whole run (the event record keeps only the newest events).</summary>
    private readonly RuleLedger _rules = new();
    /// <summary>The user's commands in order, each with the step and time it was applied at.</summary>
    private readonly ChunkedList<TimedCommand> _commands = new();

    public Cluster(ClusterOptions? options = null) : this(options, null)
    {
    }

    /// <summary>A new cluster, or with <paramref name="disks"/> one whose servers start from them (see <see cref="FromDisks"/>).</summary>
    private Cluster(ClusterOptions? options, IReadOnlyDictionary<NodeId, DurableState>? disks)
    {
        Options = options ?? ClusterOptions.Default;
        if (Options.Validate() is { } problem) throw new ArgumentException(problem, nameof(options));
        var root = new SimRandom(Options.Seed);
        _networkRandom = root.Fork();
        _clientRandom = root.Fork();
        _rootRandom = root;
        InitialConfiguration = Configuration.Initial(Options.NodeCount);
        var servers = disks is null ? Options.NodeCount : ServersFor(disks);
        _slots = Enumerable.Range(1, servers).Select(i => NodeSlot.Create(i, root.Fork(), Options.ClockDrift, disks?.GetValueOrDefault(i))).ToList();
        _views = _slots.Select(s => new NodeView(s, this)).ToList();
        Network = new SimNetwork(_slots.Select(s => s.Id).ToArray(), Options, RecordNetworkChange);
        Safety = new SafetyMonitor(InitialConfiguration);
        if (disks is not null) ResumeFrom(disks);
        foreach (var slot in _slots) StartNode(slot, disks is null ? "the cluster started" : "it started from its disk");
    }

    public ClusterOptions Options { get; }
    /// <summary>The simulated time.</summary>
    public TimeSpan Now { get; private set; }
    /// <summary>How many queued events have been processed.</summary>
    public long Steps { get; private set; }
    /// <summary>Every server this cluster has had, S1 first: members, learners and removed servers alike.</summary>
    public IReadOnlyList<NodeView> Nodes => _views;
    /// <summary>The configuration the cluster started with: S1 to S<see cref="ClusterOptions.NodeCount"/>, all voters.</summary>
    public Configuration InitialConfiguration { get; }
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

    public NodeView? Node(NodeId id) => id.Value >= 1 && id.Value <= _slots.Count ? _views[id.Value - 1] : null;

    /// <summary>
    /// The leader no live majority contradicts: a live leader, the one with the highest term,
    /// unless a majority of the voters in its configuration is up and has already moved to a later term.
    /// </summary>
    public NodeId? Leader => LeaderSlot()?.Id;

    private NodeSlot? LeaderSlot()
    {
        NodeSlot? best = null;
        foreach (var s in _slots)
            if (s.Node is { Role: NodeRole.Leader } && (best is null || s.Durable.CurrentTerm > best.Durable.CurrentTerm)) best = s;
        if (best is null) return null;
        var config = best.Node!.Config;
        var later = 0;
        foreach (var voter in config.Voters)
            if (Slot(voter) is { Node: not null } s && s.Durable.CurrentTerm > best.Durable.CurrentTerm) later++;
        return later >= config.Majority ? null : best;
    }

    /// <summary>
    /// The configuration the cluster is in now, as the leader's log has it; without a leader, the
    /// newest one any live server holds (the initial one when none has changed it).
    /// </summary>
    public Configuration Configuration
    {
        get
        {
            if (LeaderSlot()?.Node is { } leader) return leader.Config;
            RaftNode? newest = null;
            foreach (var s in _slots)
                if (s.Node is { } n && (newest is null || n.Log.LatestConfigIndex > newest.Log.LatestConfigIndex)) newest = n;
            return newest?.Config ?? InitialConfiguration;
        }
    }

    private NodeSlot? Slot(NodeId id) => id.Value >= 1 && id.Value <= _slots.Count ? _slots[id.Value - 1] : null;

    private void StartNode(NodeSlot slot, string reason)
    {
        var host = new NodeHost(this, slot);
        slot.Node = new RaftNode(slot.Id, InitialConfiguration, Options, slot.Durable, slot.Random, host, slot.ClockRate);
        slot.Node.Start(Now, reason);
    }

    internal void Emit(ClusterEvent e)
    {
        Safety.Observe(e);
        _rules.Observe(e);
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
