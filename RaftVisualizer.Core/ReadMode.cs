namespace RaftVisualizer.Core;

/// <summary>How a leader answers a read (paper section 8).</summary>
public enum ReadMode
{
    /// <summary>A read is a log entry like a write: it is answered once it commits and applies.</summary>
    Log,
    /// <summary>
    /// The leader records its commit index, confirms it still leads with one round of heartbeats
    /// acknowledged by a majority, and answers once it has applied that far. Nothing is appended.
    /// </summary>
    ReadIndex,
    /// <summary>
    /// The leader answers from its own state while its lease holds: a majority acknowledged a
    /// heartbeat round less than a lease ago, and they refuse votes for an election timeout after
    /// hearing from it. The lease is shorter than the election timeout by the clock-drift bound.
    /// Turns on <see cref="ClusterOptions.LeaderStickiness"/>. Nothing is appended.
    /// </summary>
    Lease,
}
