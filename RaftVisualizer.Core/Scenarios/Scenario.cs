using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Core.Scenarios;

/// <summary>
/// A replayable run: options (with the seed) and the user's commands, each with the step at which it
/// was applied; and, for the drawing only, where the user dragged servers (<see cref="Layout"/>:
/// empty when every server sits on the ring). The layout never changes what the simulation does.
/// </summary>
public sealed record Scenario(ClusterOptions Options, IReadOnlyList<TimedCommand> Commands)
{
    /// <summary>The dragged servers' centres on the drawing, in node order; a server absent here sits on the ring.</summary>
    public IReadOnlyList<ServerPosition> Layout { get; init; } = [];

    public bool Equals(Scenario? other) =>
        other is not null && Options == other.Options && Commands.SequenceEqual(other.Commands) && Layout.SequenceEqual(other.Layout);

    public override int GetHashCode() => HashCode.Combine(Options, Commands.Count, Layout.Count);
}
