using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RaftVisualizer.Api;
using RaftVisualizer.Core;
using RaftVisualizer.Tests.Infrastructure;

namespace RaftVisualizer.Tests.Api;

/// <summary>
/// The real app on Kestrel whose default cluster runs on simulated time only (<see cref="Sim"/>): its clock
/// stands still until a test moves it, and the clients it makes move it while a request waits for Raft.
/// </summary>
public abstract class SimulatedAppFixture : KestrelAppFixture
{
    private SimulatedTime? _sim;

    protected SimulatedAppFixture() : this(null)
    {
    }

    /// <param name="dataFolder">The default cluster's data folder; null for a fresh temporary one.</param>
    protected SimulatedAppFixture(string? dataFolder) : base(dataFolder)
    {
    }

    /// <summary>The default cluster's clock (and the clock the API's waits read).</summary>
    public FakeTimeProvider Clock { get; } = new();

    public DefaultCluster Cluster => Services.GetRequiredService<DefaultCluster>();

    public SimulatedTime Sim => _sim ??= new SimulatedTime(Clock, Cluster.Pump);

    /// <summary>An HttpClient over the real socket whose requests move simulated time while they wait for the cluster.</summary>
    public new HttpClient CreateClient() =>
        new(new SimulatedTimeHandler(Sim)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };

    /// <summary>Settings of the app under test, e.g. <c>("Api:RateLimitPermits", "5")</c>.</summary>
    protected abstract IEnumerable<(string Key, string Value)> Settings { get; }

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(DefaultCluster.ClockKey, Clock));
        ConfigureMore(builder);
    }

    /// <summary>Hook for a derived fixture to add to the app under test (a log recorder, say).</summary>
    protected virtual void ConfigureMore(IWebHostBuilder builder)
    {
    }

    private sealed class SimulatedTimeHandler(SimulatedTime sim) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            sim.SendAsync(() => base.SendAsync(request, cancellationToken));
    }
}

/// <summary>The real app with a rate limit high enough that no test is throttled by accident.</summary>
public sealed class ApiAppFixture : SimulatedAppFixture
{
    protected override IEnumerable<(string, string)> Settings => [("Api:RateLimitPermits", "100000")];
}

/// <summary>The real app with a tiny rate limit (5 requests a minute per address), to see that it throttles.</summary>
public sealed class ThrottledAppFixture : SimulatedAppFixture
{
    public const int Permits = 5;

    protected override IEnumerable<(string, string)> Settings => [("Api:RateLimitPermits", Permits.ToString()), ("Api:RateLimitWindow", "00:01:00")];
}

/// <summary>The tiny rate limit, with X-Forwarded-For trusted from loopback (where the tests' requests come from).</summary>
public sealed class ForwardingAppFixture : SimulatedAppFixture
{
    protected override IEnumerable<(string, string)> Settings =>
        [("Api:RateLimitPermits", ThrottledAppFixture.Permits.ToString()), ("Api:RateLimitWindow", "00:01:00"), ("Api:TrustForwardedHeaders", "true")];
}

/// <summary>Forwarded headers trusted, but only from a proxy at 10.9.9.9: the tests' loopback requests are not from it.</summary>
public sealed class OtherProxyAppFixture : SimulatedAppFixture
{
    protected override IEnumerable<(string, string)> Settings =>
        [("Api:RateLimitPermits", ThrottledAppFixture.Permits.ToString()), ("Api:RateLimitWindow", "00:01:00"),
         ("Api:TrustForwardedHeaders", "true"), ("Api:KnownProxies:0", "10.9.9.9")];
}
