using RaftVisualizer.Core.Frames;

namespace RaftVisualizer.Core.Time;

/// <summary>A stretch of a run rebuilt by <see cref="Timeline.ReplayWindow"/>: the frame and the learners at its start, and its events in order.</summary>
public sealed record TimelineWindow(ClusterFrame Start, IReadOnlyList<NodeId> Learners, IReadOnlyList<ClusterEvent> Events);
