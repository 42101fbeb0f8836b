using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;

namespace RaftVisualizer.Api;

/// <summary>Registration of the HTTP API, the seeds' aliases, the classroom hub and shared rooms (so the registration files need one line each).</summary>
public static class RaftApi
{
    public const string RateLimitPolicy = "api";

    public static IServiceCollection AddRaftApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        services.AddOptions<RoomOptions>().BindConfiguration(RoomOptions.Section);
        services.AddOptions<DefaultClusterOptions>().BindConfiguration(DefaultClusterOptions.Section);

        services.TryAddKeyedSingleton(DefaultCluster.ClockKey, TimeProvider.System);
        services.AddSingleton<DefaultCluster>();
        services.AddHostedService(sp => sp.GetRequiredService<DefaultCluster>());
        services.AddSingleton<RoomRegistry>();
        services.AddHostedService<RoomSweeper>();

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ApiOptions>>((forwarded, api) => TrustProxies(forwarded, api.Value));

        services.AddProblemDetails();
        services.AddSignalR().AddJsonProtocol(o =>
            o.PayloadSerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.RateLimitPermits, Window = options.RateLimitWindow, QueueLimit = 0 });
            });
            o.OnRejected = async (context, ct) =>
            {
                var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
                await context.HttpContext.Response.WriteAsJsonAsync(new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = $"Too many requests: the limit is {options.RateLimitPermits} API requests per {options.RateLimitWindow.TotalSeconds:0.#} s from one address. Wait a moment and try again.",
                }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
            };
        });
        return services;
    }

    /// <summary>
    /// With <c>Api:TrustForwardedHeaders</c>, X-Forwarded-For (and -Proto) from a trusted proxy replace the
    /// connection's address (and scheme), so the rate limit partitions by the client behind the proxy.
    /// </summary>
    private static void TrustProxies(ForwardedHeadersOptions forwarded, ApiOptions api)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        if (api.KnownProxies.Length == 0 && api.KnownNetworks.Length == 0) return; // ASP.NET's default: loopback only
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in api.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in api.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
    }

    public static WebApplication MapRaftApi(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.TrustForwardedHeaders) app.UseForwardedHeaders();
        app.UseRateLimiter();
        var api = app.MapGroup("/api").RequireRateLimiting(RateLimitPolicy).DisableAntiforgery();
        api.MapKv();
        api.MapClusterStatus();
        api.MapNetwork();
        api.MapRooms();
        api.MapFallback((HttpContext http) => MethodNotAllowed.For(http) ?? ApiProblems.NotFound(
            $"There is no API endpoint {ClusterEndpoints.Shorten(http.Request.Method)} {ClusterEndpoints.Shorten(http.Request.Path)}. See docs/curl.md for the endpoints."))
            .WithMetadata(new MethodNotAllowed.CatchAll());
        app.MapSeedAliases();
        app.MapHub<ClusterHub>(ClusterHub.Path);
        return app;
    }
}
