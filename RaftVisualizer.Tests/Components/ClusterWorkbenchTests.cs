using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Components;

/// <summary>The composed workbench: the canvas's menu opens the node panel; watch-only viewers get no controls.</summary>
public sealed class ClusterWorkbenchTests : ClusterComponentTest
{
    public ClusterWorkbenchTests()
    {
        // A child of the workbench (the share button) asks the room registry for a room.
        Services.AddSingleton(new RoomRegistry(Options.Create(new RoomOptions())));
    }

    [Fact]
    public void Details_in_the_node_menu_opens_the_node_panel()
    {
        StartCluster(nodes: 5, seed: 42);
        var leader = ElectLeader();
        var cut = Render<ClusterWorkbench>(p => p.Add(c => c.Live, Live));
        Assert.Empty(cut.FindAll("[data-testid='node-panel']"));

        cut.Find($"g[data-testid='node-{leader.Value}']").Click();
        // the menu and the panel may render a moment after the click: wait on them, never sleep
        cut.WaitForElement("[data-testid='node-menu-details']", TimeSpan.FromSeconds(5)).Click();

        var panel = cut.WaitForElement("[data-testid='node-panel']", TimeSpan.FromSeconds(5));
        Assert.Equal(leader.Value.ToString(CultureInfo.InvariantCulture), panel.GetAttribute("data-node"));
        Assert.Equal("Leader", cut.Find("[data-testid='node-panel-role']").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid='kv-put']"));
    }

    [Fact]
    public void A_watch_only_workbench_hides_the_controls_but_keeps_the_cluster_in_view()
    {
        StartCluster(nodes: 5, seed: 42);
        ElectLeader();
        Live.CanControl = false;
        var cut = Render<ClusterWorkbench>(p => p.Add(c => c.Live, Live));

        Assert.Equal("false", cut.Find("[data-testid='workbench']").GetAttribute("data-can-control"));
        Assert.Empty(cut.FindAll("[data-testid='kv-put']"));
        Assert.Equal(5, cut.FindAll("g[data-testid^='node-']").Count);
        Assert.Equal(5, cut.FindAll("[data-testid^='kv-view-']").Count);
    }
}
