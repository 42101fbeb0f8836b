using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Core.SpaceTime;

/// <summary>
/// What the diagram of one window is built from: the state at the window's start, the events from a
/// little before it (<see cref="SpaceTimeBuilder.DefaultLookback"/>) to its end, and the commands in it.
/// Immutable and copied out of the timeline, so a view may build and filter it on any thread.
/// </summary>
/// <param name="Resimulated">True when the events were re-simulated from a keyframe (the window lay beyond the head's record).</param>
public sealed record SpaceTimeSlice(SpaceTimeStart Start, TimeSpan To, IReadOnlyList<ClusterEvent> Events, IReadOnlyList<TimedCommand> Commands, bool Resimulated)
{
    /// <summary>The longest window a slice covers: the diagram draws only what is visible, and no view shows more.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromSeconds(30);

    /// <summary>The most events a re-simulated slice collects (a window of a busy cluster holds a few thousand).</summary>
    public const int MaxEvents = 60_000;

    public TimeSpan From => Start.At;

    /// <summary>Every server with a lane in this window: those at its start and any that join during it.</summary>
    public IReadOnlyList<NodeId> Lanes => _lanes ??= Start.Lanes.Concat(Events.OfType<ServerAdded>().Select(s => s.Node)).Distinct().Order().ToArray();

    private IReadOnlyList<NodeId>? _lanes;

    /// <summary>The diagram of this window through <paramref name="filter"/>; a server that joins during the window gets a lane.</summary>
    public SpaceTimeWindow Build(SpaceTimeFilter? filter = null) =>
        SpaceTimeBuilder.Build(Events, Commands, Lanes.Count == Start.Lanes.Count ? Start : Start with { Lanes = Lanes }, To, filter);

    /// <summary>
    /// The slice of <paramref name="timeline"/> from <paramref name="from"/> to <paramref name="to"/> (clamped to the run, at most
    /// <see cref="MaxSpan"/> long). From the head's own record when it reaches back far enough and the state at
    /// <paramref name="from"/> follows from <paramref name="known"/> (an earlier start of this run, moved forward
    /// through the record); otherwise re-simulated from the nearest keyframe on a clone (<see cref="Timeline.ReplayWindow"/>),
    /// never touching the head. Not thread-safe, like the timeline: call it where the timeline is owned.
    /// </summary>
    public static SpaceTimeSlice Of(Timeline timeline, TimeSpan from, TimeSpan to, SpaceTimeStart? known = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        to = Clamp(to, timeline.StartTime, timeline.HeadTime);
        from = Clamp(from, timeline.StartTime, to);
        if (to - from > MaxSpan) from = to - MaxSpan;
        var lookback = SpaceTimeBuilder.DefaultLookback;
        var record = timeline.Head.Events;
        var commands = timeline.Commands;

        if (known is { } k && k.At <= from && record.Count > 0 && record[0].Time < k.At - lookback)
        {
            var start = Advance(k, record, commands, from);
            var first = FirstAtOrAfter(record, from - lookback);
            var last = FirstAfter(record, to);
            var events = new ClusterEvent[last - first];
            for (var i = first; i < last; i++) events[i - first] = record[i];
            return new SpaceTimeSlice(start, to, events, CommandsIn(commands, from, to), false);
        }

        var replay = timeline.ReplayWindow(from, to, lookback, MaxEvents);
        var fresh = SpaceTimeStart.From(replay.Start, replay.Learners) with { At = from };
        return new SpaceTimeSlice(fresh, to, replay.Events, CommandsIn(commands, from, to), true);
    }

    /// <summary>
    /// The state at <paramref name="at"/> from the state at <paramref name="start"/>'s moment and the events and commands
    /// between (events must include every one after <see cref="SpaceTimeStart.At"/> up to <paramref name="at"/>).
    /// </summary>
    public static SpaceTimeStart Advance(SpaceTimeStart start, IReadOnlyList<ClusterEvent> events, IReadOnlyList<TimedCommand> commands, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(commands);
        if (at <= start.At) return start;
        var lanes = start.Lanes.ToList();
        var down = start.Down.ToHashSet();
        var learners = start.Learners.ToHashSet();
        var terms = new Dictionary<NodeId, long>(start.Terms);
        for (var i = FirstAfter(events, start.At); i < events.Count && events[i].Time <= at; i++)
        {
            switch (events[i])
            {
                case NodeCrashed c:
                    down.Add(c.Node);
                    break;
                case NodeRestarted r:
                    down.Remove(r.Node);
                    terms[r.Node] = r.Term;
                    break;
                case TermChanged t:
                    terms[t.Node] = t.Term;
                    break;
                case RoleChanged r:
                    terms[r.Node] = r.Term;
                    break;
                case ServerAdded s:
                    if (!lanes.Contains(s.Node)) lanes.Add(s.Node);
                    learners.Add(s.Node);
                    break;
                case ConfigurationChanged c:
                    foreach (var voter in c.Config.Voters) learners.Remove(voter);
                    break;
            }
        }
        var groups = start.Groups;
        foreach (var c in commands)
        {
            if (c.At <= start.At) continue;
            if (c.At > at) break;
            if (c.Command is ClusterCommand.Partition p) groups = WithLoners(p.Groups, lanes);
            else if (c.Command is ClusterCommand.Heal) groups = [lanes.Order().ToArray()];
        }
        return new SpaceTimeStart(at, lanes.Order().ToArray(), down, learners, groups) { Terms = terms };
    }

    private static IReadOnlyList<IReadOnlyList<NodeId>> WithLoners(IReadOnlyList<IReadOnlyList<NodeId>> groups, IReadOnlyList<NodeId> lanes) =>
        groups.Select(g => (IReadOnlyList<NodeId>)g.Order().ToArray())
            .Concat(lanes.Where(l => !groups.Any(g => g.Contains(l))).Select(l => (IReadOnlyList<NodeId>)new[] { l }))
            .OrderBy(g => g.Min()).ToArray();

    private static IReadOnlyList<TimedCommand> CommandsIn(IReadOnlyList<TimedCommand> commands, TimeSpan from, TimeSpan to)
    {
        var result = new List<TimedCommand>();
        for (var i = commands.Count - 1; i >= 0 && commands[i].At > from; i--)
            if (commands[i].At <= to) result.Add(commands[i]);
        result.Reverse();
        return result;
    }

    private static TimeSpan Clamp(TimeSpan t, TimeSpan min, TimeSpan max) => t < min ? min : t > max ? max : t;

    /// <summary>The first event at or after <paramref name="time"/> (events are in time order).</summary>
    private static int FirstAtOrAfter(IReadOnlyList<ClusterEvent> events, TimeSpan time) => Search(events, e => e.Time < time);

    /// <summary>The first event after <paramref name="time"/>.</summary>
    private static int FirstAfter(IReadOnlyList<ClusterEvent> events, TimeSpan time) => Search(events, e => e.Time <= time);

    private static int Search(IReadOnlyList<ClusterEvent> events, Func<ClusterEvent, bool> before)
    {
        int lo = 0, hi = events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (before(events[mid])) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
