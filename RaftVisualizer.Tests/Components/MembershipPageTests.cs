using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Tests.Components;

/// <summary>Membership changes and snapshots on the page: the add-server button, the node menu's remove, learners, removed servers, the snapshot block.</summary>
public sealed class MembershipPageTests : ClusterComponentTest
{
    private IRenderedComponent<ClusterCanvas> RenderCanvas() => Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));

    /// <summary>A leader that has committed an entry of its term, so it may change the configuration.</summary>
    private NodeId ReadyLeader()
    {
        ElectLeader();
        return Drive(c =>
        {
            Assert.True(c.RunUntil(x => x.Leader is { } l && x.Node(l)!.CommitIndex > 0 &&
                x.Node(l)!.Entry(x.Node(l)!.CommitIndex)?.Term == x.Node(l)!.Term, TimeSpan.FromSeconds(5)), "the leader never committed in its term");
            return c.Leader!.Value;
        });
    }

    private void Put(string key, string value)
    {
        var op = Drive(c => c.Submit(KvCommand.Put(key, value)));
        Drive(c => c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5)));
        Assert.Equal(KvStatus.Ok, Pump.Read(_ => op.Result!.Status));
    }

    [Fact]
    public void Add_server_draws_S4_as_a_learner_and_then_as_a_voting_follower()
    {
        StartCluster(nodes: 3, seed: 1);
        ReadyLeader();
        var canvas = RenderCanvas();
        Assert.Empty(canvas.FindAll("g[data-testid='node-4']"));
        Assert.Equal("config S1 S2 S3", canvas.Find("[data-testid=cluster-config]").TextContent);

        canvas.Find("[data-testid=add-server]").Click();

        Assert.Contains("S4 joins as a learner", canvas.Find("[data-testid=canvas-action-result]").TextContent);
        var s4 = canvas.Find("g[data-testid='node-4']");
        Assert.Equal("Learner", s4.GetAttribute("data-role"));
        Assert.Contains("shape-hollow", s4.GetAttribute("class"));
        Assert.NotNull(s4.QuerySelector(".learner-badge"));
        Assert.Contains("learner", s4.QuerySelector(".role-text")!.TextContent);
        Assert.Equal("config S1 S2 S3 +S4", canvas.Find("[data-testid=cluster-config]").TextContent);
        Assert.Equal(6, canvas.FindAll("[data-testid^='link-']").Count); // S4 is linked to each of the three

        Drive(c => c.RunUntil(x => x.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)));
        RunFor(200);
        canvas.Render();
        s4 = canvas.Find("g[data-testid='node-4']");
        Assert.Equal("Follower", s4.GetAttribute("data-role"));
        Assert.Equal("Voter", s4.GetAttribute("data-membership"));
        Assert.Null(s4.QuerySelector(".learner-badge"));
        Assert.Equal("config S1 S2 S3 S4", canvas.Find("[data-testid=cluster-config]").TextContent);

        // The log shows both configuration entries, apart from the KV entries.
        var log = Render<LogView>(p => p.Add(v => v.Snapshot, Pump.Latest));
        var configs = log.FindAll("[data-testid=log-4] .entry[data-kind=config]");
        Assert.Equal(2, configs.Count);
        Assert.Contains("S1–S3 +S4", configs[0].TextContent);
        Assert.Contains("config S1 S2 S3 +S4", configs[0].GetAttribute("title"));
        Assert.Contains("S1–S4", configs[1].TextContent);
    }

    [Fact]
    public void Each_configuration_change_leaves_one_marker_on_the_timeline()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ReadyLeader();
        Assert.True(Live.Act(new ClusterCommand.AddServer()).Ok);
        Drive(c => c.RunUntil(x => x.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)));
        RunFor(200);
        Drive(c => c.RunUntil(x => x.RemoveServer(2).Ok, TimeSpan.FromSeconds(5)));
        RunFor(300);
        var markers = Live.Markers.Where(m => m.Kind == RaftVisualizer.Sessions.MarkerKind.Membership).Select(m => m.Label).ToArray();
        var rest = string.Join(" ", new[] { 1, 3, 4 }.Select(i => $"S{i}"));
        Assert.Equal(new[]
        {
            $"{leader} changes the configuration to config S1 S2 S3 +S4",
            $"{leader} changes the configuration to config S1 S2 S3 S4",
            $"{leader} changes the configuration to config {rest}",
        }, markers);
        var bar = Render<TimelineBar>(p => p.Add(t => t.Live, Live));
        Assert.Equal(3, bar.FindAll("[data-testid=marker][data-kind=membership]").Count);
    }

    [Fact]
    public void Going_back_before_the_new_server_takes_it_off_the_drawing_and_live_brings_it_back()
    {
        StartCluster(nodes: 3, seed: 2);
        ReadyLeader();
        var before = Pump.Latest.Steps;
        Assert.True(Live.Act(new ClusterCommand.AddServer()).Ok);
        RunFor(300);
        var canvas = RenderCanvas();
        Assert.Single(canvas.FindAll("g[data-testid='node-4']"));

        Live.SeekStep(before - 1);
        canvas.Render();
        Assert.Empty(canvas.FindAll("g[data-testid='node-4']"));
        Assert.Equal(3, canvas.FindAll("g[data-testid^='node-']").Count);
        Assert.Equal(3, canvas.FindAll("[data-testid^='link-']").Count);
        Assert.Equal(3, Render<LogView>(p => p.Add(v => v.Snapshot, Live.Snapshot)).FindAll("[data-testid^='log-label-']").Count);

        Live.GoLive();
        canvas.Render();
        Assert.Single(canvas.FindAll("g[data-testid='node-4']"));
        Assert.Equal(6, canvas.FindAll("[data-testid^='link-']").Count);
    }

    [Fact]
    public void A_new_server_keeps_clear_of_a_server_the_user_dragged_onto_its_ring_place_and_dragged_servers_stay()
    {
        StartCluster(nodes: 3, seed: 1);
        ReadyLeader();
        var canvas = RenderCanvas();
        // Where S4 would sit on a ring of four (S1 at the top, then clockwise: S4 on the left).
        var ring4 = (X: ClusterCanvas.Width / 2 - 190, Y: 268.0);
        Assert.True(Live.MoveServer(2, ring4.X + 10, ring4.Y + 5).Ok);
        canvas.Render();
        Assert.Equal((ring4.X + 10, ring4.Y + 5), Round(canvas.Instance.Position(2)));

        Assert.True(Live.Act(new ClusterCommand.AddServer()).Ok);
        canvas.Render();

        Assert.Equal((ring4.X + 10, ring4.Y + 5), Round(canvas.Instance.Position(2))); // the user's place holds
        var s4 = canvas.Instance.Position(4);
        var s2 = canvas.Instance.Position(2);
        var apart = Math.Sqrt((s4.X - s2.X) * (s4.X - s2.X) + (s4.Y - s2.Y) * (s4.Y - s2.Y));
        Assert.True(apart >= 2 * canvas.Instance.NodeRadius + 40, $"S4 sits {apart:0} from the dragged S2");
        foreach (var other in new NodeId[] { 1, 3 })
        {
            var p = canvas.Instance.Position(other);
            Assert.True(Math.Sqrt((s4.X - p.X) * (s4.X - p.X) + (s4.Y - p.Y) * (s4.Y - p.Y)) >= 2 * canvas.Instance.NodeRadius, $"S4 overlaps {other}");
        }
    }

    private static (double, double) Round((double X, double Y) p) => (Math.Round(p.X, 1), Math.Round(p.Y, 1));

    [Fact]
    public void Remove_from_cluster_in_the_node_menu_fades_the_server_and_its_links()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ReadyLeader();
        var victim = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        var canvas = RenderCanvas();

        canvas.Find($"g[data-testid='node-{victim.Value}']").Click();
        canvas.WaitForElement("[data-testid=node-menu-remove]").Click();
        Assert.Contains($"without {victim}", canvas.Find("[data-testid=canvas-action-result]").TextContent);
        RunFor(300);
        canvas.Render();

        var g = canvas.Find($"g[data-testid='node-{victim.Value}']");
        Assert.Equal("Removed", g.GetAttribute("data-membership"));
        Assert.Contains("removed", g.GetAttribute("class"));
        Assert.StartsWith("removed", g.QuerySelector(".role-text")!.TextContent);
        var links = canvas.FindAll("[data-testid^='link-']").Where(l => l.GetAttribute("data-link-ends")!.Split(',').Contains(victim.Value.ToString())).ToArray();
        Assert.Equal(2, links.Length);
        Assert.All(links, l => Assert.Contains("to-removed", l.GetAttribute("class")));
        Assert.DoesNotContain(victim.ToString(), canvas.Find("[data-testid=cluster-config]").TextContent.Split(' '));

        // Its menu now says why it is out, and offers no second removal.
        canvas.Find($"g[data-testid='node-{victim.Value}']").Click();
        Assert.Contains("no longer in the configuration", canvas.WaitForElement("[data-testid=node-menu-removed]").TextContent);
        Assert.Empty(canvas.FindAll("[data-testid=node-menu-remove]"));
    }

    [Fact]
    public void Refusals_show_their_sentence_no_leader_a_change_in_flight_and_nine_servers()
    {
        StartCluster(nodes: 3, seed: 1);
        var canvas = RenderCanvas();
        canvas.Find("[data-testid=add-server]").Click();
        Assert.Contains("There is no leader", canvas.Find("[data-testid=canvas-action-result].refused").TextContent);
        Assert.Equal(3, Pump.Latest.Nodes.Count);

        ReadyLeader();
        canvas.Render();
        canvas.Find("[data-testid=add-server]").Click();
        Assert.DoesNotContain("refused", canvas.Find("[data-testid=canvas-action-result]").GetAttribute("class"));
        canvas.Find("[data-testid=add-server]").Click();
        Assert.Contains("one change at a time", canvas.Find("[data-testid=canvas-action-result].refused").TextContent);
        Assert.Equal(4, Pump.Latest.Nodes.Count);
    }

    [Fact]
    public void A_tenth_server_is_refused_with_a_sentence()
    {
        StartCluster(nodes: 9, seed: 3);
        ReadyLeader();
        var canvas = RenderCanvas();
        canvas.Find("[data-testid=add-server]").Click();
        Assert.Contains("at most 9 servers", canvas.Find("[data-testid=canvas-action-result].refused").TextContent);
        Assert.Equal(9, Pump.Latest.Nodes.Count);
    }

    [Fact]
    public void The_log_view_shows_a_compacted_log_as_its_snapshot_block_then_the_entries_after_it()
    {
        StartCluster(nodes: 3, seed: 4, tweak: o => o with { SnapshotThreshold = 5 });
        ReadyLeader();
        for (var i = 0; i < 12; i++) Put($"k{i % 4}", $"v{i}");
        RunFor(300);
        var frame = Pump.Latest;
        var log = Render<LogView>(p => p.Add(v => v.Snapshot, frame));

        foreach (var n in frame.Nodes)
        {
            Assert.True(n.SnapshotIndex > 0, $"{n.Id} never compacted");
            var block = log.Find($"[data-testid=snapshot-{n.Id.Value}]");
            Assert.Equal(n.SnapshotIndex.ToString(), block.GetAttribute("data-last-index"));
            Assert.Equal(n.SnapshotTerm.ToString(), block.GetAttribute("data-last-term"));
            Assert.Contains($"snapshot ≤ {n.SnapshotIndex}", block.TextContent);
            Assert.Contains("4 keys", block.TextContent);
            Assert.Contains("S1–S3", block.TextContent);
            Assert.Contains("config S1 S2 S3", block.GetAttribute("title"));
            Assert.Contains("InstallSnapshot", block.GetAttribute("title"));
            var indexes = log.FindAll($"[data-testid=log-{n.Id.Value}] .entry").Select(e => long.Parse(e.GetAttribute("data-index")!)).ToArray();
            Assert.All(indexes, i => Assert.True(i > n.SnapshotIndex, $"entry {i} is drawn though {n.Id} compacted it"));
            Assert.Equal(n.Log.Select(e => e.Index).TakeLast(indexes.Length), indexes);
            Assert.Equal(n.LastLogIndex.ToString(), log.Find($"[data-testid=log-{n.Id.Value}]").GetAttribute("data-length"));
        }

        var leader = frame.Leader!.Value;
        var panel = Render<NodePanel>(p => p.Add(v => v.Snapshot, frame).Add(v => v.NodeId, leader));
        Assert.Contains($"up to entry {frame.Node(leader)!.SnapshotIndex}", panel.Find("[data-testid=node-panel-snapshot]").TextContent);
        Assert.Contains("4 keys", panel.Find("[data-testid=node-panel-snapshot]").TextContent);
        Assert.Equal("config S1 S2 S3", panel.Find("[data-testid=node-panel-config]").TextContent);
        Assert.Contains("after the snapshot", panel.Find("[data-testid=node-panel-log]").TextContent);
    }

    [Fact]
    public void InstallSnapshot_in_flight_is_drawn_as_a_parcel_and_TimeoutNow_as_a_star()
    {
        StartCluster(nodes: 3, seed: 4, tweak: o => o with { SnapshotThreshold = 5 });
        var leader = ReadyLeader();
        var lagging = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Drive(c => c.Crash(lagging));
        for (var i = 0; i < 12; i++) Put($"k{i % 4}", $"v{i}");
        Drive(c => c.Restart(lagging));
        Drive(c => c.RunUntil(x => x.Frame().Messages.Any(m => m.Message is InstallSnapshot), TimeSpan.FromSeconds(2)));
        var canvas = RenderCanvas();
        var parcel = canvas.Find("[data-testid=message][data-kind=snapshot]");
        Assert.NotNull(parcel.QuerySelector("rect.shape"));
        Assert.Contains("InstallSnapshot", parcel.QuerySelector("title")!.TextContent);
        Assert.Contains("compacted away", parcel.QuerySelector("title")!.TextContent);

        Drive(c => c.RunUntil(x => x.Node(lagging)!.LastLogIndex == x.Node(leader)!.LastLogIndex, TimeSpan.FromSeconds(2)));
        Assert.True(Live.Act(new ClusterCommand.TransferLeadership(lagging)).Ok);
        Drive(c => c.RunUntil(x => x.Frame().Messages.Any(m => m.Message is TimeoutNow), TimeSpan.FromSeconds(2)));
        canvas.Render();
        var star = canvas.Find("[data-testid=message][data-kind=timeoutnow]");
        Assert.NotNull(star.QuerySelector("path.shape"));
        Assert.Contains("start an election now", star.QuerySelector("title")!.TextContent);
    }
}
