namespace RaftVisualizer.Core;

/// <summary>
/// What a server keeps on stable storage (Figure 2): current term, voted for and the log.
/// It survives a crash; everything else a node holds is volatile and lost.
/// </summary>
public sealed class DurableState
{
    public DurableState() => Log = new RaftLog();

    private DurableState(DurableState source)
    {
        CurrentTerm = source.CurrentTerm;
        VotedFor = source.VotedFor;
        Log = source.Log.Clone();
    }

    /// <summary>An independent copy, as if the disk were imaged.</summary>
    internal DurableState Clone() => new(this);

    public long CurrentTerm { get; internal set; }
    public NodeId? VotedFor { get; internal set; }
    public RaftLog Log { get; }
}
