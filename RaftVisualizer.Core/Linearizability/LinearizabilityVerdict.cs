namespace RaftVisualizer.Core.Linearizability;

/// <summary>The outcome of a linearizability check.</summary>
public enum LinearizabilityVerdict
{
    Linearizable,
    NotLinearizable,

    /// <summary>The time budget ran out before a verdict was reached.</summary>
    Unknown,
}
