using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RaftVisualizer.Api;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Api;

/// <summary>GET /api/cluster, crash/restart and partition/heal on the real app's default cluster.</summary>
public sealed class ClusterApiTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task Status_shows_five_nodes_one_leader_terms_commit_indexes_and_logs()
    {
        using var client = app.CreateClient();

        // After another test's partition heals, a stale leader may linger a moment: run until there is one leader.
        app.Sim.RunUntil(c => c.Leader is not null && c.Nodes.Count(n => n.IsUp && n.Role == NodeRole.Leader) == 1, TimeSpan.FromSeconds(5), "One leader");
        var status = await client.StatusAsync();
        var nodes = status.GetProperty("nodes").EnumerateArray().ToArray();

        Assert.Equal(["S1", "S2", "S3", "S4", "S5"], nodes.Select(n => n.GetProperty("id").GetString()));
        Assert.Single(nodes, n => n.GetProperty("role").GetString() == "Leader");
        var leader = nodes.Single(n => n.GetProperty("role").GetString() == "Leader");
        Assert.Equal(status.Leader(), leader.GetProperty("id").GetString());
        Assert.Equal(status.GetProperty("term").GetInt64(), leader.GetProperty("term").GetInt64());
        Assert.All(nodes, n =>
        {
            Assert.True(n.GetProperty("up").GetBoolean());
            Assert.True(n.TryGetProperty("commitIndex", out _));
            Assert.Equal(n.GetProperty("logLength").GetInt64(), n.GetProperty("log").GetArrayLength());
            Assert.Equal(n.GetProperty("logLength").GetInt64(), n.GetProperty("lastLogIndex").GetInt64()); // nothing compacted
        });
        Assert.False(status.GetProperty("network").GetProperty("partitioned").GetBoolean());
    }

    [Theory]
    [InlineData("9", "There is no node '9': this cluster has S1 to S5 (write 3 or S3).")]
    [InlineData("S0", "There is no node 'S0': this cluster has S1 to S5 (write 3 or S3).")]
    [InlineData("leader", "There is no node 'leader': this cluster has S1 to S5 (write 3 or S3).")]
    public async Task Unknown_node_is_a_404_problem(string id, string expected)
    {
        using var client = app.CreateClient();

        var crash = await ApiAssert.ProblemAsync(await client.PostAsync($"api/nodes/{id}/crash", null), HttpStatusCode.NotFound);
        var restart = await ApiAssert.ProblemAsync(await client.PostAsync($"api/nodes/{id}/restart", null), HttpStatusCode.NotFound);

        Assert.Equal(expected, crash);
        Assert.Equal(expected, restart);
    }

    [Fact]
    public async Task Crash_and_restart_a_follower_and_a_second_crash_is_a_409_problem()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        var status = await client.StatusAsync();
        var follower = status.GetProperty("nodes").EnumerateArray().First(n => n.GetProperty("role").GetString() == "Follower").GetProperty("id").GetString()!;

        var crashed = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{follower}/crash", null));
        var again = await ApiAssert.ProblemAsync(await client.PostAsync($"api/nodes/{follower}/crash", null), HttpStatusCode.Conflict);
        var down = await client.StatusAsync();
        var restarted = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{follower.ToLowerInvariant()}/restart", null));
        var restartAgain = await ApiAssert.ProblemAsync(await client.PostAsync($"api/nodes/{follower}/restart", null), HttpStatusCode.Conflict);

        Assert.StartsWith($"{follower} crashed", crashed.Message);
        Assert.Equal($"{follower} is already down.", again);
        var node = down.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == follower);
        Assert.Equal((false, "Down"), (node.GetProperty("up").GetBoolean(), node.GetProperty("role").GetString()));
        Assert.StartsWith($"{follower} restarted with term", restarted.Message);
        Assert.Equal($"{follower} is already up.", restartAgain);
    }

    [Fact]
    public async Task Partition_splits_the_network_and_heal_restores_it()
    {
        using var client = app.CreateClient();

        var partitioned = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsJsonAsync("api/network/partition", new { groups = new[] { new[] { 1, 2 }, new[] { 3, 4, 5 } } }));
        var split = await client.StatusAsync();
        // The majority side (S3-S5) has or elects a leader; the minority cannot commit.
        app.Sim.RunUntil(c => c.Leader?.ToString() is "S3" or "S4" or "S5", TimeSpan.FromSeconds(5), "The majority side has a leader");
        var majorityLeader = await client.StatusAsync();
        var healed = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync("api/network/heal", null));
        var whole = await client.StatusAsync();

        Assert.Equal("Partitioned into S1 S2 | S3 S4 S5.", partitioned.Message);
        Assert.True(split.GetProperty("network").GetProperty("partitioned").GetBoolean());
        Assert.Equal("[[\"S1\",\"S2\"],[\"S3\",\"S4\",\"S5\"]]", split.GetProperty("network").GetProperty("groups").GetRawText());
        Assert.Contains(majorityLeader.Leader(), new[] { "S3", "S4", "S5" });
        Assert.Equal("Every link works again.", healed.Message);
        Assert.False(whole.GetProperty("network").GetProperty("partitioned").GetBoolean());
    }

    [Theory]
    [InlineData("{\"groups\":", HttpStatusCode.BadRequest, "The body must be JSON like {\"groups\":[[1,2],[3,4,5]]}. It could not be read:")]
    [InlineData("not json", HttpStatusCode.BadRequest, "The body must be JSON like")]
    [InlineData("{\"groups\":[]}", HttpStatusCode.BadRequest, "Give at least one group of node numbers, like {\"groups\":[[1,2],[3,4,5]]}.")]
    [InlineData("{}", HttpStatusCode.BadRequest, "Give at least one group of node numbers")]
    [InlineData("{\"groups\":[[1,2],[3,4,9]]}", HttpStatusCode.NotFound, "There is no node S9: this cluster has S1 to S5.")]
    [InlineData("{\"groups\":[[1,2],[2,3]]}", HttpStatusCode.BadRequest, "A node can be in only one group.")]
    public async Task Bad_partition_bodies_are_problems_and_change_nothing(string body, HttpStatusCode status, string detailStart)
    {
        using var client = app.CreateClient();

        var detail = await ApiAssert.ProblemAsync(
            await client.PostAsync("api/network/partition", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), status);
        var after = await client.StatusAsync();

        Assert.StartsWith(detailStart, detail);
        Assert.False(after.GetProperty("network").GetProperty("partitioned").GetBoolean());
    }

    [Theory]
    [InlineData("GET", "api/network/heal", "POST")]
    [InlineData("DELETE", "api/cluster", "GET")]
    [InlineData("PUT", "api/kv/x", "DELETE, GET, POST")]
    [InlineData("PATCH", "api/nodes/1/crash", "POST")]
    [InlineData("POST", "get?key=x", "GET")]
    [InlineData("PUT", "set", "GET, POST")]
    [InlineData("PUT", "del?key=x", "DELETE, GET, POST")]
    [InlineData("DELETE", "status", "GET")]
    public async Task Unsupported_method_is_a_405_problem_with_an_Allow_header(string method, string path, string allow)
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var detail = await ApiAssert.ProblemAsync(response, HttpStatusCode.MethodNotAllowed);

        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        var route = "/" + path.Split('?')[0];
        var methods = allow.Contains(',') ? allow[..allow.LastIndexOf(',')] + " or" + allow[(allow.LastIndexOf(',') + 1)..] : allow;
        Assert.Equal($"{route} does not take {method}: use {methods}. See docs/curl.md for the endpoints.", detail);
    }
}

/// <summary>POST /api/rooms: a classroom room from curl.</summary>
public sealed class RoomApiTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task Creating_a_room_answers_201_with_code_url_and_presenter_key()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsync("api/rooms?nodes=3&speed=0.5", null);
        var room = await response.Content.ReadFromJsonAsync<RoomCreated>();
        var registry = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RaftVisualizer.Classroom.RoomRegistry>(app.Services);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches("^[A-Z2-9]{6}$", room!.Code);
        Assert.Equal(app.Url($"room/{room.Code}").ToString(), room.Url);
        Assert.Equal(room.Url, response.Headers.Location?.ToString());
        Assert.True(room.PresenterKey.Length >= 16);
        Assert.True(registry.TryGet(room.Code, out var created));
        Assert.Equal((3, 0.5), (created.Pump.Latest.Options.NodeCount, created.Pump.Speed));
    }

    [Theory]
    [InlineData("nodes=4", "nodes=4 is not offered: a room has 3, 5 or 7 nodes.")]
    [InlineData("speed=-1", "speed=-1 must be a positive number (0.01 to 10).")]
    public async Task Bad_room_options_are_400_problems(string query, string expected)
    {
        using var client = app.CreateClient();

        var detail = await ApiAssert.ProblemAsync(await client.PostAsync($"api/rooms?{query}", null), HttpStatusCode.BadRequest);

        Assert.Equal(expected, detail);
    }
}
