using System.Net;
using RaftVisualizer.Api;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Api;

/// <summary>A write while no majority exists waits a bounded (simulated) time, then answers 503; it is not lost silently.</summary>
public sealed class NoLeaderTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task Write_without_a_majority_waits_the_clients_3_simulated_seconds_then_is_a_503_problem_and_writes_commit_once_a_majority_returns()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        foreach (var n in new[] { 1, 2, 3 }) await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{n}/crash", null));

        var before = app.Sim.Now;
        var detail = await ApiAssert.ProblemAsync(await client.PutTextAsync("stranded", "v1"), HttpStatusCode.ServiceUnavailable);
        var waited = app.Sim.Now - before;
        var stranded = app.Sim.Read(c => c.History.Last(o => o.Command.Key == "stranded"));

        Assert.StartsWith("no leader could commit the write within 3 s; it may still apply later.", detail);
        Assert.Contains("a majority of nodes must be up", detail);
        // The answer came when the client's own timeout ran out, in simulated time: not before, and not long after.
        Assert.Equal(KvStatus.Timeout, stranded.Result!.Status);
        Assert.Equal(stranded.Deadline, stranded.CompletedAt);
        Assert.Equal(TimeSpan.FromSeconds(3), stranded.Deadline - stranded.InvokedAt);
        Assert.InRange(waited.TotalSeconds, 3.0, 3.2);
        Assert.Contains($"The client tried {stranded.Attempts.Count} time(s).", detail);

        // A majority comes back: the cluster elects a leader and new writes commit again.
        await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync("api/nodes/1/restart", null));
        app.Sim.RunUntilLeader();
        var later = await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("after", "v2"));
        var read = await ApiAssert.OkAsync<KvResponse>(await client.GetAsync("api/kv/after"));
        Assert.Equal(("ok", "v2"), (later.Result, read.Value));
    }

    [Fact]
    public async Task Read_without_a_majority_is_a_503_problem_too()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        var status = await client.StatusAsync();
        var up = status.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("up").GetBoolean()).Select(n => n.GetProperty("id").GetString()!).ToArray();
        // Leave exactly two of five up.
        foreach (var id in up.Skip(2)) await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{id}/crash", null));

        var detail = await ApiAssert.ProblemAsync(await client.GetAsync("api/kv/anything"), HttpStatusCode.ServiceUnavailable);

        Assert.StartsWith("no leader could answer the read within 3 s", detail);
        foreach (var id in up.Skip(2)) await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{id}/restart", null));
    }
}
