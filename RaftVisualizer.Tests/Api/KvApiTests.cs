using System.Net;
using System.Text;
using RaftVisualizer.Api;

namespace RaftVisualizer.Tests.Api;

/// <summary>POST/GET/DELETE /api/kv/{key} on the real app: writes go through Raft; bad input gets a clear problem.</summary>
public sealed class KvApiTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task Put_then_get_returns_the_value_and_names_the_leader_that_served_it()
    {
        using var client = app.CreateClient();

        var put = await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("greeting", "hello"));
        var get = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/greeting"));
        var leader = (await client.StatusAsync()).Leader();

        Assert.Equal(("greeting", "hello", "ok"), (put.Key, put.Value, put.Result));
        Assert.Equal(("greeting", "hello"), (get.Key, get.Value));
        Assert.Equal(leader, get.ServedBy);
        Assert.Matches("^S[1-5]$", put.ServedBy);
        Assert.True(put.LatencyMs > 0 && put.LatencyMs < 3000, $"simulated latency {put.LatencyMs} ms");
    }

    [Fact]
    public async Task Write_is_in_the_log_of_every_node_as_readable_text()
    {
        using var client = app.CreateClient();

        await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("colour", "blue"));
        app.Sim.RunUntil(c => c.Nodes.All(n => n.Log.Any(e => e.ToString().EndsWith(" put colour=blue"))), TimeSpan.FromSeconds(2), "Every log holds the write");
        var status = await client.StatusAsync();

        var entry = status.GetProperty("nodes")[0].GetProperty("log").EnumerateArray().Select(e => e.GetString()!).First(e => e.EndsWith("put colour=blue"));
        Assert.Matches(@"^\d+:t\d+ put colour=blue$", entry);
    }

    [Fact]
    public async Task Delete_removes_the_key_and_a_later_get_is_a_404_problem()
    {
        using var client = app.CreateClient();
        await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("doomed", "1"));

        var deleted = await ApiAssert.OkAsync<KvResponse>(await client.DeleteAsync("api/kv/doomed"));
        var detail = await ApiAssert.ProblemAsync(await client.GetAsync("api/kv/doomed"), HttpStatusCode.NotFound);
        var again = await ApiAssert.ProblemAsync(await client.DeleteAsync("api/kv/doomed"), HttpStatusCode.NotFound);

        Assert.Equal("deleted", deleted.Result);
        Assert.StartsWith("There is no key 'doomed'", detail);
        Assert.StartsWith("There was no key 'doomed' to delete", again);
    }

    [Fact]
    public async Task Markup_in_a_value_round_trips_as_data()
    {
        using var client = app.CreateClient();
        const string markup = "<script>alert(\"hi\")</script><b>&amp;</b> 'x' ünïcødé";

        await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("markup", markup));
        var get = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/markup"));

        Assert.Equal(markup, get.Value);
    }

    [Fact]
    public async Task Empty_value_is_allowed()
    {
        using var client = app.CreateClient();

        await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("blank", ""));
        var get = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/blank"));

        Assert.Equal("", get.Value);
    }

    [Theory]
    [InlineData("post")]
    [InlineData("get")]
    [InlineData("delete")]
    public async Task Blank_key_is_a_400_problem(string method)
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), "api/kv/%20")
        {
            Content = method == "post" ? new StringContent("v") : null,
        });

        Assert.Equal("The key is empty: give a key of 1 to 128 characters.", await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("post", "a%01b", "U+0001 at position 2")]
    [InlineData("get", "a%0Ab", "U+000A at position 2")]
    [InlineData("delete", "%09", "U+0009 at position 1")]
    [InlineData("post", "del%7F", "U+007F at position 4")]
    public async Task Key_with_a_control_character_is_a_400_problem_that_says_why(string method, string key, string which)
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), $"api/kv/{key}")
        {
            Content = method == "post" ? new StringContent("v") : null,
        });

        Assert.Equal($"The key contains a control character ({which}): a key is printable text, with no newline, tab or other control character.",
            await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Key_over_128_characters_is_a_400_problem_and_128_is_fine()
    {
        using var client = app.CreateClient();

        var detail = await ApiAssert.ProblemAsync(await client.PutTextAsync(new string('k', 129), "v"), HttpStatusCode.BadRequest);
        var ok = await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync(new string('k', 128), "v"));

        Assert.Equal("The key is 129 characters long; the limit is 128.", detail);
        Assert.Equal(128, ok.Key.Length);
    }

    [Fact]
    public async Task Value_over_4_KB_is_a_400_problem_and_nothing_is_written()
    {
        using var client = app.CreateClient();

        var detail = await ApiAssert.ProblemAsync(await client.PutTextAsync("huge", new string('v', 4097)), HttpStatusCode.BadRequest);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('v', 100_000))));
        chunked.Headers.ContentLength = null; // no Content-Length: the server must stop reading at the limit
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "api/kv/huge") { Content = chunked };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        var chunkedDetail = await ApiAssert.ProblemAsync(await client.SendAsync(chunkedRequest), HttpStatusCode.BadRequest);
        var get = await ApiAssert.ProblemAsync(await client.GetAsync("api/kv/huge"), HttpStatusCode.NotFound);
        var exact = await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("max", new string('v', 4096)));

        Assert.Equal("The value is 4097 bytes; the limit is 4096 bytes (4 KB).", detail);
        Assert.Equal("The value is more than 4096 bytes; the limit is 4096 bytes (4 KB).", chunkedDetail);
        Assert.StartsWith("There is no key 'huge'", get);
        Assert.Equal(4096, exact.Value!.Length);
    }

    [Fact]
    public async Task Unknown_api_path_is_a_404_problem_not_a_page()
    {
        using var client = app.CreateClient();

        var detail = await ApiAssert.ProblemAsync(await client.GetAsync("api/keys"), HttpStatusCode.NotFound);

        Assert.Equal("There is no API endpoint GET /api/keys. See docs/curl.md for the endpoints.", detail);
    }
}
