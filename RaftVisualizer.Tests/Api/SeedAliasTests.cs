using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RaftVisualizer.Api;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Api;

/// <summary>The seeds' own curl lines (/set, /get, /del, /status) on the real app's default cluster.</summary>
public sealed class SeedAliasTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    /// <summary>What <c>curl -d</c> sends: a form content type, whatever the body is.</summary>
    private static StringContent CurlData(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");

    [Fact]
    public async Task Post_set_with_a_JSON_body_sent_as_curl_d_does_then_get_prints_the_bare_value_and_del_removes_it()
    {
        using var client = app.CreateClient();

        var set = await ApiAssert.TextAsync(await client.PostAsync("set", CurlData("{\"key\":\"hello\",\"value\":\"world\"}")));
        var get = await ApiAssert.TextAsync(await client.GetAsync("get?key=hello"));
        var leader = (await client.StatusAsync()).Leader();
        var del = await ApiAssert.TextAsync(await client.GetAsync("del?key=hello"));
        var gone = await ApiAssert.ProblemAsync(await client.GetAsync("get?key=hello"), HttpStatusCode.NotFound);

        Assert.Equal($"OK set hello (committed by {leader})\n", set);
        Assert.Equal("world", get);
        Assert.Equal($"OK deleted hello (committed by {leader})\n", del);
        Assert.StartsWith("There is no key 'hello' (read through the log by", gone);
    }

    [Theory]
    [InlineData("set?key=a&val=b", "b")]
    [InlineData("set?key=a&value=c", "c")]
    [InlineData("set?key=a&val=", "")]
    [InlineData("set?key=a%20b&val=x%26y%3Dz", "x&y=z")]
    public async Task Get_set_with_val_or_value_in_the_query_then_get_prints_it(string set, string expected)
    {
        using var client = app.CreateClient();
        var key = Uri.UnescapeDataString(set.Split('&')[0]["set?key=".Length..]);

        await ApiAssert.TextAsync(await client.GetAsync(set));
        var get = await ApiAssert.TextAsync(await client.GetAsync($"get?key={Uri.EscapeDataString(key)}"));

        Assert.Equal(expected, get);
    }

    [Fact]
    public async Task The_aliases_and_the_api_share_one_cluster_and_every_write_is_in_the_log()
    {
        using var client = app.CreateClient();

        await ApiAssert.TextAsync(await client.PostAsync("set", CurlData("{\"key\":\"shared\",\"value\":\"from-alias\"}")));
        var viaApi = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/shared"));
        await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("shared2", "from-api"));
        var viaAlias = await ApiAssert.TextAsync(await client.GetAsync("get?key=shared2"));
        app.Sim.RunUntil(c => c.Nodes.All(n => n.Kv.GetValueOrDefault("shared") == "from-alias"), TimeSpan.FromSeconds(2), "Every server applies the write");

        Assert.Equal("from-alias", viaApi.Value);
        Assert.Equal("from-api", viaAlias);
        Assert.Contains(app.Sim.Read(c => c.Nodes[0].Log), e => e.ToString().EndsWith(" put shared=from-alias"));
    }

    [Fact]
    public async Task Json_is_given_when_asked_for_with_format_or_accept()
    {
        using var client = app.CreateClient();

        var set = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("set?key=j&val=1&format=json"));
        using var accept = new HttpRequestMessage(HttpMethod.Get, "get?key=j");
        accept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var get = await ApiAssert.OkAsync<KvResponse>(await client.SendAsync(accept));
        var del = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("del?key=j&format=json"));

        Assert.Equal(("j", "1", "ok"), (set.Key, set.Value, set.Result));
        Assert.Equal(("j", "1", get.ServedBy), (get.Key, get.Value, set.ServedBy));
        Assert.Equal("deleted", del.Result);
    }

    [Fact]
    public async Task Status_is_an_aligned_table_for_a_terminal()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        await ApiAssert.TextAsync(await client.GetAsync("set?key=t&val=1"));
        var json = await client.StatusAsync();
        var leader = json.Leader()!;

        var text = await ApiAssert.TextAsync(await client.GetAsync("status"));

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal($"leader {leader}, term {json.GetProperty("term").GetInt64()} (simulated time", lines[0][..lines[0].IndexOf("time", StringComparison.Ordinal)] + "time");
        Assert.Matches(@"^SERVER +ROLE +TERM +LOG +LAST +COMMIT +APPLIED +VOTED$", lines[1]);
        Assert.Equal("network: whole", lines[^1]);
        var rows = lines[2..^1];
        Assert.Equal(["S1", "S2", "S3", "S4", "S5"], rows.Select(r => r.Split(' ')[0]));
        foreach (var row in rows)
        {
            var node = json.Node(row.Split(' ')[0]);
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(node.GetProperty("role").GetString(), cells[1]);
            Assert.Equal(
                new[] { "term", "logLength", "lastLogIndex", "commitIndex", "lastApplied" }.Select(p => node.GetProperty(p).GetInt64().ToString()),
                cells[2..7]);
            // Right-aligned numbers: each ends where its heading ends.
            foreach (var heading in new[] { "TERM", "LOG", "LAST", "COMMIT", "APPLIED" })
            {
                var end = lines[1].IndexOf(heading, StringComparison.Ordinal) + heading.Length;
                Assert.True(char.IsDigit(row[end - 1]) && row[end] == ' ', $"'{heading}' column misaligned in\n{text}");
            }
        }
        Assert.Matches($@"\n{leader} +Leader ", text);
        Assert.True(json.Node(leader).GetProperty("commitIndex").GetInt64() >= 2, text); // the leader's no-op and t=1
    }

    [Fact]
    public async Task Status_shows_a_crashed_server_as_down_and_a_partition()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        try
        {
            await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync("api/nodes/5/crash", null));
            await client.PostAsync("api/network/partition", new StringContent("{\"groups\":[[1,2],[3,4,5]]}", Encoding.UTF8, "application/json"));

            var text = await ApiAssert.TextAsync(await client.GetAsync("status"));

            Assert.Matches(@"\nS5 +Down ", text);
            Assert.EndsWith("network: partitioned S1 S2 | S3 S4 S5\n", text);
        }
        finally
        {
            await client.PostAsync("api/network/heal", null);
            await client.PostAsync("api/nodes/5/restart", null);
        }
    }

    [Theory]
    [InlineData("format=json", null)]
    [InlineData(null, "application/json")]
    public async Task Status_as_json_is_the_clusters_status(string? query, string? accept)
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        using var request = new HttpRequestMessage(HttpMethod.Get, query is null ? "status" : $"status?{query}");
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));

        using var response = await client.SendAsync(request);
        var status = await ApiAssert.OkAsync<JsonElement>(response);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(app.Sim.Read(c => c.Leader)?.ToString(), status.Leader());
        Assert.Equal(5, status.GetProperty("nodes").GetArrayLength());
        Assert.All(status.GetProperty("nodes").EnumerateArray(), n =>
        {
            foreach (var p in new[] { "term", "role", "logLength", "lastLogIndex", "commitIndex" }) Assert.True(n.TryGetProperty(p, out _), p);
        });
    }

    [Theory]
    [InlineData("GET", "get", null, "Give the key in the query: /get?key=hello.")]
    [InlineData("GET", "del", null, "Give the key in the query: /del?key=hello.")]
    [InlineData("GET", "set?val=b", null, "Give the key in the query: /set?key=hello&val=world.")]
    [InlineData("GET", "get?key=", null, "The key is empty: give a key of 1 to 128 characters.")]
    [InlineData("GET", "get?key=%20", null, "The key is empty: give a key of 1 to 128 characters.")]
    [InlineData("GET", "get?key=a%01b", null, "The key contains a control character (U+0001 at position 2): a key is printable text, with no newline, tab or other control character.")]
    [InlineData("GET", "set?key=a%0Ab&val=v", null, "The key contains a control character (U+000A at position 2): a key is printable text, with no newline, tab or other control character.")]
    [InlineData("GET", "set?key=a", null, "A put needs a value (it may be empty): /set?key=hello&val=world (or value=world).")]
    [InlineData("POST", "set", "", "The body is empty: send JSON like {\"key\":\"hello\",\"value\":\"world\"}, or use /set?key=hello&val=world.")]
    [InlineData("POST", "set", "{\"key\":", "The body must be JSON like {\"key\":\"hello\",\"value\":\"world\"}. It could not be read:")]
    [InlineData("POST", "set", "key=hello&value=world", "The body must be JSON like {\"key\":\"hello\",\"value\":\"world\"}. It could not be read:")]
    [InlineData("POST", "set", "[\"hello\",\"world\"]", "The body must be a JSON object like {\"key\":\"hello\",\"value\":\"world\"}.")]
    [InlineData("POST", "set", "{\"value\":\"world\"}", "The JSON has no \"key\": send {\"key\":\"hello\",\"value\":\"world\"}.")]
    [InlineData("POST", "set", "{\"key\":null,\"value\":\"world\"}", "\"key\" must be a string, like {\"key\":\"hello\",\"value\":\"world\"}.")]
    [InlineData("POST", "set", "{\"key\":\"hello\"}", "A put needs a \"value\" (it may be empty): send {\"key\":\"hello\",\"value\":\"world\"}.")]
    [InlineData("POST", "set", "{\"key\":\"hello\",\"value\":[1]}", "\"value\" must be a string, like {\"key\":\"hello\",\"value\":\"world\"}.")]
    [InlineData("POST", "set", "{\"key\":\"\",\"value\":\"world\"}", "The key is empty: give a key of 1 to 128 characters.")]
    [InlineData("POST", "set", "{\"key\":\"tab\\there\",\"value\":\"world\"}", "The key contains a control character (U+0009 at position 4):")]
    public async Task Bad_input_is_a_400_problem_that_says_why_and_nothing_is_written(string method, string path, string? body, string detailStart)
    {
        using var client = app.CreateClient();
        var before = app.Sim.Read(c => c.History.Count);

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : CurlData(body) };
        var detail = await ApiAssert.ProblemAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.StartsWith(detailStart, detail);
        Assert.Equal(before, app.Sim.Read(c => c.History.Count)); // refused before anything reached the cluster
    }

    [Fact]
    public async Task Key_and_value_limits_are_the_main_apis()
    {
        using var client = app.CreateClient();

        var longKey = await ApiAssert.ProblemAsync(await client.GetAsync($"get?key={new string('k', 129)}"), HttpStatusCode.BadRequest);
        var bigValue = await ApiAssert.ProblemAsync(await client.PostAsync("set", CurlData($"{{\"key\":\"big\",\"value\":\"{new string('v', 4097)}\"}}")), HttpStatusCode.BadRequest);
        var bigQuery = await ApiAssert.ProblemAsync(await client.GetAsync($"set?key=big&val={new string('v', 4097)}"), HttpStatusCode.BadRequest);
        var hugeBody = await ApiAssert.ProblemAsync(await client.PostAsync("set", CurlData(new string(' ', 40_000))), HttpStatusCode.BadRequest);
        var absent = await ApiAssert.ProblemAsync(await client.GetAsync("get?key=big"), HttpStatusCode.NotFound);
        var exact = await ApiAssert.TextAsync(await client.PostAsync("set", CurlData($"{{\"key\":\"max\",\"value\":\"{new string('v', 4096)}\"}}")));
        var max = await ApiAssert.TextAsync(await client.GetAsync("get?key=max"));

        Assert.Equal("The key is 129 characters long; the limit is 128.", longKey);
        Assert.Equal("The value is 4097 bytes; the limit is 4096 bytes (4 KB).", bigValue);
        Assert.Equal(bigValue, bigQuery);
        Assert.Equal("The body is 40000 bytes; the limit is 32768 bytes, for JSON like {\"key\":\"hello\",\"value\":\"world\"} with a value of at most 4096 bytes (4 KB).", hugeBody);
        Assert.StartsWith("There is no key 'big'", absent);
        Assert.StartsWith("OK set max", exact);
        Assert.Equal(new string('v', 4096), max);
    }

    [Fact]
    public async Task Deleting_a_missing_key_is_a_404_problem()
    {
        using var client = app.CreateClient();

        var detail = await ApiAssert.ProblemAsync(await client.GetAsync("del?key=never-set"), HttpStatusCode.NotFound);

        Assert.StartsWith("There was no key 'never-set' to delete (the delete was committed by S", detail);
    }

    [Fact]
    public async Task Without_a_majority_set_is_a_503_problem_after_the_clients_timeout()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        var up = app.Sim.Read(c => c.Nodes.Where(n => n.IsUp).Select(n => n.Id.Value).ToArray());
        try
        {
            foreach (var n in up.Skip(2)) await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{n}/crash", null));

            var detail = await ApiAssert.ProblemAsync(await client.GetAsync("set?key=stranded&val=1"), HttpStatusCode.ServiceUnavailable);

            Assert.StartsWith("no leader could commit the write within 3 s; it may still apply later.", detail);
            Assert.Equal(KvStatus.Timeout, app.Sim.Read(c => c.History[^1].Result!.Status));
        }
        finally
        {
            foreach (var n in up.Skip(2)) await client.PostAsync($"api/nodes/{n}/restart", null);
        }
    }

    [Fact]
    public async Task The_aliases_are_not_the_page_routers()
    {
        using var client = app.CreateClient();

        using var page = await client.GetAsync("");
        using var status = await client.GetAsync("status");
        using var notAlias = await client.GetAsync("gets?key=x");

        Assert.Equal(("text/html", "text/plain"), (page.Content.Headers.ContentType?.MediaType, status.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.NotFound, notAlias.StatusCode); // the page's not-found, not an alias
        Assert.Equal("text/html", notAlias.Content.Headers.ContentType?.MediaType);
    }
}
