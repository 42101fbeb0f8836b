using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;

namespace RaftVisualizer.Core;

/// <summary>Re-simulating a recorded scenario: the basis of replay, time travel, share links and forks.</summary>
public sealed partial class Cluster
{
    /// <summary>Builds a new cluster from the scenario's options and replays its commands, then runs to <paramref name="until"/>.</summary>
    public static Cluster Replay(Scenario scenario, TimeSpan? until = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var cluster = new Cluster(scenario.Options);
        foreach (var command in scenario.Commands) cluster.StepTo(command);
        if (until is { } end) cluster.RunTo(end);
        return cluster;
    }

    /// <summary>Carries out one command now and records it (with <see cref="Steps"/> and <see cref="Now"/>).</summary>
    public ActionResult Execute(ClusterCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Apply(this);
    }

    /// <summary>Steps to the command's step, moves the clock to its time, and applies it.</summary>
    internal ActionResult StepTo(TimedCommand command)
    {
        while (Steps < command.Step && Step()) { }
        if (command.At > Now) Now = command.At;
        return command.Command.Apply(this);
    }
}
