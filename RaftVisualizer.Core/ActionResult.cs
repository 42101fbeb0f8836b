using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Core;

/// <summary>The outcome of a user action (crash, restart, partition, ...): done, or refused with why.</summary>
public sealed record ActionResult(bool Ok, string Message)
{
    public static ActionResult Done(string message) => new(true, message);
    public static ActionResult Refused(string message) => new(false, message);

    /// <summary>For a <see cref="ClusterCommand.Submit"/>: the client operation it started (also when its input was rejected), else null.</summary>
    public long? OperationId { get; init; }
}
