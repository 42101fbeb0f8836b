using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>
/// Simulated clients. Each operation is run by an idle client (one request at a time per
/// client, so sessions stay in order). A client follows not-leader hints, retries another server
/// when one stays silent, and gives up at its deadline.
/// </summary>
public sealed partial class Cluster
{
    private readonly ChunkedList<ClientOperation> _history = new();
    private readonly Dictionary<long, ClientOperation> _open = new();
    private readonly List<long> _clientNextSeq = new() { 0 };
    private readonly PriorityQueue<long, long> _idleClients = new(); // lowest id first
    private long _nextOperationId = 1;

    /// <summary>
    /// The client operations, oldest first: invoke time, completion time and result. Bounded by
    /// <see cref="ClusterOptions.MaxHistory"/>: older operations are dropped behind <see cref="HistoryCut"/>.
    /// </summary>
    public IReadOnlyList<ClientOperation> History => _history;

    /// <summary>
    /// What the dropped operations left for the linearizability checker; check with
    /// <c>LinearizabilityChecker.Check(ClusterHistoryAdapter.FromCluster(History), budget, HistoryCut)</c>.
    /// </summary>
    public HistoryCut HistoryCut { get; private set; } = HistoryCut.None;

    /// <summary>Starts a client operation at <paramref name="via"/> (or any server). Bad input completes at once as rejected.</summary>
    public ClientOperation Submit(KvCommand command, NodeId? via = null, TimeSpan? timeout = null)
    {
        if (Options.MaxHistory > 0 && _history.Count >= Options.MaxHistory) TrimHistory();
        var clientId = TakeIdleClient();
        var session = new ClientSession(clientId, ++_clientNextSeq[(int)clientId]);
        var op = new ClientOperation(_nextOperationId++, session, command ?? KvCommand.NoOp, Now, Now + (timeout ?? Options.ClientTimeout))
        {
            SubmittedCommand = command, SubmittedVia = via?.Value, SubmittedAfterStep = Steps,
        };
        _history.Add(op);
        Record(new ClusterCommand.Submit(command!, via, timeout));
        Emit(new ClientRequestStarted(Now, op.Id, clientId, op.Command));

        var problem = KvLimits.Validate(command) ?? (via is { } v && Slot(v) is null ? $"There is no node {v}: this cluster has S1 to S{_slots.Count}." : null);
        if (problem is not null)
        {
            Finish(op, KvResult.Rejected(problem), null);
            return op;
        }
        _open[op.Id] = op;
        StartDeadlineTimer(op);
        var members = ClientServers();
        SendAttempt(op, via ?? members[_clientRandom.Next(members.Length)], new ClientRouted(via is null ? ClientRoute.Random : ClientRoute.Told));
        return op;
    }

    /// <summary>
    /// Drops the older half of the history behind a cut at the invoke time of the first operation
    /// kept. Only finished operations are dropped, so the cut waits for the oldest running one;
    /// it runs no simulation and emits no event.
    /// </summary>
    private void TrimHistory()
    {
        var target = _history.Count - Options.MaxHistory / 2;
        var drop = 0;
        while (drop < target && _history[drop].IsCompleted) drop++;
        var cut = _history[drop].InvokedAt;
        while (drop > 0 && _history[drop - 1].InvokedAt == cut) drop--;
        if (drop < Math.Max(1, Options.MaxHistory / 4)) return; // the oldest running operation holds it back; try on a later submit
        HistoryCut = HistoryCut.Advance(ClusterHistoryAdapter.FromCluster(_history.Take(drop)), cut.Ticks);
        _history.RemoveFirst(drop);
    }

    private long TakeIdleClient()
    {
        if (_idleClients.Count > 0) return _idleClients.Dequeue();
        _clientNextSeq.Add(0);
        return _clientNextSeq.Count - 1;
    }

    private void SendAttempt(ClientOperation op, NodeId target, ClientRouted route)
    {
        var why = Reasons.For(route);
        var attempt = op.AddAttempt(target, Now, why);
        Emit(new ClientRequestSent(Now, op.Id, target, attempt.Number, why, route));
        _queue.Schedule(Now + Network.DrawLatency(target, target, _networkRandom), new SimEvent(SimEventKind.ClientArrive, target, attempt.Number, op));
        StartAttemptTimer(op, attempt.Number, target);
    }

    private void ClientArrives(NodeId target, ClientOperation op, int attempt)
    {
        if (Slot(target)?.Node is { } node) node.OnClientRequest(new ClientRequest(op.Id, attempt, op.Session, op.Command), Now);
    }

    internal void SendClientReply(ClientReply reply) =>
        _queue.Schedule(Now + Network.DrawLatency(reply.From, reply.From, _networkRandom), new SimEvent(SimEventKind.ClientReplyArrive, reply.From, 0, reply));

    private void ClientReplyArrives(ClientReply reply)
    {
        if (!_open.TryGetValue(reply.OperationId, out var op) || reply.Attempt != op.CurrentAttempt) return;
        if (reply.Result is { } result)
        {
            Finish(op, result, reply.From);
            return;
        }
        if (reply.LeaderHint is { } hint && hint != reply.From && Slot(hint) is not null && !op.Silent.Contains(hint))
            SendAttempt(op, hint, new ClientRouted(ClientRoute.Redirected, reply.From, hint));
        else
            _queue.Schedule(Now + Options.ClientRetryBackoff, new SimEvent(SimEventKind.ClientRetry, reply.From, op.CurrentAttempt, op));
    }

    private void ClientAttemptTimedOut(ClientOperation op, int attempt, NodeId target)
    {
        if (op.IsCompleted || attempt != op.CurrentAttempt) return;
        op.Silent.Add(target);
        SendAttempt(op, NextServer(op, target), new ClientRouted(ClientRoute.NoAnswer, target));
    }

    private void ClientRetry(ClientOperation op, int attempt, NodeId target)
    {
        if (!op.IsCompleted && attempt == op.CurrentAttempt)
            SendAttempt(op, NextServer(op, target), new ClientRouted(ClientRoute.NoLeaderKnown, target));
    }

    private void ClientDeadlinePassed(ClientOperation op)
    {
        if (op.IsCompleted) return;
        Finish(op, KvResult.TimedOut($"no committed answer within {(op.Deadline - op.InvokedAt).TotalSeconds:0.#} s after {op.CurrentAttempt} attempts"), null);
    }

    /// <summary>The next server round the ring after <paramref name="after"/>, preferring ones that have not gone silent.</summary>
    private NodeId NextServer(ClientOperation op, NodeId after)
    {
        var ring = ClientServers();
        var start = Array.FindIndex(ring, n => n.Value > after.Value); // the first server after it (it may have left the cluster)
        if (start < 0) start = 0;
        for (var step = 0; step < ring.Length; step++)
        {
            var candidate = ring[(start + step) % ring.Length];
            if (!op.Silent.Contains(candidate)) return candidate;
        }
        op.Silent.Clear(); // everyone went silent once: start trusting again
        return ring[start];
    }

    /// <summary>The servers a client knows of: the members of the cluster's configuration, by id.</summary>
    private NodeId[] ClientServers()
    {
        var config = Configuration;
        if (ReferenceEquals(config, _clientServersFor)) return _clientServers;
        _clientServersFor = config;
        return _clientServers = config.Members.ToArray();
    }

    private Configuration? _clientServersFor;
    private NodeId[] _clientServers = [];

    private void Finish(ClientOperation op, KvResult result, NodeId? servedBy)
    {
        op.Complete(result, servedBy, Now);
        _open.Remove(op.Id);
        _idleClients.Enqueue(op.ClientId, op.ClientId);
        Emit(new ClientRequestAnswered(Now, op.Id, op.Command, result, servedBy, Now - op.InvokedAt));
    }
}
