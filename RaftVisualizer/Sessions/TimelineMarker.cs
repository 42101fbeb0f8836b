using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Sessions;

/// <summary>What a marker on the timeline stands for; its name (lower case, dashed) is the marker's <c>data-kind</c>.</summary>
public enum MarkerKind
{
    LeaderElected,
    Crash,
    Restart,
    Partition,
    Heal,
    ClientAnswer,
    SafetyViolation,
    /// <summary>The leader changed the configuration: a server added as a learner, promoted to voter, or removed.</summary>
    Membership,
}

/// <summary>A moment worth jumping to: the step right after it happened, its simulated time, and a sentence for the tooltip.</summary>
public sealed record TimelineMarker(long Step, TimeSpan Time, MarkerKind Kind, string Label)
{
    /// <summary>"leader-elected", "crash", "safety-violation", ...: the marker's <c>data-kind</c>.</summary>
    public string KindName => Kind switch
    {
        MarkerKind.LeaderElected => "leader-elected",
        MarkerKind.ClientAnswer => "client-answer",
        MarkerKind.SafetyViolation => "safety-violation",
        var k => k.ToString().ToLowerInvariant(),
    };

    /// <summary>The marker for a head event, or null when the event is not a landmark.</summary>
    public static TimelineMarker? For(long step, ClusterEvent e) => e switch
    {
        RoleChanged { Role: NodeRole.Leader } r => new(step, e.Time, MarkerKind.LeaderElected, $"{r.Node} became leader for term {r.Term}"),
        NodeCrashed c => new(step, e.Time, MarkerKind.Crash, $"{c.Node} crashed"),
        NodeRestarted r => new(step, e.Time, MarkerKind.Restart, $"{r.Node} restarted"),
        NetworkChanged n when IsHeal(n.Description) => new(step, e.Time, MarkerKind.Heal, n.Description),
        NetworkChanged n when n.Description.StartsWith("network partitioned", StringComparison.Ordinal) || n.Description.EndsWith(" cut", StringComparison.Ordinal) => new(step, e.Time, MarkerKind.Partition, n.Description),
        // The leader's own configuration entries (each follower then tells its copy): one marker per change.
        ConfigurationChanged { Cause.Source: ConfigSource.Proposed or ConfigSource.LearnerCaughtUp } c =>
            new(step, e.Time, MarkerKind.Membership, $"{c.Node} changes the configuration to {c.Config}"),
        ClientRequestAnswered a => new(step, e.Time, MarkerKind.ClientAnswer, $"{a.Command}: {a.Result.Status}" + (a.ServedBy is { } by ? $" (served by {by})" : "")),
        _ => null,
    };

    private static bool IsHeal(string description) => description.StartsWith("network healed", StringComparison.Ordinal);
}

/// <summary>A head event with the step it happened in (commands count as happening right after their step).</summary>
public readonly record struct StampedEvent(long Step, ClusterEvent Event);

/// <summary>
/// One publish as a page sees it: the frame at the cursor, the head's new events with their steps,
/// the pump's generation (bumped by a reset or a replay, so every viewer clears its feed), and the
/// step after which a fork cut the feed (null when nothing was cut), and whether the frame is the head's (live).
/// </summary>
public sealed record Publication(ClusterFrame Frame, IReadOnlyList<StampedEvent> Events, long Generation, long? CutAfterStep, bool IsLive)
{
    private bool[]? _isNews;

    /// <summary>
    /// Whether the feed tells each event by default (<see cref="EventNarrator.IsNews"/>), worked out once
    /// for the first page that asks, however many pages watch the pump, and never when none does.
    /// </summary>
    public bool IsNews(int index)
    {
        var news = _isNews;
        if (news is null)
        {
            news = new bool[Events.Count];
            for (var i = 0; i < news.Length; i++) news[i] = EventNarrator.IsNews(Events[i].Event);
            _isNews = news;
        }
        return news[index];
    }
}

/// <summary>An abandoned future as a page lists it: where it was left, how far it ran, and its last action.</summary>
public sealed record BranchInfo(int Index, long ForkedAtStep, long HeadStep, TimeSpan HeadTime, int Commands, string? LastCommand);
