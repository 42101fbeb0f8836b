using System.Net;

namespace RaftVisualizer.Tests.Api;

/// <summary>The API's fixed-window rate limit (per client address) answers 429 problem details when exceeded.</summary>
public sealed class RateLimitTests(ThrottledAppFixture app) : IClassFixture<ThrottledAppFixture>
{
    [Fact]
    public async Task Requests_beyond_the_limit_get_a_429_problem_with_retry_after()
    {
        using var client = app.CreateClient();

        for (var i = 0; i < ThrottledAppFixture.Permits; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/cluster")).StatusCode);
        using var throttled = await client.GetAsync("api/cluster");
        var detail = await ApiAssert.ProblemAsync(throttled, (HttpStatusCode)429);
        using var page = await client.GetAsync("/"); // the page itself is not throttled

        Assert.Equal("Too many requests: the limit is 5 API requests per 60 s from one address. Wait a moment and try again.", detail);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {throttled.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}

/// <summary>The seeds' aliases count against the same limit as /api.</summary>
public sealed class AliasRateLimitTests(ThrottledAppFixture app) : IClassFixture<ThrottledAppFixture>
{
    [Fact]
    public async Task Aliases_and_api_share_one_limit_and_a_throttled_alias_is_a_429_problem()
    {
        using var client = app.CreateClient();

        for (var i = 0; i < ThrottledAppFixture.Permits; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(i % 2 == 0 ? "status" : "api/cluster")).StatusCode);
        using var throttled = await client.GetAsync("get?key=x");
        var detail = await ApiAssert.ProblemAsync(throttled, (HttpStatusCode)429);

        Assert.StartsWith("Too many requests: the limit is 5 API requests per 60 s from one address.", detail);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {throttled.Headers.RetryAfter}");
    }
}
