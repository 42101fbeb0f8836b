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
        var before = await client.WaitForStatusAsync(s => s.Leader() is not null, TimeSpan.FromSeconds(10));
        var oldLeader = before.Leader()!;

        // kill the leader; a new one is elected among the other four
        var crash = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{oldLeader}/crash", null));
        var after = await client.WaitForStatusAsync(s => s.Leader() is { } l && l != oldLeader, TimeSpan.FromSeconds(15));

        // the data survives, served by the new leader
        var x = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/x"));
        var y = await ApiAssert.ProblemAsync(await client.GetAsync("api/kv/y"), HttpStatusCode.NotFound);
        var z = await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("z", "3"));

        Assert.StartsWith($"{oldLeader} crashed", crash.Message);
        Assert.True(after.GetProperty("term").GetInt64() > before.GetProperty("term").GetInt64());
        Assert.Equal(("1", after.Leader()), (x.Value, x.ServedBy));
        Assert.StartsWith("There is no key 'y'", y);
        Assert.Equal("ok", z.Result);
        var oldNode = after.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == oldLeader);
        Assert.False(oldNode.GetProperty("up").GetBoolean());

        // the old leader comes back as a follower and catches up
        await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{oldLeader}/restart", null));
        var caughtUp = await client.WaitForStatusAsync(s => s.GetProperty("nodes").EnumerateArray()
            .Single(n => n.GetProperty("id").GetString() == oldLeader).GetProperty("kv").TryGetProperty("z", out _), TimeSpan.FromSeconds(15));
        var back = caughtUp.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == oldLeader);
        Assert.Equal("Follower", back.GetProperty("role").GetString());
        Assert.Equal("1", back.GetProperty("kv").GetProperty("x").GetString());
    }
}
