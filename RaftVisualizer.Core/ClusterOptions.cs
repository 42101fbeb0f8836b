using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Core;

/// <summary>Everything that shapes a cluster. All durations are simulated time.</summary>
public sealed record ClusterOptions
{
    public int NodeCount { get; init; } = 3;
    public ulong Seed { get; init; } = 1;

    public TimeSpan ElectionTimeoutMin { get; init; } = TimeSpan.FromMilliseconds(150);
    public TimeSpan ElectionTimeoutMax { get; init; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan MinLatency { get; init; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromMilliseconds(30);
    public double LossRate { get; init; }
    public double DuplicateRate { get; init; }

    /// <summary>The most entries one AppendEntries carries.</summary>
    public int MaxEntriesPerAppend { get; init; } = 16;

    /// <summary>
    /// A follower that refuses AppendEntries says which term conflicts and where it begins, so the
    /// leader skips a whole term at once (paper §5.3, end). Off: the leader walks nextIndex back one
    /// entry per refusal, as Figure 2 states it.
    /// </summary>
    public bool FastBacktracking { get; init; } = true;

    /// <summary>
    /// A new leader appends a no-op entry of its term at once (paper §8), so earlier entries commit
    /// without waiting for a client's write, and ReadIndex reads and configuration changes can go ahead.
    /// </summary>
    public bool ElectionNoOp { get; init; } = true;

    /// <summary>Ask for votes without bumping the term first, so a rejoining node cannot disrupt a leader.</summary>
    public bool PreVote { get; init; }

    /// <summary>How the leader answers reads: through the log (the default), by ReadIndex, or under a lease.</summary>
    public ReadMode ReadMode { get; init; } = ReadMode.Log;

    /// <summary>A leader that has not heard from a majority within the minimum election timeout steps down.</summary>
    public bool CheckQuorum { get; init; }

    /// <summary>
    /// The guard against disruptive servers (thesis section 4.2.3): a server ignores a vote request
    /// while it leads or heard from a leader within the minimum election timeout, unless the request
    /// comes from a leadership transfer. <see cref="ReadMode.Lease"/> turns it on as well.
    /// </summary>
    public bool LeaderStickiness { get; init; }

    /// <summary>
    /// How far a server's clock may run fast or slow, as a fraction (0.05 = ±5 %): each server's
    /// clock rate is drawn once from its seeded random source in [1 − drift, 1 + drift]. Election
    /// timers, the vote guard, check-quorum and leases are measured on that clock. 0 = perfect clocks.
    /// </summary>
    public double ClockDrift { get; init; }

    /// <summary>Whether vote requests are refused while a leader is heard from.</summary>
    internal bool GuardsVotes => LeaderStickiness || ReadMode == ReadMode.Lease;

    /// <summary>
    /// How long a lease lasts on the leader's clock after the start of a heartbeat round a majority
    /// acknowledged: the minimum election timeout shrunk by the drift bound, (1 − d) / (1 + d), so
    /// that the slowest leader clock runs out before the fastest follower clock lets a vote through.
    /// </summary>
    internal TimeSpan LeaseDuration => Broken.HasFlag(BrokenRules.LeaseWithoutDriftBound)
        ? ElectionTimeoutMin
        : TimeSpan.FromTicks((long)(ElectionTimeoutMin.Ticks * (1 - ClockDrift) / (1 + ClockDrift)));

    /// <summary>How long a simulated client keeps retrying before it reports a timeout.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>How long a client waits for one server before it tries another.</summary>
    public TimeSpan ClientAttemptTimeout { get; init; } = TimeSpan.FromMilliseconds(400);
    /// <summary>How long a client waits before retrying when no server knows a leader.</summary>
    public TimeSpan ClientRetryBackoff { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>
    /// Log compaction (paper section 7): once a server has applied this many entries past its last
    /// snapshot, it snapshots its state machine (KV map, client sessions, configuration) and drops
    /// those entries from its log. 0 = never.
    /// </summary>
    public int SnapshotThreshold { get; init; }

    /// <summary>The recorded event list keeps at most this many; older events are discarded in halves.</summary>
    public int MaxRecordedEvents { get; init; } = 200_000;

    /// <summary>
    /// The client history (<see cref="Cluster.History"/>) keeps about this many operations; older ones
    /// are dropped in halves behind a <see cref="Linearizability.HistoryCut"/> that the checker starts
    /// from. 0 keeps every operation.
    /// </summary>
    public int MaxHistory { get; init; } = 10_000;

    /// <summary>Rules broken on purpose, to show what the checkers catch. All off in a real cluster.</summary>
    public BrokenRules Broken { get; init; } = BrokenRules.None;

    public static readonly ClusterOptions Default = new();

    internal string? Validate()
    {
        if (NodeCount is < 1 or > 9) return "A cluster has 1 to 9 nodes.";
        if (ElectionTimeoutMin <= TimeSpan.Zero || ElectionTimeoutMax < ElectionTimeoutMin) return "The election timeout range is invalid.";
        if (HeartbeatInterval <= TimeSpan.Zero) return "The heartbeat interval must be positive.";
        if (MinLatency < TimeSpan.Zero || MaxLatency < MinLatency) return "The latency range is invalid.";
        if (LossRate is < 0 or > 1 || DuplicateRate is < 0 or > 1) return "Rates are between 0 and 1.";
        if (MaxHistory is < 0 or 1) return "MaxHistory is 0 (keep every operation) or at least 2.";
        if (ClockDrift is < 0 or >= 0.5 || double.IsNaN(ClockDrift)) return "The clock drift is a fraction from 0 to below 0.5.";
        if (!Enum.IsDefined(ReadMode)) return "The read mode is Log, ReadIndex or Lease.";
        if (SnapshotThreshold < 0) return "The snapshot threshold is 0 (never) or a number of entries.";
        if (MaxEntriesPerAppend < 1) return "An AppendEntries must be able to carry at least one entry.";
        return null;
    }
}
