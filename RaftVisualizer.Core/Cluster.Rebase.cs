using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Core;

/// <summary>Forgetting the oldest recorded commands, for a timeline rebased on a later keyframe (see <see cref="Time.Timeline"/>).</summary>
public sealed partial class Cluster
{
    /// <summary>
    /// How many recorded commands were dropped from the front of <see cref="Scenario"/> (copies keep the count):
    /// when more than zero, the scenario no longer replays this run from its options, and a host must say so
    /// instead of exporting or sharing it.
    /// </summary>
    public long CommandsForgotten { get; private set; }

    /// <summary>Drops the first <paramref name="count"/> recorded commands; a timeline does this to the head and to every keyframe it keeps alike.</summary>
    internal void ForgetCommands(int count)
    {
        _commands.RemoveFirst(count);
        CommandsForgotten += count;
    }
}
