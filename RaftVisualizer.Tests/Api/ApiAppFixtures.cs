using Microsoft.AspNetCore.Hosting;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Api;

/// <summary>The real app on Kestrel with a rate limit high enough that no test is throttled by accident.</summary>
public sealed class ApiAppFixture : KestrelAppFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Api:RateLimitPermits", "100000");
}

/// <summary>The real app with a tiny rate limit (5 requests a minute per address), to see that it throttles.</summary>
public sealed class ThrottledAppFixture : KestrelAppFixture
{
    public const int Permits = 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Api:RateLimitPermits", Permits.ToString());
        builder.UseSetting("Api:RateLimitWindow", "00:01:00");
    }
}
