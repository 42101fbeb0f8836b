using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Events;
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

    /// <summary>Every message on the wire now, in the order sent (what <see cref="Frame"/> shows).</summary>
    private InFlightMessage[] InFlightNow() =>
        _inFlight.Values.OrderBy(f => f.Sent.MessageId)
            .Select(f => new InFlightMessage(f.Sent.MessageId, f.Sent.Message, f.Sent.Time, f.Sent.ArrivesAt, f.Lost)).ToArray();

    internal void Send(RaftMessage message)
    {
        if (Network.Filter is { } filter && !filter(message))
        {
            Emit(new MessageDropped(Now, _nextMessageId++, message, "a test filter dropped it", DropKind.Filtered));
            return;
        }
        if (!Network.CanReach(message.From, message.To))
        {
            Emit(new MessageDropped(Now, _nextMessageId++, message, $"the link {message.From}→{message.To} is cut", DropKind.LinkCut));
            return;
        }
        Launch(message);
        if (_networkRandom.Chance(Network.DuplicateRate)) Launch(message);
    }

    private void Launch(RaftMessage message)
    {
        var lost = _networkRandom.Chance(Network.LossRate);
        // A link's own loss is drawn only where one is set, so every other run keeps its random stream.
        if (Network.LinkLoss(message.From, message.To) is var linkLoss and > 0 && _networkRandom.Chance(linkLoss)) lost = true;
        var arrives = Now + Network.DrawLatency(message.From, message.To, _networkRandom);
        var sent = new MessageSent(Now, _nextMessageId++, message, arrives);
        _inFlight.Add(sent.MessageId, (sent, lost));
        Emit(sent);
        _queue.Schedule(arrives, new SimEvent(SimEventKind.Deliver, message.To, lost ? 1 : 0, sent));
    }

    /// <summary>
    /// Drops one message in flight now, as a student points at it: it never arrives. Refused when
    /// no message with that id is on the wire (it arrived, or was dropped already).
    /// </summary>
    public ActionResult DropMessage(long messageId)
    {
        if (!_inFlight.Remove(messageId, out var flight))
            return ActionResult.Refused($"Message {messageId} is not in flight any more: it arrived or was dropped.");
        Record(new ClusterCommand.DropMessage(messageId));
        Emit(new MessageDropped(Now, messageId, flight.Sent.Message, "the user dropped it", DropKind.ByUser));
        return ActionResult.Done($"Dropped {flight.Sent.Message.Kind} {flight.Sent.Message.From}→{flight.Sent.Message.To}: it will never arrive.");
    }

    /// <summary>
    /// Makes the network deliver one message in flight twice: a copy (a new message id) leaves
    /// the sender now and takes as long as the original does, so the receiver gets both.
    /// </summary>
    public ActionResult DuplicateMessage(long messageId)
    {
        if (!_inFlight.TryGetValue(messageId, out var flight))
            return ActionResult.Refused($"Message {messageId} is not in flight any more: it arrived or was dropped.");
        var m = flight.Sent.Message;
        Record(new ClusterCommand.DuplicateMessage(messageId));
        var copy = new MessageSent(Now, _nextMessageId++, m, Now + (flight.Sent.ArrivesAt - flight.Sent.Time));
        _inFlight.Add(copy.MessageId, (copy, flight.Lost));
        Emit(copy);
        _queue.Schedule(copy.ArrivesAt, new SimEvent(SimEventKind.Deliver, m.To, flight.Lost ? 1 : 0, copy));
        return ActionResult.Done($"Duplicated {m.Kind} {m.From}→{m.To}: {m.To} will receive it twice.");
    }

    private void Deliver(MessageSent flight, bool lost)
    {
        // A message the user dropped is no longer on the wire; its queued arrival does nothing.
        if (!_inFlight.Remove(flight.MessageId)) return;
        var m = flight.Message;
        var drop =
            lost ? ("the network lost it", DropKind.Lost) :
            !Network.CanReach(m.From, m.To) ? ($"the link {m.From}→{m.To} was cut while it was in flight", DropKind.CutInFlight) :
            Slot(m.To)?.Node is null ? ($"{m.To} is down", DropKind.ReceiverDown) : ((string, DropKind)?)null;
        if (drop is var (reason, kind))
        {
            Emit(new MessageDropped(Now, flight.MessageId, m, reason, kind));
            return;
        }
        Emit(new MessageDelivered(Now, flight.MessageId, m));
        Slot(m.To)!.Node!.Step(m, Now);
    }
}
