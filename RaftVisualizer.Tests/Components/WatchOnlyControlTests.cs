using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// A watcher who re-enables a control in the browser (removes its <c>disabled</c> attribute) sends the
/// same event a presenter would. Each test renders a panel as presenter, so every control is live in
/// the markup, takes the right to control away, and then fires each handler: the server refuses it,
/// says why, and nothing about the cluster or its pacing changes.
/// </summary>
public sealed class WatchOnlyControlTests : ClusterComponentTest
{
    /// <summary>What a watcher must not be able to change.</summary>
    private (bool Paused, double Speed, long Steps, ulong Seed, int Nodes, int History, TimeSpan Min, TimeSpan Max, double Loss, int Groups, string Up) State() =>
        Pump.Read(c => (Pump.IsPaused, Pump.Speed, c.Steps, c.Options.Seed, c.Options.NodeCount, c.History.Count,
            c.Network.MinLatency, c.Network.MaxLatency, c.Network.LossRate, c.Network.Groups.Count,
            string.Concat(c.Nodes.Select(n => n.IsUp ? "u" : "d"))));

    private void Revoke() => Live.CanControl = false;

    [Fact]
    public void Control_bar_handlers_refuse_a_watcher_pause_step_speed_and_reset()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        Pump.Pause(); // so Step's button is live too
        var bar = Render<ControlBar>(p => p.Add(b => b.Live, Live));
        bar.Find("[data-testid=reset]").Click();           // the reset form, open while still presenting
        var before = State();
        Revoke();

        bar.Find("[data-testid=speed]").Input("100");        // 10×
        Assert.Equal(before, State());
        bar.WaitForAssertion(() => Assert.Equal(LiveCluster.WatchOnly, bar.Find("[data-testid=control-refused]").TextContent));

        bar.Find("[data-testid=reset-nodes-7]").Click();
        bar.Find("[data-testid=reset-apply]").Click();
        Assert.Equal(before, State());

        Assert.False(Live.TogglePause().Ok);
        Assert.False(Live.Step().Ok);
        Assert.False(Live.SetSpeed(2).Ok);
        Assert.False(Live.Replace(new Cluster(new ClusterOptions { NodeCount = 7, Seed = 9 })).Ok);
        Assert.Equal(before, State());
        bar.WaitForAssertion(() => Assert.Contains("Watch-only", bar.Find("[data-testid=control-refused]").TextContent));
    }

    [Fact]
    public void Network_panel_handlers_refuse_a_watcher_latency_loss_duplication_and_partitions()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        var panel = Render<NetworkPanel>(p => p.Add(n => n.Live, Live));
        panel.Find("[data-testid=group-1-B]").Click(); // picking groups is the page's own state, not the cluster's
        var before = State();
        var commands = Pump.Read(c => c.Scenario.Commands.Count);
        Revoke();

        panel.Find("[data-testid=latency-min]").Change("200");
        panel.Find("[data-testid=latency-max]").Change("400");
        panel.Find("[data-testid=loss]").Change("50");
        panel.Find("[data-testid=duplication]").Change("50");
        panel.Find("[data-testid=isolate-leader]").Click();
        panel.Find("[data-testid=split-majority]").Click();
        panel.Find("[data-testid=heal]").Click();
        panel.Find("[data-testid=apply-groups]").Click();

        Assert.Equal(before, State());
        Assert.Equal(commands, Pump.Read(c => c.Scenario.Commands.Count));
        Assert.Equal(0, Pump.Read(c => c.Network.DuplicateRate));
        panel.WaitForAssertion(() => Assert.Contains("Watch-only", panel.Markup));
    }

    [Fact]
    public void Kv_form_refuses_a_watchers_put_and_says_why()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        var form = Render<KvForm>(p => p.Add(f => f.Live, Live));
        form.Find("input[data-testid=kv-key]").Input("x");
        form.Find("input[data-testid=kv-value]").Input("1");
        var before = State();
        Revoke();

        form.Find("[data-testid=kv-put]").Click();
        RunFor(1000);

        Assert.Equal(before.History, State().History);
        Assert.False(Pump.Read(c => c.Nodes.Any(n => n.Kv.ContainsKey("x"))), "a watcher's put reached the cluster");
        form.WaitForAssertion(() => Assert.Contains("Watch-only", form.Markup));
    }

    [Fact]
    public void Protocol_panel_refuses_a_watchers_new_cluster_and_re_run_and_says_why()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        var panel = Render<ProtocolPanel>(p => p.Add(x => x.Live, Live));
        panel.Find("[data-testid=protocol-open]").Click();
        panel.Find("[data-testid=protocol-preset-etcd]").Click();
        panel.Find("[data-testid=protocol-broken-ReadsFromAnyNode]").Change(true);
        var before = State();
        var options = Pump.Read(c => c.Options);
        var generation = Pump.Generation;
        Revoke();

        panel.Find("[data-testid=protocol-apply]").Click();
        Assert.Equal(LiveCluster.WatchOnly, panel.Find("[data-testid=protocol-message]").TextContent);
        panel.Find("[data-testid=protocol-rerun]").Click();

        Assert.Equal(before, State());
        Assert.Equal(options, Pump.Read(c => c.Options));
        Assert.Equal(generation, Pump.Generation);
        Assert.False(Live.StartFresh(options with { PreVote = true }).Ok);
        Assert.False(Live.Rerun(options with { PreVote = true }).Ok);
        Assert.Equal(options, Pump.Read(c => c.Options));
        panel.WaitForAssertion(() => Assert.Equal(LiveCluster.WatchOnly, panel.Find("[data-testid=protocol-message]").TextContent));
    }

    [Fact]
    public void Kv_form_refuses_a_watchers_change_of_read_mode()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        var form = Render<KvForm>(p => p.Add(f => f.Live, Live));
        var before = State();
        var generation = Pump.Generation;
        Revoke();

        form.Find("[data-testid=kv-read-ReadIndex]").Change(true);

        Assert.Equal(before, State());
        Assert.Equal(ReadMode.Log, Pump.Read(c => c.Options.ReadMode));
        Assert.Equal(generation, Pump.Generation);
        form.WaitForAssertion(() => Assert.Equal(LiveCluster.WatchOnly, form.Find("[data-testid=kv-read-note]").TextContent));
    }

    [Fact]
    public void Node_menu_refuses_a_watchers_crash()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        var canvas = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));
        canvas.Find($"g[data-testid='node-{leader.Value}']").Click();
        var crash = canvas.WaitForElement("[data-testid='node-menu-crash']", TimeSpan.FromSeconds(5));
        var before = State();
        Revoke();

        crash.Click();

        Assert.Equal(before, State());
        canvas.WaitForAssertion(() => Assert.Equal(LiveCluster.WatchOnly, canvas.Find("[data-testid=canvas-action-result]").TextContent));
    }

    [Fact]
    public void Node_menu_refuses_a_watchers_timeout_and_isolate()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        var follower = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        var canvas = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));
        var before = State();
        var commands = Pump.Read(c => c.Scenario.Commands.Count);

        foreach (var action in new[] { "node-menu-timeout", "node-menu-isolate" })
        {
            canvas.Find($"g[data-testid='node-{follower.Value}']").Click();
            var button = canvas.WaitForElement($"[data-testid='{action}']", TimeSpan.FromSeconds(5));
            Revoke();
            button.Click();
            Live.CanControl = true; // the next menu opens with its controls, as it did for the presenter
        }

        Assert.Equal(before, State());
        Assert.Equal(commands, Pump.Read(c => c.Scenario.Commands.Count));
        canvas.WaitForAssertion(() => Assert.Equal(LiveCluster.WatchOnly, canvas.Find("[data-testid=canvas-action-result]").TextContent));
    }

    [Fact]
    public void Link_menu_refuses_a_watchers_cuts_and_link_settings()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        var canvas = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));
        var before = State();
        var commands = Pump.Read(c => c.Scenario.Commands.Count);

        foreach (var action in new[] { "link-menu-cut-ab", "link-menu-cut-ba", "link-menu-cut-both", "link-menu-apply" })
        {
            canvas.Find("[data-testid='link-1-3']").Click();
            if (action == "link-menu-apply") canvas.Find("[data-testid='link-menu-loss']").Change("50");
            var button = canvas.Find($"[data-testid='{action}']");
            Revoke();
            button.Click();
            Assert.Equal(LiveCluster.WatchOnly, canvas.Find("[data-testid=canvas-action-result]").TextContent);
            Live.CanControl = true;
        }

        Assert.Equal(before, State());
        Assert.Equal(commands, Pump.Read(c => c.Scenario.Commands.Count));
        Assert.Empty(Pump.Read(c => c.Network.Cuts));
        Assert.Empty(Pump.Read(c => c.Network.LinkSettings));
    }

    [Fact]
    public void Add_server_and_remove_from_cluster_refuse_a_watcher()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        Drive(c => c.RunUntil(x => x.Node(leader)!.CommitIndex > 0, TimeSpan.FromSeconds(2)));
        var follower = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        var canvas = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));
        var before = (State(), Pump.Read(c => c.Configuration.ToString()), Pump.Read(c => c.Nodes.Count));

        var add = canvas.Find("[data-testid=add-server]");
        Revoke();
        add.Click();
        Assert.Equal(before, (State(), Pump.Read(c => c.Configuration.ToString()), Pump.Read(c => c.Nodes.Count)));
        Assert.Equal(LiveCluster.WatchOnly, canvas.Find("[data-testid=canvas-action-result]").TextContent);

        Live.CanControl = true;
        canvas.Render();
        canvas.Find($"g[data-testid='node-{follower.Value}']").Click();
        var remove = canvas.WaitForElement("[data-testid='node-menu-remove']");
        Revoke();
        remove.Click();
        Assert.Equal(before, (State(), Pump.Read(c => c.Configuration.ToString()), Pump.Read(c => c.Nodes.Count)));
        Assert.Equal(LiveCluster.WatchOnly, canvas.Find("[data-testid=canvas-action-result]").TextContent);
        Assert.False(Live.Act(new ClusterCommand.AddServer()).Ok);
        Assert.False(Live.Act(new ClusterCommand.RemoveServer(follower)).Ok);
        Assert.Equal("config S1 S2 S3", Pump.Read(c => c.Configuration.ToString()));
    }

    [Fact]
    public async Task Keyboard_shortcuts_refuse_a_watcher_space_and_step()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        Services.AddSingleton(new RoomRegistry(Options.Create(new RoomOptions()))); // for the share button
        var bench = Render<ClusterWorkbench>(p => p.Add(c => c.Live, Live));
        var before = State();
        Revoke();

        await bench.Instance.OnShortcut("space");
        await bench.Instance.OnShortcut("s");

        Assert.Equal(before, State());
    }

    [Fact]
    public async Task Timeline_handlers_let_a_watcher_look_back_alone_but_never_act_reset_or_move_the_room()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        RunFor(500);
        Time.Advance(TimeSpan.FromSeconds(1));
        Pump.SeekTime(TimeSpan.FromMilliseconds(100));
        Assert.True(Live.Act(new ClusterCommand.Crash(leader)).Ok); // a presenter's fork leaves a branch behind
        Services.AddSingleton(new RoomRegistry(Options.Create(new RoomOptions())));
        var bench = Render<ClusterWorkbench>(p => p.Add(c => c.Live, Live));
        var before = State();
        Revoke();

        await bench.Instance.OnShortcut("left");
        await bench.Instance.OnShortcut("shift-left");
        Assert.False(Live.IsLive); // the watcher looks back on their own ...
        Assert.True(Pump.IsLive);  // ... and the room stays where it was
        Assert.False(Live.Act(new ClusterCommand.Restart(leader)).Ok);
        Assert.False(Live.SwitchBranch(0).Ok);
        Assert.False(Live.Reset(new ClusterOptions { NodeCount = 5, Seed = 2 }).Ok);
        Assert.False(Live.Replace(new RaftVisualizer.Core.Time.Timeline(new ClusterOptions { NodeCount = 5, Seed = 2 })).Ok);
        Assert.Single(Live.Branches);
        await bench.Instance.OnShortcut("end");
        Assert.True(Live.IsLive);
        Assert.Equal(before.Up, State().Up);
        Assert.Equal(before.Nodes, State().Nodes);
    }
}
