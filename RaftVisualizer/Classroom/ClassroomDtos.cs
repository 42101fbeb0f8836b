using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Snapshots;

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
/// Text is the event in words, told by the same narrator as the page's event feed (with the rule
/// that acted and its section). News is true when the page's feed shows the line by default; the
/// rest is routine traffic the feed shows only with its "messages" chip on.
/// </summary>
public sealed record EventDto(
    string Kind, double TimeMs, string Text,
    int? Node = null, long? Term = null, string? Role = null,
    long? MessageId = null, string? MessageKind = null, int? From = null, int? To = null, double? ArrivesMs = null,
    bool News = false);

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
    /// out for size. Timer resets (the deadline is in each batch's node states) and routine deliveries (a
    /// message arrives at its ArrivesMs unless a MessageDropped says otherwise) are not sent: they are most
    /// of the stream and carry nothing new for a viewer. A delivery the feed tells (a candidate receiving a
    /// vote) is sent, so a viewer reads every line the page's feed shows.
    /// </summary>
    public static (IReadOnlyList<EventDto> Events, int Dropped) Events(IReadOnlyList<ClusterEvent> events)
    {
        var kept = new List<ClusterEvent>(events.Count);
        foreach (var e in events)
            if (e is not (ElectionTimerReset or MessageDelivered) || e is MessageDelivered && EventNarrator.IsNews(e)) kept.Add(e);
        var skip = Math.Max(0, kept.Count - MaxEventsPerBatch);
        var list = new EventDto[kept.Count - skip];
        for (var i = skip; i < kept.Count; i++) list[i - skip] = Event(kept[i]);
        return (list, skip);
    }

    /// <summary>The event for a hub client: its fields, and its line told by <see cref="EventNarrator"/>, as the page's feed tells it.</summary>
    public static EventDto Event(ClusterEvent e)
    {
        var news = EventNarrator.Describe(e);
        return Fields(e) with { Text = news ?? EventNarrator.Describe(e, verbose: true) ?? e.GetType().Name, News = news is not null };
    }

    private static EventDto Fields(ClusterEvent e) => e switch
    {
        RoleChanged r => new(nameof(RoleChanged), Ms(r.Time), "", r.Node.Value, r.Term, r.Role.ToString()),
        TermChanged t => new(nameof(TermChanged), Ms(t.Time), "", t.Node.Value, t.Term),
        VoteCast v => new(nameof(VoteCast), Ms(v.Time), "", v.Voter.Value, v.Term, To: v.Candidate.Value),
        ElectionTimerReset t => new(nameof(ElectionTimerReset), Ms(t.Time), "", t.Node.Value, ArrivesMs: t.Deadline is { } dl ? Ms(dl) : null),
        NodeCrashed c => new(nameof(NodeCrashed), Ms(c.Time), "", c.Node.Value),
        NodeRestarted r => new(nameof(NodeRestarted), Ms(r.Time), "", r.Node.Value, r.Term),
        EntryAppended a => new(nameof(EntryAppended), Ms(a.Time), "", a.Node.Value, a.Entry.Term),
        LogTruncated t => new(nameof(LogTruncated), Ms(t.Time), "", t.Node.Value),
        CommitAdvanced c => new(nameof(CommitAdvanced), Ms(c.Time), "", c.Node.Value),
        EntryApplied a => new(nameof(EntryApplied), Ms(a.Time), "", a.Node.Value, a.Entry.Term),
        MessageSent m => new(nameof(MessageSent), Ms(m.Time), "", Term: m.Message.Term,
            MessageId: m.MessageId, MessageKind: m.Message.Kind, From: m.Message.From.Value, To: m.Message.To.Value, ArrivesMs: Ms(m.ArrivesAt)),
        MessageDelivered m => new(nameof(MessageDelivered), Ms(m.Time), "",
            MessageId: m.MessageId, MessageKind: m.Message.Kind, From: m.Message.From.Value, To: m.Message.To.Value),
        MessageDropped m => new(nameof(MessageDropped), Ms(m.Time), "",
            MessageId: m.MessageId, MessageKind: m.Message.Kind, From: m.Message.From.Value, To: m.Message.To.Value),
        ClientRequestSent c => new(nameof(ClientRequestSent), Ms(c.Time), "", To: c.To.Value),
        ClientRequestAnswered c => new(nameof(ClientRequestAnswered), Ms(c.Time), "", c.ServedBy?.Value),
        _ => new(e.GetType().Name, Ms(e.Time), ""),
    };

    public static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 3);
}
