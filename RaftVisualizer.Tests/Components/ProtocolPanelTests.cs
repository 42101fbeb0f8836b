using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>The protocol panel: every switch, read mode, number and preset reaches the options of the new cluster, from the same seed.</summary>
public sealed class ProtocolPanelTests : ClusterComponentTest
{
    private IRenderedComponent<ProtocolPanel> Open()
    {
        var panel = Render<ProtocolPanel>(p => p.Add(x => x.Live, Live));
        panel.Find("[data-testid=protocol-open]").Click();
        return panel;
    }

    private ClusterOptions Running => Pump.Read(c => c.Options);

    public static TheoryData<string> SwitchIds() => [.. Protocol.Switches.Concat(Protocol.Broken).Select(s => s.Id)];

    [Theory]
    [MemberData(nameof(SwitchIds))]
    public void Each_switch_turns_on_in_the_new_cluster_from_the_same_seed_and_nothing_else_changes(string id)
    {
        StartCluster(nodes: 5, seed: 4);
        var before = Running;
        var s = Protocol.Switches.Concat(Protocol.Broken).Single(x => x.Id == id);
        var panel = Open();

        panel.Find($"[data-testid=protocol-{id}]").Change(true);
        panel.Find("[data-testid=protocol-apply]").Click();

        Assert.Equal(s.Set(before, true), Running);
        Assert.True(s.IsOn(Running));
        Assert.Equal((5, 4UL), (Running.NodeCount, Running.Seed));
        panel.WaitForAssertion(() => Assert.Contains("Started a new cluster from seed 4", panel.Find("[data-testid=protocol-message]").TextContent));
        if (s.Unsafe) Assert.Contains("rule broken", panel.Find("[data-testid=protocol-summary]").TextContent);
    }

    [Theory]
    [InlineData(ReadMode.ReadIndex)]
    [InlineData(ReadMode.Lease)]
    [InlineData(ReadMode.Log)]
    public void The_read_mode_chosen_is_the_new_clusters(ReadMode mode)
    {
        StartCluster(seed: 3, tweak: o => o with { ReadMode = mode == ReadMode.Log ? ReadMode.ReadIndex : ReadMode.Log });
        var panel = Open();

        panel.Find($"[data-testid=protocol-read-{mode}]").Change(true);
        panel.Find("[data-testid=protocol-apply]").Click();

        Assert.Equal(mode, Running.ReadMode);
    }

    [Fact]
    public void Clock_drift_batching_and_the_snapshot_threshold_reach_the_new_cluster_within_their_bounds()
    {
        StartCluster(seed: 3);
        var panel = Open();

        panel.Find("[data-testid=protocol-drift]").Change("5");
        panel.Find("[data-testid=protocol-batch]").Change("4");
        panel.Find("[data-testid=protocol-snapshot]").Change("50");
        Assert.Contains("3 changes", panel.Find("[data-testid=protocol-pending]").TextContent);
        panel.Find("[data-testid=protocol-apply]").Click();
        Assert.Equal((0.05, 4, 50), (Running.ClockDrift, Running.MaxEntriesPerAppend, Running.SnapshotThreshold));

        Assert.Empty(panel.FindAll("[data-testid=protocol-editor]")); // applied, the editor folds away
        panel.Find("[data-testid=protocol-open]").Click(); // open again: the draft is what runs
        panel.Find("[data-testid=protocol-drift]").Change("90");
        panel.Find("[data-testid=protocol-batch]").Change("0");
        panel.Find("[data-testid=protocol-snapshot]").Change("lots");
        panel.Find("[data-testid=protocol-apply]").Click();
        Assert.Equal((Protocol.MaxDriftPercent / 100.0, 1, 50), (Running.ClockDrift, Running.MaxEntriesPerAppend, Running.SnapshotThreshold));
    }

    [Fact]
    public void Presets_set_the_protocol_and_the_panel_names_the_one_running()
    {
        StartCluster(seed: 6);
        var panel = Open();
        Assert.Equal("Figure 2 only", panel.Find("[data-testid=protocol-preset-current]").TextContent);

        panel.Find("[data-testid=protocol-preset-etcd]").Click();
        panel.Find("[data-testid=protocol-apply]").Click();
        Assert.True(Running is { PreVote: true, CheckQuorum: true, ReadMode: ReadMode.ReadIndex, LeaderStickiness: false, Broken: BrokenRules.None });
        panel.WaitForAssertion(() => Assert.Equal("as etcd runs it", panel.Find("[data-testid=protocol-preset-current]").TextContent));

        panel.Find("[data-testid=protocol-open]").Click();
        panel.Find("[data-testid=protocol-preset-everything]").Click();
        panel.Find("[data-testid=protocol-apply]").Click();
        Assert.True(Running is { PreVote: true, CheckQuorum: true, LeaderStickiness: true, ReadMode: ReadMode.Lease, ClockDrift: 0.05, SnapshotThreshold: 50 });
        panel.WaitForAssertion(() => Assert.Equal("everything", panel.Find("[data-testid=protocol-preset-current]").TextContent));

        panel.Find("[data-testid=protocol-open]").Click();
        panel.Find("[data-testid=protocol-broken-ReadsFromAnyNode]").Change(true);
        panel.Find("[data-testid=protocol-preset-figure2]").Click(); // a preset clears the broken rules too
        panel.Find("[data-testid=protocol-apply]").Click();
        Assert.Equal(Protocol.Apply(Running, ClusterOptions.Default), Running);
        Assert.Equal(6UL, Running.Seed);
    }

    [Fact]
    public void Re_running_under_a_new_protocol_keeps_the_keys_written_at_their_times()
    {
        StartCluster(seed: 2);
        ElectLeader();
        Drive(c => c.Submit(KvCommand.Put("colour", "blue")));
        RunFor(1000);
        var panel = Open();

        panel.Find("[data-testid=protocol-prevote]").Change(true);
        panel.Find("[data-testid=protocol-read-ReadIndex]").Change(true);
        panel.Find("[data-testid=protocol-rerun]").Click();

        Assert.True(Running is { PreVote: true, ReadMode: ReadMode.ReadIndex, Seed: 2 });
        Assert.True(Pump.Read(c => c.Nodes.Count(n => n.Kv.GetValueOrDefault("colour") == "blue") >= 2), "the put was not carried out again");
        Assert.Single(Pump.ReadTimeline(t => t.Commands));
        panel.WaitForAssertion(() => Assert.Contains("your 1 action at the same simulated times", panel.Find("[data-testid=protocol-message]").TextContent));
    }

    [Fact]
    public void The_share_link_of_the_new_cluster_carries_its_protocol()
    {
        StartCluster(seed: 9);
        var panel = Open();
        panel.Find("[data-testid=protocol-preset-everything]").Click();
        panel.Find("[data-testid=protocol-broken-LeaseWithoutDriftBound]").Change(true);
        panel.Find("[data-testid=protocol-batch]").Change("3");
        panel.Find("[data-testid=protocol-apply]").Click();
        var tools = Render<RunTools>(p => p.Add(x => x.Live, Live));

        var href = tools.Find("[data-testid=copy-link]").GetAttribute("href")!;
        var shared = SharedRun.FromLinkParameter(href["/?run=".Length..], out var problem);

        Assert.Null(problem);
        Assert.Equal(Running, shared!.Scenario.Options);
        Assert.True(shared.Scenario.Options is { ReadMode: ReadMode.Lease, PreVote: true, MaxEntriesPerAppend: 3, Broken: BrokenRules.LeaseWithoutDriftBound });
    }
}
