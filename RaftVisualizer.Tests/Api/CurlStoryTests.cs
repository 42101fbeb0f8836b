using System.Net;
using RaftVisualizer.Api;

namespace RaftVisualizer.Tests.Api;

/// <summary>The README's curl session, end to end: set, get, delete, status, kill the leader, the data survives.</summary>
public sealed class CurlStoryTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task Data_survives_killing_the_leader()
    {
        using var client = app.CreateClient();

        // set, get, delete
        await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("x", "1"));
        await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("y", "2"));
        Assert.Equal("1", (await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/x"))).Value);
        await ApiAssert.OkAsync<KvResponse>(await client.DeleteAsync("api/kv/y"));

        // status: who leads?
        app.Sim.RunUntilLeader();
        var before = await client.StatusAsync();
        var oldLeader = before.Leader()!;

        // kill the leader; a new one is elected among the other four
        var crash = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{oldLeader}/crash", null));
        app.Sim.RunUntil(c => c.Leader is { } l && l.ToString() != oldLeader, TimeSpan.FromSeconds(5), "Another server is elected");
        var after = await client.StatusAsync();

        // the data survives, served by the new leader
        var x = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/x"));
        var y = await ApiAssert.ProblemAsync(await client.GetAsync("api/kv/y"), HttpStatusCode.NotFound);
        var z = await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("z", "3"));

        Assert.StartsWith($"{oldLeader} crashed", crash.Message);
        Assert.True(after.GetProperty("term").GetInt64() > before.GetProperty("term").GetInt64());
        Assert.Equal(("1", after.Leader()), (x.Value, x.ServedBy));
        Assert.StartsWith("There is no key 'y'", y);
        Assert.Equal("ok", z.Result);
        Assert.False(after.Node(oldLeader).GetProperty("up").GetBoolean());

        // the old leader comes back as a follower and catches up
        await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{oldLeader}/restart", null));
        app.Sim.RunUntil(c => c.Nodes.Single(n => n.Id.ToString() == oldLeader).Kv.ContainsKey("z"), TimeSpan.FromSeconds(5), "The old leader catches up");
        var back = (await client.StatusAsync()).Node(oldLeader);
        Assert.Equal("Follower", back.GetProperty("role").GetString());
        Assert.Equal("1", back.GetProperty("kv").GetProperty("x").GetString());
    }
}
