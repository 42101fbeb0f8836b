namespace RaftVisualizer.Core;

/// <summary>
/// What a server keeps on stable storage (Figure 2): current term, voted for and the log.
/// It survives a crash; everything else a node holds is volatile and lost.
/// </summary>
public sealed class DurableState
{
    public long CurrentTerm { get; internal set; }
    public NodeId? VotedFor { get; internal set; }
    public RaftLog Log { get; } = new();
}
