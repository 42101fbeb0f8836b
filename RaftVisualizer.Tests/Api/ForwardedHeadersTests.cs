using System.Net;

namespace RaftVisualizer.Tests.Api;

/// <summary>Requests from 5 students behind one proxy (each X-Forwarded-For names its own) against a limit of 5 per address.</summary>
internal static class ForwardedClients
{
    /// <summary>The status code of <c>GET /status</c> sent as from <paramref name="client"/> through the proxy.</summary>
    public static async Task<HttpStatusCode> StatusFromAsync(this HttpClient http, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Uses up the limit as one student, then asks as another and again as the first.</summary>
    public static async Task<(HttpStatusCode Other, HttpStatusCode SameAgain)> ExhaustOneClientAsync(this HttpClient http)
    {
        for (var i = 0; i < ThrottledAppFixture.Permits; i++) Assert.Equal(HttpStatusCode.OK, await http.StatusFromAsync("203.0.113.1"));
        var other = await http.StatusFromAsync("203.0.113.2");
        var again = await http.StatusFromAsync("203.0.113.1");
        return (other, again);
    }
}

/// <summary>Off by default: X-Forwarded-For is ignored, so everyone behind one proxy shares one limit (and nobody can dodge it with a header).</summary>
public sealed class ForwardedHeadersOffTests(ThrottledAppFixture app) : IClassFixture<ThrottledAppFixture>
{
    [Fact]
    public async Task Forwarded_clients_share_the_proxys_one_partition()
    {
        using var http = app.CreateClient();

        var (other, again) = await http.ExhaustOneClientAsync();

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests), (other, again));
    }
}

/// <summary>With Api:TrustForwardedHeaders, each forwarded client has its own limit.</summary>
public sealed class ForwardedHeadersOnTests(ForwardingAppFixture app) : IClassFixture<ForwardingAppFixture>
{
    [Fact]
    public async Task Each_forwarded_client_has_its_own_partition()
    {
        using var http = app.CreateClient();

        var (other, again) = await http.ExhaustOneClientAsync();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (other, again));
    }
}

/// <summary>Trusted only from a named proxy: a request from anywhere else keeps its own address, whatever header it sends.</summary>
public sealed class ForwardedHeadersFromAnUnknownProxyTests(OtherProxyAppFixture app) : IClassFixture<OtherProxyAppFixture>
{
    [Fact]
    public async Task A_header_from_a_proxy_not_in_KnownProxies_is_ignored()
    {
        using var http = app.CreateClient();

        var (other, again) = await http.ExhaustOneClientAsync();

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests), (other, again));
    }
}
