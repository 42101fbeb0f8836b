using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Core.Lessons;

/// <summary>
/// A guided run (DESIGN.md, "Lessons"): a scenario (options with the seed, setup commands) plus
/// steps. Built-in lessons and a lecturer's recorded ones are files of the same format (docs/lesson-format.md).
/// </summary>
public sealed record Lesson(string Id, string Title, string Summary, string Group, ClusterOptions Options,
    IReadOnlyList<ClusterCommand> Setup, IReadOnlyList<LessonStep> Steps)
{
    /// <summary>
    /// A lecturer's recorded run: commands applied at the exact step they were recorded at, as a
    /// scenario replays them, while the steps run (a recorded card's step runs until its moment,
    /// <see cref="LessonCondition.AtTime"/>). Empty for a built-in lesson, whose steps carry their commands.
    /// </summary>
    public IReadOnlyList<TimedCommand> Recorded { get; init; } = [];
}

/// <summary>
/// One step: a title, two or three sentences of narration, commands applied as it begins, what
/// it runs until (a condition, within <see cref="TimeoutMs"/>; or for <see cref="RunMs"/>), what to
/// highlight, what its narration claims (checked by a test), and optionally a prediction asked
/// before it runs or a branch (the same moment again with a switch changed).
/// </summary>
public sealed record LessonStep(string Title, string Narration)
{
    public IReadOnlyList<ClusterCommand> Do { get; init; } = [];
    public LessonCondition? Until { get; init; }
    /// <summary>Without <see cref="Until"/>: how long the step runs. With it: nothing.</summary>
    public double? RunMs { get; init; }
    /// <summary>How long the step may run before its condition must hold.</summary>
    public double TimeoutMs { get; init; } = 5000;
    public LessonHighlight? Highlight { get; init; }
    /// <summary>What the narration says is true once the step has run; a lesson's test checks every one.</summary>
    public IReadOnlyList<LessonCondition> Claims { get; init; } = [];
    public Prediction? Predict { get; init; }
    public LessonBranch? Branch { get; init; }
}

/// <summary>
/// What to draw attention to: servers, messages (by kind, sender <see cref="From"/> and receiver
/// <see cref="To"/>: <see cref="Lights"/>, on the canvas and the space-time diagram alike), log indexes.
/// </summary>
public sealed record LessonHighlight
{
    public IReadOnlyList<NodeId> Nodes { get; init; } = [];
    public IReadOnlyList<string> Messages { get; init; } = [];
    public IReadOnlyList<long> Entries { get; init; } = [];
    /// <summary>Only the messages these servers send (empty: from any).</summary>
    public IReadOnlyList<NodeId> From { get; init; } = [];
    /// <summary>Only the messages these servers receive (empty: to any).</summary>
    public IReadOnlyList<NodeId> To { get; init; } = [];

    /// <summary>
    /// Whether a message of kind <paramref name="kind"/> from <paramref name="from"/> to <paramref name="to"/>
    /// is highlighted: the highlight names messages (kinds, senders or receivers) and it is one of each
    /// that is named. A highlight of servers or entries alone lights no message.
    /// </summary>
    public bool Lights(string kind, NodeId from, NodeId to) =>
        (Messages.Count > 0 || From.Count > 0 || To.Count > 0)
        && (Messages.Count == 0 || Messages.Contains(kind, StringComparer.OrdinalIgnoreCase))
        && (From.Count == 0 || From.Contains(from))
        && (To.Count == 0 || To.Contains(to));

    public bool Equals(LessonHighlight? other) => other is not null && Nodes.SequenceEqual(other.Nodes) && Messages.SequenceEqual(other.Messages)
        && Entries.SequenceEqual(other.Entries) && From.SequenceEqual(other.From) && To.SequenceEqual(other.To);

    public override int GetHashCode() => HashCode.Combine(Nodes.Count, Messages.Count, Entries.Count, From.Count, To.Count);
}

/// <summary>A question asked before the step runs; each choice says in a condition when it is the true one.</summary>
public sealed record Prediction(string Question, IReadOnlyList<PredictionChoice> Choices, int Answer, string Explanation);

public sealed record PredictionChoice(string Text, LessonCondition? True = null);

/// <summary>
/// The step replays the lesson from the start of step <paramref name="FromStep"/> (0-based) with
/// switches changed ("the same moment with pre-vote on"), then runs its own commands.
/// </summary>
public sealed record LessonBranch(int FromStep, ProtocolChanges Changes);

/// <summary>The switches a branch may change; null leaves one as it was.</summary>
public sealed record ProtocolChanges(bool? PreVote = null, bool? CheckQuorum = null, bool? LeaderStickiness = null, ReadMode? ReadMode = null,
    int? MaxEntriesPerAppend = null, int? SnapshotThreshold = null)
{
    public ClusterOptions Apply(ClusterOptions o) => o with
    {
        PreVote = PreVote ?? o.PreVote, CheckQuorum = CheckQuorum ?? o.CheckQuorum, LeaderStickiness = LeaderStickiness ?? o.LeaderStickiness,
        ReadMode = ReadMode ?? o.ReadMode, MaxEntriesPerAppend = MaxEntriesPerAppend ?? o.MaxEntriesPerAppend,
        SnapshotThreshold = SnapshotThreshold ?? o.SnapshotThreshold,
    };

    public override string ToString() => string.Join(", ", new[]
    {
        PreVote is { } p ? $"pre-vote {(p ? "on" : "off")}" : null, CheckQuorum is { } q ? $"check-quorum {(q ? "on" : "off")}" : null,
        LeaderStickiness is { } s ? $"leader stickiness {(s ? "on" : "off")}" : null, ReadMode is { } r ? $"reads by {r}" : null,
        MaxEntriesPerAppend is { } m ? $"{m} entries per AppendEntries" : null, SnapshotThreshold is { } t ? $"snapshot every {t} entries" : null,
    }.Where(x => x is not null));
}
