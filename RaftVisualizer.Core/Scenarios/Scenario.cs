namespace RaftVisualizer.Core;

/// <summary>A replayable run: options (with the seed) and the user's commands, each with the step at which it was applied.</summary>
public sealed record Scenario(ClusterOptions Options, IReadOnlyList<TimedCommand> Commands)
{
    public bool Equals(Scenario? other) => other is not null && Options == other.Options && Commands.SequenceEqual(other.Commands);

    public override int GetHashCode() => HashCode.Combine(Options, Commands.Count);
}
