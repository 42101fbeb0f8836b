namespace RaftVisualizer.Core.Time;

/// <summary>How often a timeline keeps a keyframe, and how many it may hold.</summary>
public sealed record TimelineOptions
{
    /// <summary>Simulation steps between keyframes at first; doubles each time old keyframes are thinned.</summary>
    public long KeyframeEvery { get; init; } = 20_000;

    /// <summary>
    /// The most keyframes kept. When one more is taken, every other keyframe is dropped (the first,
    /// at step 0, always stays) and the spacing doubles, so memory stays bounded however long the run.
    /// </summary>
    public int MaxKeyframes { get; init; } = 64;

    /// <summary>The most abandoned branches kept; the oldest is dropped beyond it.</summary>
    public int MaxBranches { get; init; } = 8;

    public static readonly TimelineOptions Default = new();

    internal string? Validate() =>
        KeyframeEvery < 1 ? "Keyframes need a spacing of at least one step." :
        MaxKeyframes < 2 ? "A timeline keeps at least two keyframes." :
        MaxBranches < 0 ? "The number of branches kept cannot be negative." : null;
}
