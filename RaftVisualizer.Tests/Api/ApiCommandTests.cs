using System.Net.Http.Json;
using RaftVisualizer.Api;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Tests.Api;

/// <summary>
/// The HTTP API acts through typed commands: what curl does is recorded in the default cluster's
/// timeline as the same <see cref="ClusterCommand"/> a page sends (so it replays and exports), and the
/// leader an answer names is the one of the moment right after the command.
/// </summary>
public sealed class ApiCommandTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    private ClusterCommand LastCommand() => app.Cluster.Pump.ReadTimeline(t => t.Commands[^1].Command);

    [Fact]
    public async Task Crashing_the_leader_answers_that_no_one_leads_right_after_and_records_the_crash()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntilLeader();
        var leader = (await client.StatusAsync()).Leader()!;

        var crashed = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{leader}/crash", null));

        Assert.Null(crashed.Leader); // the moment right after the crash: the old leader is down, no one has won an election yet
        Assert.Equal(new ClusterCommand.Crash(int.Parse(leader[1..], System.Globalization.CultureInfo.InvariantCulture)), LastCommand());
        app.Sim.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5), "a new leader");
        var restarted = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync($"api/nodes/{leader}/restart", null));
        Assert.Equal((await client.StatusAsync()).Leader(), restarted.Leader); // simulated time stood still between the two
        Assert.NotEqual(leader, restarted.Leader);
        Assert.IsType<ClusterCommand.Restart>(LastCommand());
    }

    [Fact]
    public async Task Partition_heal_add_server_and_a_write_are_recorded_as_the_commands_a_page_sends()
    {
        using var client = app.CreateClient();
        app.Sim.RunUntil(c => c.Leader is { } l && c.Node(l)!.CommitIndex > 0 && c.Node(l)!.Entry(c.Node(l)!.CommitIndex)?.Term == c.Node(l)!.Term,
            TimeSpan.FromSeconds(5), "a leader that committed in its term");

        var split = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsJsonAsync("api/network/partition", new { groups = new[] { new[] { 1, 2 }, new[] { 3, 4, 5 } } }));
        var partition = Assert.IsType<ClusterCommand.Partition>(LastCommand());
        Assert.Equal(new ClusterCommand.Partition([[1, 2], [3, 4, 5]]), partition);
        Assert.Equal((await client.StatusAsync()).Leader(), split.Leader);

        var healed = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync("api/network/heal", null));
        Assert.IsType<ClusterCommand.Heal>(LastCommand());
        Assert.Equal((await client.StatusAsync()).Leader(), healed.Leader);

        app.Sim.RunUntil(c => c.Leader is { } l && c.Node(l)!.CommitIndex > 0 && c.Node(l)!.Entry(c.Node(l)!.CommitIndex)?.Term == c.Node(l)!.Term,
            TimeSpan.FromSeconds(5), "a leader that committed in its term after the heal");
        var added = await ApiAssert.OkAsync<ActionResponse>(await client.PostAsync("api/servers", null));
        Assert.IsType<ClusterCommand.AddServer>(LastCommand());
        Assert.NotNull(added.Leader);

        var written = await ApiAssert.OkAsync<KvResponse>(await client.PutTextAsync("typed", "yes"));
        var submits = app.Cluster.Pump.ReadTimeline(t => t.Commands.Select(c => c.Command).OfType<ClusterCommand.Submit>().ToArray());
        Assert.Contains(new ClusterCommand.Submit(KvCommand.Put("typed", "yes")), submits);
        Assert.Equal("ok", written.Result);
    }
}
