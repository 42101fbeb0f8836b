namespace RaftVisualizer.Core;

public enum ScenarioActionKind
{
    Crash, Restart, ForceTimeout, Partition, Heal, Cut, SetLatency, SetLinkLatency, SetLoss, SetDuplication, Submit,
    SetLinkLoss, Uncut, DropMessage, DuplicateMessage,
}

/// <summary>
/// One user action, stamped with the simulated time and the number of simulation steps taken
/// before it, so a replay applies it at exactly the same point.
/// </summary>
public sealed record ScenarioAction(ScenarioActionKind Kind)
{
    public TimeSpan At { get; init; }
    public long AfterStep { get; init; }
    public int? Node { get; init; }
    public int? From { get; init; }
    public int? To { get; init; }
    public int[][]? Groups { get; init; }
    public TimeSpan? Min { get; init; }
    public TimeSpan? Max { get; init; }
    public double? Rate { get; init; }
    /// <summary>The message in flight that DropMessage or DuplicateMessage acts on.</summary>
    public long? Message { get; init; }
    public KvCommand? Command { get; init; }
}

/// <summary>A replayable run: options (with the seed) and the timed user actions.</summary>
public sealed record Scenario(ClusterOptions Options, IReadOnlyList<ScenarioAction> Actions);
