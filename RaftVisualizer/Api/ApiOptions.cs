namespace RaftVisualizer.Api;

/// <summary>HTTP API settings (configuration section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Requests one client address may make to /api (and the seeds' aliases) per <see cref="RateLimitWindow"/>.</summary>
    public int RateLimitPermits { get; set; } = 100;
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);
}
