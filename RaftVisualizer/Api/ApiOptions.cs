namespace RaftVisualizer.Api;

/// <summary>HTTP API settings (configuration section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Requests one client address may make to /api (and the seeds' aliases) per <see cref="RateLimitWindow"/>.</summary>
    public int RateLimitPermits { get; set; } = 100;
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Off by default. When on, a request from a trusted proxy counts as coming from the client its
    /// <c>X-Forwarded-For</c> header names (and <c>X-Forwarded-Proto</c> gives its scheme), so the rate limit
    /// is per student, not one shared by the whole class behind the proxy. Trusted proxies are
    /// <see cref="KnownProxies"/> and <see cref="KnownNetworks"/>; with neither given, only loopback
    /// (a proxy on the same machine) is trusted.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Addresses of trusted proxies, e.g. <c>["10.0.0.5"]</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>["172.16.0.0/12"]</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}
