using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

/// <summary>A message on the wire, with when it left and when it lands.</summary>
public sealed record InFlightMessage(long Id, RaftMessage Message, TimeSpan SentAt, TimeSpan ArrivesAt, bool Lost);

/// <summary>Sending and delivering Raft messages over the simulated network.</summary>
public sealed partial class Cluster
{
    private readonly Dictionary<long, InFlightMessage> _inFlight = new();
    private long _nextMessageId = 1;

    /// <summary>Every message on the wire now, in the order sent.</summary>
    public IReadOnlyCollection<InFlightMessage> InFlight => _inFlight.Values;

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
        var flight = new InFlightMessage(_nextMessageId++, message, Now, arrives, lost);
        _inFlight.Add(flight.Id, flight);
        Emit(new MessageSent(Now, flight.Id, message, arrives));
        _queue.Schedule(arrives, new SimEvent(SimEventKind.Deliver, message.To, 0, flight));
    }

    private void Deliver(InFlightMessage flight)
    {
        _inFlight.Remove(flight.Id);
        var m = flight.Message;
        var reason =
            flight.Lost ? "the network lost it" :
            !Network.CanReach(m.From, m.To) ? $"the link {m.From}→{m.To} was cut while it was in flight" :
            Slot(m.To)?.Node is null ? $"{m.To} is down" : null;
        if (reason is not null)
        {
            Emit(new MessageDropped(Now, flight.Id, m, reason));
            return;
        }
        Emit(new MessageDelivered(Now, flight.Id, m));
        Slot(m.To)!.Node!.Step(m, Now);
    }
}
