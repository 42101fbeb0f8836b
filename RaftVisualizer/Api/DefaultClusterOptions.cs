namespace RaftVisualizer.Api;

/// <summary>The app's default shared cluster, the one the HTTP API drives (configuration section "DefaultCluster").</summary>
public sealed class DefaultClusterOptions
{
    public const string Section = "DefaultCluster";

    public int NodeCount { get; set; } = 5;
    public ulong Seed { get; set; } = 7;
    /// <summary>1 = real time, so a curl user sees elections and commits as they happen.</summary>
    public double Speed { get; set; } = 1;
}
