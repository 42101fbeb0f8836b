using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;

namespace RaftVisualizer.Sessions;

/// <summary>What a typed command did, and the head's frame right after it (its leader, its nodes): see <see cref="ClusterPump.ExecuteWithFrame"/>.</summary>
public sealed record CommandOutcome(ActionResult Result, ClusterFrame Frame);
