using RaftVisualizer.Core;

namespace RaftVisualizer.Classroom;

/// <summary>One server in a room snapshot: enough to draw it and its log's tail.</summary>
public sealed record NodeStateDto(
    int Id, string Name, bool Up, string Role, long Term, int? VotedFor, long Commit, long LastApplied,
    long LogLength, IReadOnlyList<string> LogTail, double? ElectionDeadlineMs);

/// <summary>A message on the wire, with its send and arrival time (simulated ms) so a client can animate it.</summary>
public sealed record MessageDto(long Id, string Kind, int From, int To, long Term, double SentMs, double ArrivesMs, bool Lost);

/// <summary>The full state of a room's cluster, so a late joiner is correct at once.</summary>
public sealed record RoomSnapshotDto(
    string Room, double NowMs, long Steps, double Speed, bool Paused, int? Leader,
    IReadOnlyList<NodeStateDto> Nodes, IReadOnlyList<MessageDto> Messages,
    IReadOnlyList<IReadOnlyList<int>> Groups, long PublishedAtUnixMs, long Generation = 0, bool Live = true);

/// <summary>
/// A compact per-node state carried in every batch (a handful of numbers), so no client drifts.
/// ElectionDeadlineMs replaces the stream of timer-reset events: a client draws the timer ring from it.
/// </summary>
public sealed record NodeBriefDto(int Id, bool Up, string Role, long Term, long Commit, long LogLength, double? ElectionDeadlineMs);

/// <summary>
/// One cluster event in a few fields. Kind is the event's type name (RoleChanged, MessageSent, ...);
/// Text is the event in words, as the feed shows it.
/// </summary>
public sealed record EventDto(
    string Kind, double TimeMs, string Text,
    int? Node = null, long? Term = null, string? Role = null,
    long? MessageId = null, string? MessageKind = null, int? From = null, int? To = null, double? ArrivesMs = null);

/// <summary>
/// The events of one pump publish. PublishedAtUnixMs is the server's wall clock at publish time
/// (clients compare it on receipt to measure delivery latency). Dropped counts events left out to
/// keep the batch small. Paused and Speed are the pump's (a room pauses itself when nobody presents for a while).
/// </summary>
public sealed record EventBatchDto(
    string Room, long Seq, double NowMs, int? Leader, IReadOnlyList<NodeBriefDto> Nodes,
    IReadOnlyList<EventDto> Events, int Dropped, long PublishedAtUnixMs, bool Paused = false, double Speed = 1);

/// <summary>What a hub client gets back from JoinRoom.</summary>
public sealed record JoinResultDto(string Room, int Viewers, int MaxViewers);

/// <summary>Builds the small DTOs from the core's snapshot and events.</summary>
public static class ClassroomMapper
{
    public const int LogTailLength = 8;
    public const int MaxEventsPerBatch = 200;

    public static RoomSnapshotDto Snapshot(string room, ClusterFrame s, double speed, bool paused, long publishedAt, long generation = 0, bool live = true) => new(
        room, Ms(s.Now), s.Steps, speed, paused, s.Leader?.Value,
        s.Nodes.Select(n => new NodeStateDto(
            n.Id.Value, n.Id.ToString(), n.IsUp, n.IsUp ? n.Role.ToString() : "Down", n.Term, n.VotedFor?.Value, n.CommitIndex, n.LastApplied,
            n.LastLogIndex, n.Log.Skip(Math.Max(0, n.Log.Count - LogTailLength)).Select(e => e.ToString()).ToArray(),
            n.ElectionDeadline is { } d ? Ms(d) : null)).ToArray(),
        s.Messages.Select(m => new MessageDto(m.Id, m.Message.Kind, m.Message.From.Value, m.Message.To.Value, m.Message.Term,
            Ms(m.SentAt), Ms(m.ArrivesAt), m.Lost)).ToArray(),
        s.Groups.Select(g => (IReadOnlyList<int>)g.Select(n => n.Value).ToArray()).ToArray(),
        publishedAt, generation, live);

    public static IReadOnlyList<NodeBriefDto> Briefs(ClusterFrame s) =>
        s.Nodes.Select(n => new NodeBriefDto(n.Id.Value, n.IsUp, n.IsUp ? n.Role.ToString() : "Down", n.Term, n.CommitIndex, n.LastLogIndex,
            n.ElectionDeadline is { } d ? Ms(d) : null)).ToArray();

    /// <summary>
    /// The events a hub client needs, newest <see cref="MaxEventsPerBatch"/> at most, and how many were left
    /// out for size. Timer resets (the deadline is in each batch's node states) and deliveries (a message
    /// arrives at its ArrivesMs unless a MessageDropped says otherwise) are not sent: they are most of the
    /// stream and carry nothing new for a viewer.
    /// </summary>
    public static (IReadOnlyList<EventDto> Events, int Dropped) Events(IReadOnlyList<ClusterEvent> events)
    {
        var kept = new List<ClusterEvent>(events.Count);
        foreach (var e in events)
            if (e is not (ElectionTimerReset or MessageDelivered)) kept.Add(e);
        var skip = Math.Max(0, kept.Count - MaxEventsPerBatch);
        var list = new EventDto[kept.Count - skip];
        for (var i = skip; i < kept.Count; i++) list[i - skip] = Event(kept[i]);
        return (list, skip);
    }

    public static EventDto Event(ClusterEvent e) => e switch
    {
        RoleChanged r => new(nameof(RoleChanged), Ms(r.Time), $"{r.Node} became {r.Role} in term {r.Term}: {r.Reason}", r.Node.Value, r.Term, r.Role.ToString()),
        TermChanged t => new(nameof(TermChanged), Ms(t.Time), $"{t.Node} moved to term {t.Term}: {t.Reason}", t.Node.Value, t.Term),
        VoteCast v => new(nameof(VoteCast), Ms(v.Time), $"{v.Voter} voted for {v.Candidate} in term {v.Term}", v.Voter.Value, v.Term, To: v.Candidate.Value),
        ElectionTimerReset t => new(nameof(ElectionTimerReset), Ms(t.Time), t.Deadline is { } d ? $"{t.Node} timer reset to {Ms(d):0} ms" : $"{t.Node} timer stopped",
            t.Node.Value, ArrivesMs: t.Deadline is { } dl ? Ms(dl) : null),
        NodeCrashed c => new(nameof(NodeCrashed), Ms(c.Time), $"{c.Node} crashed", c.Node.Value),
        NodeRestarted r => new(nameof(NodeRestarted), Ms(r.Time), $"{r.Node} restarted with term {r.Term} and {r.LogLength} entries", r.Node.Value, r.Term),
        EntryAppended a => new(nameof(EntryAppended), Ms(a.Time), $"{a.Node} appended {a.Entry}", a.Node.Value, a.Entry.Term),
        LogTruncated t => new(nameof(LogTruncated), Ms(t.Time), $"{t.Node} removed {t.RemovedCount} entries from index {t.FromIndex}", t.Node.Value),
        CommitAdvanced c => new(nameof(CommitAdvanced), Ms(c.Time), $"{c.Node} committed up to {c.CommitIndex}", c.Node.Value),
        EntryApplied a => new(nameof(EntryApplied), Ms(a.Time), $"{a.Node} applied {a.Entry} -> {a.Result}", a.Node.Value, a.Entry.Term),
        MessageSent m => new(nameof(MessageSent), Ms(m.Time), $"{m.Message.Kind} {m.Message.From}→{m.Message.To}", Term: m.Message.Term,
            MessageId: m.MessageId, MessageKind: m.Message.Kind, From: m.Message.From.Value, To: m.Message.To.Value, ArrivesMs: Ms(m.ArrivesAt)),
        MessageDelivered m => new(nameof(MessageDelivered), Ms(m.Time), $"{m.Message.Kind} {m.Message.From}→{m.Message.To} delivered",
            MessageId: m.MessageId, MessageKind: m.Message.Kind, From: m.Message.From.Value, To: m.Message.To.Value),
        MessageDropped m => new(nameof(MessageDropped), Ms(m.Time), $"{m.Message.Kind} {m.Message.From}→{m.Message.To} dropped: {m.Reason}",
            MessageId: m.MessageId, MessageKind: m.Message.Kind, From: m.Message.From.Value, To: m.Message.To.Value),
        NetworkChanged n => new(nameof(NetworkChanged), Ms(n.Time), n.Description),
        ClientRequestStarted c => new(nameof(ClientRequestStarted), Ms(c.Time), $"client {c.ClientId} sent {c.Command} (op #{c.OperationId})"),
        ClientRequestSent c => new(nameof(ClientRequestSent), Ms(c.Time), $"op #{c.OperationId} attempt {c.Attempt} to {c.To}: {c.Why}", To: c.To.Value),
        ClientRequestAnswered c => new(nameof(ClientRequestAnswered), Ms(c.Time), $"op #{c.OperationId} {c.Command} -> {c.Result}", c.ServedBy?.Value),
        _ => new(e.GetType().Name, Ms(e.Time), e.ToString()),
    };

    public static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 3);
}
