using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Components;

public class NetworkPanelTests : ClusterComponentTest
{
    private IRenderedComponent<NetworkPanel> RenderPanel() => Render<NetworkPanel>(p => p.Add(n => n.Live, Live));

    [Fact]
    public void Isolating_the_leader_cuts_it_off_and_heal_restores_the_network()
    {
        StartCluster(nodes: 5, seed: 3);
        var leader = ElectLeader();
        var panel = RenderPanel();
        Assert.Contains("Whole", panel.Find("[data-testid=network-state]").TextContent);

        panel.Find("[data-testid=isolate-leader]").Click();
        Assert.Equal(2, Pump.Read(c => c.Network.Groups.Count));
        Assert.True(Pump.Read(c => c.Network.Groups.Any(g => g.Count == 1 && g[0] == leader)));
        RunFor(10);
        panel.WaitForAssertion(() => Assert.Contains(leader.ToString(), panel.FindAll("[data-testid=network-group]").Select(g => g.TextContent)));

        panel.Find("[data-testid=heal]").Click();
        Assert.False(Pump.Read(c => c.Network.IsDisturbed));
        RunFor(10);
        panel.WaitForAssertion(() => Assert.Contains("Whole", panel.Find("[data-testid=network-state]").TextContent));
    }

    [Fact]
    public void Without_a_leader_isolating_it_is_refused_with_a_message()
    {
        StartCluster(nodes: 3, seed: 3);
        var panel = RenderPanel(); // at time zero nobody leads yet
        panel.Find("[data-testid=isolate-leader]").Click();

        Assert.Contains("There is no leader to isolate", panel.Find("[data-testid=network-message]").TextContent);
        Assert.False(Pump.Read(c => c.Network.IsDisturbed));
    }

    [Fact]
    public void The_majority_split_puts_the_leader_in_the_minority()
    {
        StartCluster(nodes: 5, seed: 3);
        var leader = ElectLeader();
        var panel = RenderPanel();
        panel.Find("[data-testid=split-majority]").Click();

        var groups = Pump.Read(c => c.Network.Groups);
        Assert.Equal(new[] { 2, 3 }, groups.Select(g => g.Count).Order());
        Assert.Contains(leader, groups.Single(g => g.Count == 2));
    }

    [Fact]
    public void Hand_picked_groups_are_applied_and_all_in_one_group_is_refused()
    {
        StartCluster(nodes: 3, seed: 3);
        var panel = RenderPanel();
        panel.Find("[data-testid=apply-groups]").Click();
        Assert.Contains("Every server is in group A", panel.Find("[data-testid=network-message]").TextContent);

        panel.Find("[data-testid=group-2-B]").Click();
        panel.Find("[data-testid=group-3-C]").Click();
        panel.Find("[data-testid=apply-groups]").Click();

        Assert.Equal(new[] { "S1", "S2", "S3" }, Pump.Read(c => c.Network.Groups.Select(g => string.Join(" ", g)).ToArray()));
        Assert.Contains("Partitioned into S1 | S2 | S3", panel.Find("[data-testid=network-message]").TextContent);
    }

    [Fact]
    public void Latency_and_loss_sliders_change_the_simulated_network()
    {
        StartCluster(nodes: 3, seed: 3);
        var panel = RenderPanel();

        panel.Find("[data-testid=latency-max]").Change("200");
        panel.Find("[data-testid=latency-min]").Change("300"); // past max: max follows
        panel.Find("[data-testid=loss]").Change("25");
        panel.Find("[data-testid=duplication]").Change("10");

        Assert.Equal((TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300), 0.25, 0.10),
            Pump.Read(c => (c.Network.MinLatency, c.Network.MaxLatency, c.Network.LossRate, c.Network.DuplicateRate)));
        Assert.Equal("300", panel.Find("[data-testid=latency-max]").GetAttribute("value"));
        Assert.Contains("25 %", panel.Markup);
    }
}
