namespace RaftVisualizer.Core.Time;

/// <summary>How often a timeline keeps a keyframe, and how many (and how many bytes of them) it may hold.</summary>
public sealed record TimelineOptions
{
    /// <summary>Simulation steps between keyframes at first; doubles each time old keyframes are thinned.</summary>
    public long KeyframeEvery { get; init; } = 20_000;

    /// <summary>
    /// The most keyframes kept. When one more is taken, every other keyframe is dropped (the first,
    /// at step 0, always stays) and the spacing doubles, so memory stays bounded however long the run.
    /// </summary>
    public int MaxKeyframes { get; init; } = 64;

    /// <summary>
    /// The most bytes the keyframes may keep alive, by <see cref="KeyframeSize.Estimate"/>. When a new keyframe
    /// takes the total over it, old ones are thinned as for <see cref="MaxKeyframes"/> (every other one goes, the
    /// spacing doubles) until the total fits; the first keyframe and one more always stay, so a budget under two
    /// keyframes' worth is exceeded by those two. A private page's timeline: 2 MB (its whole session must stay under
    /// 8 MB); a room's: <see cref="Room"/>.
    /// </summary>
    public long MaxKeyframeBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>
    /// The most recorded commands this branch keeps, or 0 for all of them (a page's run, which is bounded by
    /// its idle limit, keeps all so it can always be exported). Past it, whenever a keyframe is taken, the
    /// timeline is rebased on the oldest keyframe that leaves at most this many commands after it (or on the
    /// newest): the commands, keyframes and moments before it are forgotten, so memory stays bounded under
    /// unlimited writes (the curl API's shared cluster), and the run can no longer be exported
    /// (<see cref="Timeline.ExportProblem"/>) or sought before <see cref="Timeline.StartStep"/>.
    /// </summary>
    public int MaxCommands { get; init; }

    /// <summary>The most abandoned branches kept; the oldest is dropped beyond it.</summary>
    public int MaxBranches { get; init; } = 8;

    public static readonly TimelineOptions Default = new();

    /// <summary>A classroom room's timeline: many viewers share it, so its keyframes may use up to 64 MB.</summary>
    public static readonly TimelineOptions Room = new() { MaxKeyframeBytes = 64L * 1024 * 1024 };

    internal string? Validate() =>
        KeyframeEvery < 1 ? "Keyframes need a spacing of at least one step." :
        MaxKeyframes < 2 ? "A timeline keeps at least two keyframes." :
        MaxKeyframeBytes < 1 ? "The keyframes' byte budget must be positive." :
        MaxCommands < 0 ? "The number of commands kept cannot be negative (0 keeps all)." :
        MaxBranches < 0 ? "The number of branches kept cannot be negative." : null;
}
