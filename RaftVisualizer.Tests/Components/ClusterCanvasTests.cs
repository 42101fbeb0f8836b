using RaftVisualizer.Tests.Infrastructure;
using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// The canvas rendered by bUnit over a real <see cref="Cluster"/> in a <see cref="ClusterPump"/> with no
/// background loop: the test moves a manual clock and calls the pump itself.
/// </summary>
public sealed class ClusterCanvasTests : BunitContext
{
    private readonly ManualTime _time = new();
    private readonly ClusterPump _pump;
    private readonly LiveCluster _live;

    public ClusterCanvasTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.SetupDiagramCanvas();
        Services.AddMudServices();
        Services.AddScoped<DisplayMode>();
        _pump = new ClusterPump(new ClusterOptions { NodeCount = 5, Seed = 42 }, speed: 1, time: _time);
        _live = new LiveCluster(_pump, ownsPump: true, canControl: true);
    }

    protected override void Dispose(bool disposing)
    {
        _live.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Runs a command through the pump after enough wall time that it publishes at once.</summary>
    private T Do<T>(Func<Cluster, T> command)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return _pump.ExecuteForTest(command);
    }

    private NodeId ElectLeader()
    {
        Assert.True(Do(c => c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5))));
        return _pump.Latest.Leader!.Value;
    }

    private IRenderedComponent<ClusterCanvas> RenderCanvas(bool canControl = true)
    {
        _live.CanControl = canControl;
        return Render<ClusterCanvas>(p => p.Add(c => c.Live, _live));
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);

    [Fact]
    public void Clicking_crash_in_the_node_menu_marks_the_node_down()
    {
        var leader = ElectLeader();
        var cut = RenderCanvas();
        Assert.Equal("true", cut.Find($"[data-testid='node-{leader.Value}']").GetAttribute("data-up"));

        cut.Find($"[data-testid='node-{leader.Value}']").Click();
        _time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForElement("[data-testid='node-menu-crash']", TimeSpan.FromSeconds(5)).Click();

        var node = cut.Find($"[data-testid='node-{leader.Value}']");
        Assert.Equal("false", node.GetAttribute("data-up"));
        Assert.False(_pump.Latest.Node(leader)!.IsUp);
        Assert.Empty(cut.FindAll($"[data-testid='node-{leader.Value}'] [data-testid='leader']"));
        Assert.Contains($"{leader} crashed", cut.Find("[data-testid='canvas-action-result']").TextContent);
        Assert.Empty(cut.FindAll("[data-testid='node-menu']"));
    }

    [Fact]
    public void Restart_from_the_menu_brings_a_crashed_node_back_as_a_follower()
    {
        var leader = ElectLeader();
        Do(c => c.Crash(leader));
        var cut = RenderCanvas();

        cut.Find($"[data-testid='node-{leader.Value}']").Click();
        Assert.Empty(cut.FindAll("[data-testid='node-menu-crash']"));
        _time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForElement("[data-testid='node-menu-restart']", TimeSpan.FromSeconds(5)).Click();

        var node = cut.Find($"[data-testid='node-{leader.Value}']");
        Assert.Equal("true", node.GetAttribute("data-up"));
        Assert.Equal("Follower", node.GetAttribute("data-role"));
    }

    [Fact]
    public void Roles_terms_and_liveness_rendered_match_the_snapshot()
    {
        var leader = ElectLeader();
        var follower = _pump.Latest.Nodes.First(n => n.Id != leader).Id;
        Do(c => c.Crash(follower));
        var cut = RenderCanvas();

        var snapshot = _pump.Latest;
        Assert.Equal(5, cut.FindAll("g[data-testid^='node-']").Count);
        foreach (var n in snapshot.Nodes)
        {
            var g = cut.Find($"[data-testid='node-{n.Id.Value}']");
            var role = n.Role switch { NodeRole.Leader => "Leader", NodeRole.Follower => "Follower", _ => "Candidate" };
            Assert.Equal(role, g.GetAttribute("data-role"));
            Assert.Equal(n.Term.ToString(CultureInfo.InvariantCulture), g.GetAttribute("data-term"));
            Assert.Equal(n.IsUp ? "true" : "false", g.GetAttribute("data-up"));
            Assert.Equal(n.Term.ToString(CultureInfo.InvariantCulture), g.QuerySelector(".term")!.TextContent);
        }
        Assert.Single(cut.FindAll("[data-testid='leader']"));
        Assert.NotNull(cut.Find($"[data-testid='node-{leader.Value}'] [data-testid='leader']"));
        Assert.Equal("false", cut.Find($"[data-testid='node-{follower.Value}']").GetAttribute("data-up"));
    }

    [Fact]
    public void A_pre_candidate_is_drawn_as_a_candidate_with_its_vote_tally()
    {
        var pump = new ClusterPump(new ClusterOptions { NodeCount = 3, Seed = 9, PreVote = true }, speed: 1, time: _time);
        using var live = new LiveCluster(pump, ownsPump: true, canControl: true);
        // Force S1 to time out before anyone else: it asks for votes and has only its own so far.
        _time.Advance(TimeSpan.FromSeconds(1));
        pump.Execute(new ClusterCommand.ForceTimeout(1));
        var cut = Render<ClusterCanvas>(p => p.Add(c => c.Live, live));

        var s1 = pump.Latest.Node(1)!;
        Assert.True(s1.Role is NodeRole.PreCandidate or NodeRole.Candidate);
        Assert.Equal("Candidate", cut.Find("[data-testid='node-1']").GetAttribute("data-role"));
        Assert.Equal(s1.VotesReceived.Count.ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid='votes-1']").GetAttribute("data-votes"));
        Assert.Equal(2, cut.FindAll("[data-testid='votes-1'] circle").Count); // a majority of 3 is 2
    }

    [Fact]
    public void Message_dots_carry_their_endpoints_and_times()
    {
        ElectLeader();
        Do(c => { c.RunFor(TimeSpan.FromMilliseconds(60)); return 0; });
        var cut = RenderCanvas();

        var messages = _pump.Latest.Messages;
        Assert.NotEmpty(messages);
        var dots = cut.FindAll("[data-testid='message']");
        Assert.Equal(messages.Count, dots.Count);
        foreach (var f in messages)
        {
            var dot = cut.Find($"[data-testid='message'][data-id='{f.Id}']");
            Assert.Equal(f.Message.From.Value.ToString(CultureInfo.InvariantCulture), dot.GetAttribute("data-from"));
            Assert.Equal(f.Message.To.Value.ToString(CultureInfo.InvariantCulture), dot.GetAttribute("data-to"));
            Assert.Equal(Ms(f.SentAt), dot.GetAttribute("data-sent"));
            Assert.Equal(Ms(f.ArrivesAt), dot.GetAttribute("data-arrives"));
            var kind = f.Message switch
            {
                AppendEntries { IsHeartbeat: true } => "heartbeat",
                AppendEntries => "appendentries",
                AppendEntriesReply => "append-reply",
                RequestVote => "requestvote",
                RequestVoteReply => "vote-reply",
                _ => "other",
            };
            Assert.Equal(kind, dot.GetAttribute("data-kind"));
            Assert.Contains(f.Message.From.ToString(), dot.QuerySelector("title")!.TextContent);
        }
        Assert.Equal(Ms(_pump.Latest.Now), cut.Find("[data-testid='cluster-canvas']").GetAttribute("data-sim-now"));
    }

    [Fact]
    public void Clicking_a_message_lists_its_fields()
    {
        ElectLeader();
        Do(c => { c.RunFor(TimeSpan.FromMilliseconds(60)); return 0; });
        var cut = RenderCanvas();
        var first = _pump.Latest.Messages[0];

        cut.Find($"[data-testid='message'][data-id='{first.Id}']").Click();

        var panel = cut.Find("[data-testid='message-details']");
        Assert.Contains(first.Message.Kind, panel.TextContent);
        Assert.Contains("Term", panel.TextContent);
        Assert.Contains(first.Message.Term.ToString(CultureInfo.InvariantCulture), panel.TextContent);
    }

    [Fact]
    public void A_partition_is_drawn_as_cut_links()
    {
        var leader = ElectLeader();
        Do(c => c.Isolate(leader));
        var cut = RenderCanvas();

        Assert.Equal(4, cut.FindAll("[data-testid^='cut-']").Count);
        Assert.All(cut.FindAll("[data-testid^='cut-']"), g => Assert.Contains($"-{leader.Value}", "-" + g.GetAttribute("data-testid")!.Replace("cut-", "")));
    }

    [Fact]
    public void A_watch_only_viewer_gets_no_controls_in_the_menu()
    {
        var leader = ElectLeader();
        var cut = RenderCanvas(canControl: false);

        cut.Find($"[data-testid='node-{leader.Value}']").Click();

        Assert.Empty(cut.FindAll("[data-testid='node-menu-crash']"));
        Assert.Empty(cut.FindAll("[data-testid='node-menu-isolate']"));
        Assert.NotNull(cut.Find("[data-testid='node-menu-details']"));
    }

    [Fact]
    public void A_committed_put_shows_in_every_live_nodes_kv_view_as_text()
    {
        var leader = ElectLeader();
        var down = _pump.Latest.Nodes.First(n => n.Id != leader).Id;
        Do(c => c.Crash(down));
        var op = Do(c => c.Submit(KvCommand.Put("colour", "<b>blue</b>")));
        Do(c => c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5)));
        Do(c => { c.RunFor(TimeSpan.FromMilliseconds(200)); return 0; }); // followers learn the commit index
        var cut = RenderCanvas();

        foreach (var n in _pump.Latest.Nodes)
        {
            var view = cut.Find($"[data-testid='kv-view-{n.Id.Value}']");
            if (n.IsUp) Assert.Contains("colour=<b>blue</b>", view.TextContent);
            else Assert.Contains("down", view.TextContent);
        }
        Assert.Empty(cut.FindAll("[data-testid^='kv-view-'] b"));
    }

    [Fact]
    public void Node_panel_marks_durable_and_volatile_state_apart()
    {
        var leader = ElectLeader();
        var cut = Render<NodePanel>(p => p.Add(c => c.Snapshot, _pump.Latest).Add(c => c.NodeId, leader));

        var n = _pump.Latest.Node(leader)!;
        Assert.Equal(n.Term.ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid='node-panel-term']").TextContent);
        Assert.Equal("Leader", cut.Find("[data-testid='node-panel-role']").TextContent);
        Assert.Equal(n.CommitIndex.ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid='node-panel-commit']").TextContent);
        Assert.Contains("Durable", cut.Find(".section.durable").TextContent);
        Assert.Contains("Volatile", cut.Find(".section.volatile").TextContent);
        Assert.Equal(4, cut.FindAll(".indexes tbody tr").Count);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = TimeSpan.FromHours(1).Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref _ticks);
        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
