namespace RaftVisualizer.Api;

/// <summary>HTTP API settings (configuration section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Requests one client IP may make to /api per <see cref="RateLimitWindow"/>.</summary>
    public int RateLimitPermits { get; set; } = 100;
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);
}
