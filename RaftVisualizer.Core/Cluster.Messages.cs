using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>A message on the wire, with when it left and when it lands.</summary>
public sealed record InFlightMessage(long Id, RaftMessage Message, TimeSpan SentAt, TimeSpan ArrivesAt, bool Lost);

/// <summary>Sending and delivering Raft messages over the simulated network.</summary>
public sealed partial class Cluster
{
    // The MessageSent event doubles as the wire record (and the queued payload); Lost rides along.
    private readonly Dictionary<long, (MessageSent Sent, bool Lost)> _inFlight = new();
    private long _nextMessageId = 1;

    /// <summary>Every message on the wire now, in the order sent.</summary>
    public IReadOnlyCollection<InFlightMessage> InFlight => InFlightNow();

    private InFlightMessage[] InFlightNow() =>
        _inFlight.Values.OrderBy(f => f.Sent.MessageId)
            .Select(f => new InFlightMessage(f.Sent.MessageId, f.Sent.Message, f.Sent.Time, f.Sent.ArrivesAt, f.Lost)).ToArray();

    internal void Send(RaftMessage message)
    {
        if (Network.Filter is { } filter && !filter(message))
        {
            Emit(new MessageDropped(Now, _nextMessageId++, message, "a test filter dropped it"));
            return;
        }
        if (!Network.CanReach(message.From, message.To))
        {
            Emit(new MessageDropped(Now, _nextMessageId++, message, $"the link {message.From}→{message.To} is cut"));
            return;
        }
        Launch(message);
        if (_networkRandom.Chance(Network.DuplicateRate)) Launch(message);
    }

    private void Launch(RaftMessage message)
    {
        var lost = _networkRandom.Chance(Network.LossRate);
        var arrives = Now + Network.DrawLatency(message.From, message.To, _networkRandom);
        var sent = new MessageSent(Now, _nextMessageId++, message, arrives);
        _inFlight.Add(sent.MessageId, (sent, lost));
        Emit(sent);
        _queue.Schedule(arrives, new SimEvent(SimEventKind.Deliver, message.To, lost ? 1 : 0, sent));
    }

    private void Deliver(MessageSent flight, bool lost)
    {
        _inFlight.Remove(flight.MessageId);
        var m = flight.Message;
        var reason =
            lost ? "the network lost it" :
            !Network.CanReach(m.From, m.To) ? $"the link {m.From}→{m.To} was cut while it was in flight" :
            Slot(m.To)?.Node is null ? $"{m.To} is down" : null;
        if (reason is not null)
        {
            Emit(new MessageDropped(Now, flight.MessageId, m, reason));
            return;
        }
        Emit(new MessageDelivered(Now, flight.MessageId, m));
        Slot(m.To)!.Node!.Step(m, Now);
    }
}
