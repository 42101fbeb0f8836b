using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.SpaceTime;

/// <summary>What the diagram needs to know at the start of its window: the lanes, who is down, who is a learner, the partition.</summary>
public sealed record SpaceTimeStart(TimeSpan At, IReadOnlyList<NodeId> Lanes, IReadOnlySet<NodeId> Down, IReadOnlySet<NodeId> Learners,
    IReadOnlyList<IReadOnlyList<NodeId>> Groups)
{
    /// <summary>Each server's term at the start (marks carry the term they happened in).</summary>
    public IReadOnlyDictionary<NodeId, long> Terms { get; init; } = new Dictionary<NodeId, long>();

    /// <summary>The state a frame shows, with the learners of the configuration in force then.</summary>
    public static SpaceTimeStart From(ClusterFrame frame, IEnumerable<NodeId>? learners = null) => new(
        frame.Now, frame.Nodes.Select(n => n.Id).ToArray(), frame.Nodes.Where(n => !n.IsUp).Select(n => n.Id).ToHashSet(),
        (learners ?? []).ToHashSet(), frame.Groups)
    {
        Terms = frame.Nodes.ToDictionary(n => n.Id, n => n.Term),
    };
}

/// <summary>
/// Builds the space-time (Lamport) diagram of one window from the event stream and the recorded
/// commands: every message an arrow from send to arrival (or to where it was lost), marks for
/// role changes, commits, applies, crashes, snapshots and configuration changes, greyed spans
/// while a server is down, thin spans while it is a learner, and shaded partitions.
/// It reads only the events near the window, so a long run costs no more than a short one.
/// </summary>
public static class SpaceTimeBuilder
{
    /// <summary>How far before the window to look for sends that land in it (messages are rarely on the wire longer).</summary>
    public static readonly TimeSpan DefaultLookback = TimeSpan.FromSeconds(2);

    public static SpaceTimeWindow Build(IReadOnlyList<ClusterEvent> events, IReadOnlyList<TimedCommand> commands, SpaceTimeStart start, TimeSpan to,
        SpaceTimeFilter? filter = null, TimeSpan? lookback = null)
    {
        filter ??= SpaceTimeFilter.None;
        var from = start.At;
        var arrows = new Dictionary<long, SeqArrow>();
        var order = new List<long>();
        var marks = new List<LaneMark>();
        var spans = new List<LaneSpan>();
        var open = new Dictionary<(NodeId, SpanKind), TimeSpan>();
        foreach (var down in start.Down) open[(down, SpanKind.Down)] = from;
        foreach (var learner in start.Learners) open[(learner, SpanKind.Learner)] = from;
        var terms = new Dictionary<NodeId, long>(start.Terms);
        var requests = new Dictionary<(NodeId From, NodeId To, string Kind, long Term, long Round), (long Id, bool Heartbeat)>();
        (RaftMessage? Message, TimeSpan At, int Copies) lastSend = (null, TimeSpan.Zero, 0);

        void Close(NodeId node, SpanKind kind, TimeSpan at)
        {
            if (open.Remove((node, kind), out var began) && at >= from) spans.Add(new LaneSpan(node, began, at, kind));
        }

        void Mark(NodeId node, TimeSpan at, MarkKind kind, string text)
        {
            if (at >= from && at <= to) marks.Add(new LaneMark(node, at, kind, terms.GetValueOrDefault(node), text));
        }

        for (var i = FirstAtOrAfter(events, from - (lookback ?? DefaultLookback)); i < events.Count && events[i].Time <= to; i++)
        {
            var e = events[i];
            var inWindow = e.Time >= from;
            switch (e)
            {
                case MessageSent s:
                {
                    var copy = ReferenceEquals(lastSend.Message, s.Message) && lastSend.At == s.Time ? ++lastSend.Copies : (lastSend = (s.Message, s.Time, 0)).Copies;
                    var (heartbeat, replyTo) = Pair(s, requests);
                    arrows[s.MessageId] = new SeqArrow(s.MessageId, s.Message, s.Time, s.ArrivesAt, ArrowFate.InFlight, null, heartbeat, replyTo, copy);
                    order.Add(s.MessageId);
                    break;
                }
                case MessageDelivered d when arrows.TryGetValue(d.MessageId, out var a):
                    arrows[d.MessageId] = a with { EndsAt = d.Time, Fate = ArrowFate.Delivered };
                    break;
                case MessageDropped d when arrows.TryGetValue(d.MessageId, out var a):
                    arrows[d.MessageId] = a with { EndsAt = d.Time, Fate = d.LostOnTheWay ? ArrowFate.Lost : ArrowFate.Dropped, Why = d.Reason };
                    break;
                case MessageDropped d when inWindow: // never left the sender: the link was cut
                    arrows[d.MessageId] = new SeqArrow(d.MessageId, d.Message, d.Time, d.Time, ArrowFate.Dropped, d.Reason, d.Message is AppendEntries { IsHeartbeat: true }, null, 0);
                    order.Add(d.MessageId);
                    break;
                case TermChanged t:
                    terms[t.Node] = t.Term;
                    break;
                case RoleChanged r:
                    terms[r.Node] = r.Term;
                    Mark(r.Node, r.Time, MarkKind.Role, $"{r.Role} (term {r.Term}): {r.Reason}");
                    break;
                case CommitAdvanced c:
                    Mark(c.Node, c.Time, MarkKind.Commit, $"commit index {c.CommitIndex}");
                    break;
                case EntryApplied a:
                    Mark(a.Node, a.Time, MarkKind.Apply, $"applied {a.Entry}");
                    break;
                case NodeCrashed c:
                    Mark(c.Node, c.Time, MarkKind.Crash, $"{c.Node} crashed");
                    if (!open.ContainsKey((c.Node, SpanKind.Down))) open[(c.Node, SpanKind.Down)] = Max(c.Time, from);
                    break;
                case NodeRestarted r:
                    Mark(r.Node, r.Time, MarkKind.Restart, $"{r.Node} restarted with term {r.Term} and {r.LogLength} entries");
                    Close(r.Node, SpanKind.Down, r.Time);
                    break;
                case SnapshotTaken s:
                    Mark(s.Node, s.Time, MarkKind.Snapshot, $"snapshot up to {s.LastIndex} (term {s.LastTerm}), {s.EntriesDropped} entries dropped");
                    break;
                case SnapshotInstalled s:
                    Mark(s.Node, s.Time, MarkKind.Snapshot, $"installed {s.From}'s snapshot up to {s.LastIndex}");
                    break;
                case ServerAdded s:
                    Mark(s.Node, s.Time, MarkKind.Joined, $"{s.Node} joined as a learner");
                    open[(s.Node, SpanKind.Learner)] = Max(s.Time, from);
                    break;
                case ConfigurationChanged c:
                    Mark(c.Node, c.Time, MarkKind.Configuration, $"{c.Config} (entry {c.Index})");
                    foreach (var voter in c.Config.Voters) Close(voter, SpanKind.Learner, c.Time);
                    break;
            }
        }
        foreach (var ((node, kind), began) in open) spans.Add(new LaneSpan(node, began, null, kind));

        var kept = order.Select(id => arrows[id]).Where(a => a.EndsAt >= from && a.SentAt <= to && filter.Keeps(a)).ToArray();
        return new SpaceTimeWindow(from, to, filter.OnlyServer is { } only ? start.Lanes.Where(l => l == only).ToArray() : start.Lanes,
            kept, marks.Where(filter.Keeps).ToArray(), spans, Partitions(commands, start, to));
    }

    /// <summary>
    /// Whether a sent message is heartbeat traffic, and which request it answers: an AppendEntries
    /// pairs with its reply by term and heartbeat round, a vote request by term and kind.
    /// </summary>
    private static (bool Heartbeat, long? ReplyTo) Pair(MessageSent s,
        Dictionary<(NodeId From, NodeId To, string Kind, long Term, long Round), (long Id, bool Heartbeat)> requests)
    {
        switch (s.Message)
        {
            case AppendEntries m:
                requests[(m.From, m.To, "AE", m.Term, m.Round)] = (s.MessageId, m.IsHeartbeat);
                return (m.IsHeartbeat, null);
            case AppendEntriesReply r when requests.TryGetValue((r.To, r.From, "AE", r.Term, r.Round), out var q):
                return (q.Heartbeat && r.Success, q.Id);
            case RequestVote v:
                requests[(v.From, v.To, v.Kind, 0, 0)] = (s.MessageId, false);
                return (false, null);
            case RequestVoteReply r when requests.TryGetValue((r.To, r.From, r.PreVote ? "PreVote" : "RequestVote", 0, 0), out var q):
                return (false, q.Id);
            case InstallSnapshot m:
                requests[(m.From, m.To, "IS", m.Term, m.Round)] = (s.MessageId, false);
                return (false, null);
            case InstallSnapshotReply r when requests.TryGetValue((r.To, r.From, "IS", r.Term, r.Round), out var q):
                return (false, q.Id);
            default:
                return (false, null);
        }
    }

    /// <summary>The partitions in force during the window: the one at its start, then each recorded partition until a heal or the next one.</summary>
    private static IReadOnlyList<PartitionSpan> Partitions(IReadOnlyList<TimedCommand> commands, SpaceTimeStart start, TimeSpan to)
    {
        var result = new List<PartitionSpan>();
        (TimeSpan From, IReadOnlyList<IReadOnlyList<NodeId>> Groups)? current = start.Groups.Count > 1 ? (start.At, start.Groups) : null;
        foreach (var c in commands)
        {
            if (c.At <= start.At) continue;
            if (c.At > to) break;
            if (c.Command is not (ClusterCommand.Partition or ClusterCommand.Heal)) continue;
            if (current is { } was) result.Add(new PartitionSpan(was.From, c.At, was.Groups));
            current = c.Command is ClusterCommand.Partition p ? (c.At, WithLoners(p.Groups, start.Lanes)) : null;
        }
        if (current is { } last) result.Add(new PartitionSpan(last.From, null, last.Groups));
        return result;
    }

    /// <summary>A partition's groups with every server it does not name standing alone, as the network treats them.</summary>
    private static IReadOnlyList<IReadOnlyList<NodeId>> WithLoners(IReadOnlyList<IReadOnlyList<NodeId>> groups, IReadOnlyList<NodeId> lanes) =>
        groups.Concat(lanes.Where(l => !groups.Any(g => g.Contains(l))).Select(l => (IReadOnlyList<NodeId>)new[] { l }))
            .OrderBy(g => g.Min()).ToArray();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The first event at or after <paramref name="time"/> (events are in time order).</summary>
    private static int FirstAtOrAfter(IReadOnlyList<ClusterEvent> events, TimeSpan time)
    {
        int lo = 0, hi = events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (events[mid].Time < time) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
