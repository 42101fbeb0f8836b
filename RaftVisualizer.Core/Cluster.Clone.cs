using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Core;

/// <summary>
/// Copying the whole simulation at one instant: the basis of keyframes, forks and "what if".
/// </summary>
public sealed partial class Cluster
{
    /// <summary>
    /// An independent deep copy of the whole simulation at this instant: every server (its role,
    /// leader state, timers, KV map and disk), the network, the event queue with its tie order,
    /// every random source in its exact state, the clients and their operations in flight, the
    /// safety monitor, the recorded actions, the event record, <see cref="Now"/> and <see cref="Steps"/>.
    /// Given the same actions afterwards, the copy raises exactly the events this cluster does, and
    /// acting on one never changes the other.
    /// <para>What is shared rather than copied, because it never changes: the options, events,
    /// messages, log entries, and client operations that have completed (an operation still in
    /// flight is copied, so <see cref="History"/> of the copy holds its own object for it). The
    /// event record's full chunks are shared the same way. <see cref="SimNetwork.Filter"/> is shared
    /// by reference. Subscribers of <see cref="EventRaised"/> are not copied.</para>
    /// </summary>
    public Cluster Clone() => new(this, int.MaxValue);

    /// <summary>
    /// As <see cref="Clone()"/>, keeping only the newest <paramref name="keepEvents"/> events in the
    /// copy's record (the others count as discarded); a keyframe keeps none.
    /// </summary>
    public Cluster Clone(int keepEvents) => new(this, keepEvents);

    private Cluster(Cluster source, int keepEvents)
    {
        Options = source.Options;
        Now = source.Now;
        Steps = source.Steps;
        _networkRandom = source._networkRandom.Clone();
        _clientRandom = source._clientRandom.Clone();
        _rootRandom = source._rootRandom.Clone();
        InitialConfiguration = source.InitialConfiguration;
        _slots = source._slots.Select(s => s.Clone(slot => new NodeHost(this, slot))).ToList();
        _views = _slots.Select(s => new NodeView(s, this)).ToList();
        Network = new SimNetwork(source.Network, RecordNetworkChange);
        Safety = source.Safety.Clone();
        _events = source._events.CopyNewest(keepEvents);
        _rules = source._rules.Copy();
        EventsDiscarded = source.EventsDiscarded + source._events.Count - _events.Count;
        _commands = source._commands.Clone(); // recorded commands never change

        // Client operations: those in flight are copied, completed ones shared.
        var copies = new Dictionary<long, ClientOperation>(source._open.Count);
        foreach (var (id, op) in source._open) copies[id] = new ClientOperation(op);
        ClientOperation Mine(ClientOperation op) => copies.TryGetValue(op.Id, out var copy) && !op.IsCompleted ? copy : op;

        _history = source._history.Clone();
        HistoryCut = source.HistoryCut; // immutable: each cut makes a new one
        StartedFromDisks = source.StartedFromDisks;
        CommandsForgotten = source.CommandsForgotten;
        var open = copies.Count;
        for (var i = _history.Count - 1; i >= 0 && open > 0; i--) // operations in flight are among the newest
            if (!_history[i].IsCompleted)
            {
                _history[i] = copies[_history[i].Id];
                open--;
            }
        _open = copies;
        _clientNextSeq = new List<long>(source._clientNextSeq);
        _idleClients = new PriorityQueue<long, long>(source._idleClients.UnorderedItems); // client ids are unique priorities
        _nextOperationId = source._nextOperationId;

        _attemptTimers = new Queue<AttemptTimer>(source._attemptTimers.Select(t => t with { Op = Mine(t.Op) }));
        _attemptCheck = source._attemptCheck;
        _deadlines = new PriorityQueue<ClientOperation, TimerKey>(
            source._deadlines.UnorderedItems.Select(d => (Mine(d.Element), d.Priority))); // keys are unique (each has its own sequence)
        _deadlineCheck = source._deadlineCheck;

        _inFlight = new Dictionary<long, (MessageSent Sent, bool Lost)>(source._inFlight);
        _nextMessageId = source._nextMessageId;
        _queue = source._queue.Clone(e => e.Payload is ClientOperation op ? e with { Payload = Mine(op) } : e);
    }
}
