namespace RaftVisualizer.Api;

/// <summary>The app's default shared cluster, the one the HTTP API drives (configuration section "DefaultCluster").</summary>
public sealed class DefaultClusterOptions
{
    public const string Section = "DefaultCluster";

    public int NodeCount { get; set; } = 5;
    public ulong Seed { get; set; } = 7;
    /// <summary>1 = real time, so a curl user sees elections and commits as they happen.</summary>
    public double Speed { get; set; } = 1;

    /// <summary>
    /// Where each server's durable state is written (docs/durable-state.md), relative to the content root
    /// or absolute; an app restart starts from it. Empty = keep the disks in memory only.
    /// </summary>
    public string DataFolder { get; set; } = "App_Data/cluster";

    /// <summary>Entries past a snapshot before a server compacts its log, so the cluster can run for weeks.</summary>
    public int SnapshotThreshold { get; set; } = 200;

    /// <summary>Client operations kept for the linearizability check (older ones are cut away in halves).</summary>
    public int MaxHistory { get; set; } = 10_000;

    /// <summary>Events kept in the cluster's record (older ones are discarded in halves).</summary>
    public int MaxRecordedEvents { get; set; } = 50_000;
}
