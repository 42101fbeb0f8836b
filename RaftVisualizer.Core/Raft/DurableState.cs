using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// What a server keeps on stable storage (Figure 2): current term, voted for and the log, plus
/// the latest snapshot once the log has been compacted (section 7). It survives a crash;
/// everything else a node holds is volatile and lost.
/// </summary>
public sealed class DurableState
{
    public DurableState() => Log = new RaftLog();

    private DurableState(DurableState source)
    {
        CurrentTerm = source.CurrentTerm;
        VotedFor = source.VotedFor;
        Log = source.Log.Clone();
        Snapshot = source.Snapshot;
    }

    /// <summary>
    /// A disk read back from storage: the term, the vote, the snapshot (if any) and the entries
    /// after it. Null with the reason when the pieces do not fit together.
    /// </summary>
    public static DurableState? Restore(long term, NodeId? votedFor, Snapshot? snapshot, IEnumerable<LogEntry> entries, out string? problem)
    {
        problem = null;
        var state = new DurableState { CurrentTerm = term, VotedFor = votedFor, Snapshot = snapshot };
        if (term < 0) { problem = "the term is negative"; return null; }
        if (snapshot is not null) state.Log.InstallSnapshot(snapshot);
        foreach (var entry in entries)
        {
            if (entry.Index != state.Log.LastIndex + 1) { problem = $"entry {entry.Index} does not follow index {state.Log.LastIndex}"; return null; }
            if (entry.Term > term) { problem = $"entry {entry.Index} has term {entry.Term}, later than the current term {term}"; return null; }
            state.Log.Append(entry);
        }
        return state;
    }

    /// <summary>An independent copy, as if the disk were imaged.</summary>
    internal DurableState Clone() => new(this);

    public long CurrentTerm { get; internal set; }
    public NodeId? VotedFor { get; internal set; }
    public RaftLog Log { get; }
    /// <summary>The snapshot the log's base comes from, or null when nothing was compacted.</summary>
    public Snapshot? Snapshot { get; internal set; }
}
