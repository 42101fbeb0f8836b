using System.Net;
using RaftVisualizer.Api;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Api;

/// <summary>POST /api/servers and DELETE /api/servers/{id}: membership changes with curl, refused with a sentence.</summary>
public sealed class MembershipApiTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task A_server_is_added_as_a_learner_promoted_then_removed_and_bad_requests_get_a_sentence()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntil(c => c.Leader is { } l && c.Node(l)!.CommitIndex > 0 && c.Node(l)!.Entry(c.Node(l)!.CommitIndex)?.Term == c.Node(l)!.Term,
            TimeSpan.FromSeconds(5), "a leader that committed in its term");

        var added = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync("api/servers", null));
        Assert.Contains("S6 joins as a learner", added.Message);
        var learner = (await client.StatusAsync()).GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "S6");
        Assert.Equal("Learner", learner.GetProperty("membership").GetString());

        var second = await ApiAssert.ProblemAsync(await client.PostAsync("api/servers", null), HttpStatusCode.Conflict);
        Assert.Contains("one change at a time", second);

        app.Sim.RunUntil(c => c.Configuration.IsVoter(6) && !c.Nodes.Any(n => n.IsUp && c.Configuration.Contains(n.Id) && n.CommitIndex < c.Node(c.Leader!.Value)!.LastLogIndex),
            TimeSpan.FromSeconds(5), "S6 promoted and the change committed");
        var voter = (await client.StatusAsync()).GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "S6");
        Assert.Equal("Voter", voter.GetProperty("membership").GetString());

        Assert.Equal("There is no node 'S9': this cluster has S1 to S6 (write 3 or S3).",
            await ApiAssert.ProblemAsync(await client.DeleteAsync("api/servers/S9"), HttpStatusCode.NotFound));
        var removed = await ApiAssert.OkAsync<ActionResponse>(await client.DeleteAsync("api/servers/S6"));
        Assert.Contains("without S6", removed.Message);
        app.Sim.RunUntil(c => !c.Configuration.Contains(6), TimeSpan.FromSeconds(5), "S6 removed");
        var gone = (await client.StatusAsync()).GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "S6");
        Assert.Equal("Removed", gone.GetProperty("membership").GetString());
    }
}
