using System.Globalization;
using Blazor.Diagrams.Core.Geometry;
using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Scenarios;

namespace RaftVisualizer.Tests.Components;

/// <summary>The server widget on its own, and the link menu on the canvas, driven as a student would.</summary>
public sealed class DiagramWidgetTests : ClusterComponentTest
{
    private static NodeFrame Server(int id, NodeRole role, long term, bool up = true, int votes = 0) => new(
        id, up, role, term, null, [], 0, 0, new Dictionary<string, string>(), null,
        role == NodeRole.Leader || !up ? null : TimeSpan.FromMilliseconds(250),
        Enumerable.Range(1, votes).Select(v => (NodeId)v).ToArray(), new Dictionary<NodeId, long>(), new Dictionary<NodeId, long>());

    private IRenderedComponent<ServerNodeWidget> RenderWidget(NodeFrame n, bool knownLeader = false) =>
        Render<ServerNodeWidget>(p => p.Add(w => w.Node, new ServerNodeModel(n.Id, new ServerLook(n, knownLeader, 2, 42), new Point(200, 200))));

    [Fact]
    public void A_leader_is_a_square_with_a_crown_and_no_timer_ring()
    {
        var cut = RenderWidget(Server(2, NodeRole.Leader, 4), knownLeader: true);

        var g = cut.Find("[data-testid='node-2']");
        Assert.Equal(("Leader", "4", "true"), (g.GetAttribute("data-role"), g.GetAttribute("data-term"), g.GetAttribute("data-up")));
        Assert.Equal("rect", cut.Find(".body").TagName.ToLowerInvariant());
        Assert.Equal(TermPalette.Fill(4), cut.Find(".body").GetAttribute("fill"));
        Assert.NotNull(cut.Find("[data-testid='leader']"));
        Assert.Empty(cut.FindAll(".timer"));
    }

    [Fact]
    public void A_candidate_shows_its_timer_ring_badge_and_one_dot_per_vote_needed()
    {
        var cut = RenderWidget(Server(1, NodeRole.Candidate, 3, votes: 1));

        Assert.Equal("Candidate", cut.Find("[data-testid='node-1']").GetAttribute("data-role"));
        Assert.Equal("250", cut.Find(".timer").GetAttribute("data-deadline"));
        Assert.Equal("C", cut.Find(".candidate-badge text").TextContent);
        Assert.Equal(3 / 2 + 1, cut.FindAll("[data-testid='votes-1'] circle").Count);
        Assert.Single(cut.FindAll("[data-testid='votes-1'] circle.got"));
    }

    [Fact]
    public void A_crashed_server_is_grey_and_crossed_out()
    {
        var cut = RenderWidget(Server(3, NodeRole.Follower, 2, up: false));

        Assert.Equal("false", cut.Find("[data-testid='node-3']").GetAttribute("data-up"));
        Assert.Equal("#d6d6d6", cut.Find(".body").GetAttribute("fill"));
        Assert.NotNull(cut.Find(".down-mark"));
        Assert.Contains("down", cut.Find(".name").TextContent);
        Assert.Empty(cut.FindAll(".timer"));
    }

    [Fact]
    public void Every_pair_of_servers_is_one_link_drawn_working()
    {
        StartCluster(nodes: 5);
        var cut = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));

        var links = cut.FindAll("[data-testid^='link-']");
        Assert.Equal(10, links.Count);
        Assert.All(links, l => Assert.Equal("working", l.GetAttribute("data-state")));
        Assert.NotNull(cut.Find("[data-testid='link-1-2']"));
        Assert.Empty(cut.FindAll("[data-testid='link-2-1']"));
    }

    [Fact]
    public void The_link_menu_cuts_one_direction_then_the_other_then_restores_both()
    {
        StartCluster(nodes: 3);
        var cut = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));

        cut.Find("[data-testid='link-1-3']").Click();
        Assert.Contains("S1 ⟷ S3", cut.Find("[data-testid='link-menu']").TextContent);
        Time.Advance(TimeSpan.FromSeconds(1)); // the action publishes at once
        cut.Find("[data-testid='link-menu-cut-ab']").Click();
        Assert.Equal("cut-ab", cut.Find("[data-testid='link-1-3']").GetAttribute("data-state"));
        Assert.False(Pump.Read(c => c.Network.CanReach(1, 3)));
        Assert.True(Pump.Read(c => c.Network.CanReach(3, 1)));
        Assert.Empty(cut.FindAll("[data-testid='link-menu']")); // the menu closes after an action

        cut.Find("[data-testid='link-1-3']").Click();
        Time.Advance(TimeSpan.FromSeconds(1)); // the action publishes at once
        cut.Find("[data-testid='link-menu-cut-ba']").Click();
        Assert.Equal("cut", cut.Find("[data-testid='link-1-3']").GetAttribute("data-state"));

        cut.Find("[data-testid='link-1-3']").Click();
        Assert.Contains("Restore both ways", cut.Find("[data-testid='link-menu-cut-both']").TextContent);
        Time.Advance(TimeSpan.FromSeconds(1)); // the action publishes at once
        cut.Find("[data-testid='link-menu-cut-both']").Click();
        Assert.Equal("working", cut.Find("[data-testid='link-1-3']").GetAttribute("data-state"));
        Assert.True(Pump.Read(c => c.Network.CanReach(1, 3) && c.Network.CanReach(3, 1)));
    }

    [Fact]
    public void The_link_menu_sets_latency_and_loss_for_both_directions_and_the_link_shows_it()
    {
        StartCluster(nodes: 3);
        var cut = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));

        cut.Find("[data-testid='link-2-3']").Click();
        cut.Find("[data-testid='link-menu-latency']").Change("200");
        cut.Find("[data-testid='link-menu-loss']").Change("25");
        Time.Advance(TimeSpan.FromSeconds(1)); // the action publishes at once
        cut.Find("[data-testid='link-menu-apply']").Click();

        var link = cut.Find("[data-testid='link-2-3']");
        Assert.Equal("lossy-slow", link.GetAttribute("data-state"));
        Assert.Equal("0.25", link.GetAttribute("data-loss-ab"));
        var settings = Pump.Read(c => (c.Network.Link(2, 3), c.Network.Link(3, 2)));
        Assert.Equal((TimeSpan.FromMilliseconds(200), 0.25), (settings.Item1.Max!.Value, settings.Item1.Loss));
        Assert.Equal((TimeSpan.FromMilliseconds(200), 0.25), (settings.Item2.Max!.Value, settings.Item2.Loss));
        Assert.Contains("25%", link.TextContent);
        // The scenario records the link's loss, so an exported run replays it.
        Assert.Contains(Pump.Read(c => c.Scenario.Commands), t => t.Command is ClusterCommand.SetLinkLoss { Rate: 0.25 });
    }

    [Fact]
    public void A_watcher_sees_the_link_but_gets_no_controls()
    {
        StartCluster(nodes: 3);
        Live.CanControl = false;
        var cut = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));

        cut.Find("[data-testid='link-1-2']").Click();

        Assert.Contains("works", cut.Find("[data-testid='link-menu']").TextContent);
        Assert.Empty(cut.FindAll("[data-testid^='link-menu-cut']"));
        Assert.Empty(cut.FindAll("[data-testid='link-menu-apply']"));
    }

    [Fact]
    public void A_message_can_be_duplicated_then_dropped_from_its_panel()
    {
        StartCluster(nodes: 3);
        ElectLeader();
        RunFor(60);
        var cut = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));
        var first = Pump.Latest.Messages[0];

        cut.Find($"[data-testid='message'][data-id='{first.Id}']").Click();
        Time.Advance(TimeSpan.FromSeconds(1)); // the action publishes at once
        cut.Find("[data-testid='message-duplicate']").Click();
        Assert.Equal(2, Pump.Latest.Messages.Count(m => m.Message == first.Message));
        Assert.Contains("twice", cut.Find("[data-testid='canvas-action-result']").TextContent);

        Time.Advance(TimeSpan.FromSeconds(1)); // the action publishes at once
        cut.Find("[data-testid='message-drop']").Click();
        Assert.DoesNotContain(Pump.Latest.Messages, m => m.Id == first.Id);
        Assert.Empty(cut.FindAll($"[data-testid='message'][data-id='{first.Id}']"));
        Assert.Empty(cut.FindAll("[data-testid='message-details']"));
        Assert.Equal(first.Id.ToString(CultureInfo.InvariantCulture),
            Pump.Read(c => c.Scenario.Commands.Select(t => t.Command).OfType<ClusterCommand.DropMessage>().Last().Message).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_room_viewer_sees_where_the_presenter_put_a_server_and_cannot_move_one()
    {
        StartCluster(nodes: 3);
        using var viewer = new RaftVisualizer.Sessions.LiveCluster(Pump, ownsPump: false, canControl: false);
        var presenterCanvas = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));
        var viewerCanvas = Render<ClusterCanvas>(p => p.Add(c => c.Live, viewer));

        Assert.True(Live.MoveServer(2, 500, 120).Ok); // what the end of a drag does
        Assert.False(viewer.MoveServer(2, 10, 10).Ok);
        // Both pages redraw at once, without waiting for a publish (the cluster may be paused).

        foreach (var canvas in new[] { presenterCanvas, viewerCanvas })
            canvas.WaitForAssertion(() =>
            {
                var style = canvas.Find(".diagram-node:has([data-testid='node-2'])").GetAttribute("style")!;
                var half = ServerNodeModel.Half(canvas.Instance.NodeRadius);
                Assert.Contains($"left: {(500 - half).ToString(CultureInfo.InvariantCulture)}px", style);
                Assert.Contains($"top: {(120 - half).ToString(CultureInfo.InvariantCulture)}px", style);
            });
        Assert.Contains("locked", viewerCanvas.Find(".diagram-node:has([data-testid='node-2'])").ClassName);
    }
}
