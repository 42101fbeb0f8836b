using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Core.Time;

/// <summary>
/// A future abandoned by acting in the past: its head (the cluster as it was when it was left)
/// with its commands and keyframes, kept so <see cref="Timeline.SwitchTo"/> can restore it exactly.
/// </summary>
public sealed class Branch
{
    internal Branch(Cluster head, List<Cluster> keyframes, long keyframeEvery, long forkedAtStep)
    {
        Head = head;
        Keyframes = keyframes;
        KeyframeEvery = keyframeEvery;
        ForkedAtStep = forkedAtStep;
    }

    internal Cluster Head { get; }
    internal List<Cluster> Keyframes { get; }
    internal long KeyframeEvery { get; }

    /// <summary>The step at which the other branch left this one.</summary>
    public long ForkedAtStep { get; }
    public long HeadStep => Head.Steps;
    public TimeSpan HeadTime => Head.Now;
    /// <summary>This branch's commands, each with its step.</summary>
    public IReadOnlyList<TimedCommand> Commands => Head.RecordedCommands;

    public override string ToString() => $"branch left at step {ForkedAtStep}, head at step {HeadStep} ({Commands.Count} commands)";
}
