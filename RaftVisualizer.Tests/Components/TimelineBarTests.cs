using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>The timeline bar as a student uses it: scrub back, see that moment everywhere, step, jump to a marker, return live.</summary>
public sealed class TimelineBarTests : ClusterComponentTest
{
    public TimelineBarTests() => Services.AddSingleton(new RoomRegistry(Options.Create(new RoomOptions())));

    /// <summary>A leader elected, then crashed at a known time, then a second of the aftermath.</summary>
    private (NodeId Leader, TimeSpan CrashedAt, long CrashStep) CrashTheLeader()
    {
        StartCluster(nodes: 5, seed: 42);
        var leader = ElectLeader();
        var crashedAt = Pump.Read(c => c.Now);
        var crashStep = Pump.Read(c => c.Steps);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Live.Act(new ClusterCommand.Crash(leader)).Ok);
        RunFor(1000);
        return (leader, crashedAt, crashStep);
    }

    private IRenderedComponent<ClusterWorkbench> Workbench() => Render<ClusterWorkbench>(p => p.Add(c => c.Live, Live));

    private static string Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture);

    [Fact]
    public void Scrubbing_before_the_crash_shows_the_leader_up_in_every_panel_and_live_shows_it_down()
    {
        var (leader, crashedAt, _) = CrashTheLeader();
        var cut = Workbench();
        Assert.Equal("true", cut.Find("[data-testid='timeline']").GetAttribute("data-live"));
        Assert.Equal("false", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up"));

        var before = crashedAt - TimeSpan.FromMilliseconds(20);
        cut.Find("[data-testid='timeline-scrub']").Input(Ms(before));

        cut.WaitForAssertion(() =>
        {
            var bar = cut.Find("[data-testid='timeline']");
            Assert.Equal("false", bar.GetAttribute("data-live"));
            Assert.Equal(Ms(before), bar.GetAttribute("data-cursor-ms"));
            Assert.Equal("true", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up"));
        });
        Assert.Contains("starts a new branch", cut.Find("[data-testid='timeline-banner']").TextContent);
        Assert.Equal(Ms(before), Ms(Live.Snapshot.Now));
        // the feed tells nothing after the moment shown
        Assert.DoesNotContain(Live.RecentEvents, e => e is NodeCrashed);

        cut.Find("[data-testid='timeline-live']").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("[data-testid='timeline']").GetAttribute("data-live"));
            Assert.Equal("false", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up"));
        });
        Assert.Empty(cut.FindAll("[data-testid='timeline-banner']"));
        Assert.Contains(Live.RecentEvents, e => e is NodeCrashed);
    }

    [Fact]
    public void A_crash_gets_a_marker_and_clicking_it_jumps_to_the_moment_after_it()
    {
        var (leader, crashedAt, crashStep) = CrashTheLeader();
        var cut = Workbench();

        var marker = cut.WaitForElement("[data-testid='marker'][data-kind='crash']");
        Assert.Equal(crashStep.ToString(CultureInfo.InvariantCulture), marker.GetAttribute("data-step"));
        Assert.Contains($"{leader} crashed", marker.GetAttribute("title"));
        Assert.NotEmpty(cut.FindAll("[data-testid='marker'][data-kind='leader-elected']"));

        marker.Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(crashStep.ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid='timeline']").GetAttribute("data-cursor-step"));
            Assert.Equal("false", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up"));
        });
        Assert.Equal(crashedAt, Live.Snapshot.Now);
    }

    [Fact]
    public void Back_and_forward_move_one_event_and_forward_at_the_head_goes_live()
    {
        CrashTheLeader();
        var cut = Workbench();
        var head = Live.HeadStep;
        string Step() => cut.Find("[data-testid='timeline']").GetAttribute("data-cursor-step")!;

        cut.Find("[data-testid='timeline-back']").Click();
        cut.WaitForAssertion(() => Assert.Equal((head - 1).ToString(CultureInfo.InvariantCulture), Step()));
        cut.Find("[data-testid='timeline-back']").Click();
        cut.WaitForAssertion(() => Assert.Equal((head - 2).ToString(CultureInfo.InvariantCulture), Step()));
        cut.Find("[data-testid='timeline-forward']").Click();
        cut.WaitForAssertion(() => Assert.Equal((head - 1).ToString(CultureInfo.InvariantCulture), Step()));
        cut.Find("[data-testid='timeline-forward']").Click();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid='timeline']").GetAttribute("data-live")));
    }

    [Fact]
    public void Acting_in_the_past_forks_a_branch_and_keeps_the_old_future()
    {
        var (leader, crashedAt, _) = CrashTheLeader();
        var cut = Workbench();
        cut.Find("[data-testid='timeline-scrub']").Input(Ms(crashedAt - TimeSpan.FromMilliseconds(20)));
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid='timeline']").GetAttribute("data-live")));

        var other = Live.Snapshot.Nodes.First(n => n.Id != leader).Id;
        Assert.True(Live.Act(new ClusterCommand.Crash(other)).Ok);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("[data-testid='timeline']").GetAttribute("data-live"));
            Assert.Equal("true", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up")); // this branch never crashed it
            Assert.Equal("false", cut.Find($"g[data-testid='node-{other.Value}']").GetAttribute("data-up"));
        });
        Assert.DoesNotContain(Live.Markers, m => m.Kind == MarkerKind.Crash && m.Label.StartsWith($"{leader} ", StringComparison.Ordinal));
        Assert.Single(Live.Markers, m => m.Kind == MarkerKind.Crash);
        Assert.DoesNotContain(Live.RecentEvents, e => e is NodeCrashed c && c.Node == leader);
        Assert.Contains(Live.RecentEvents, e => e is NodeCrashed c && c.Node == other);
        var branch = Assert.Single(Pump.ReadTimeline(t => t.Branches));
        Assert.Contains(branch.Commands, c => c.Command == new ClusterCommand.Crash(leader));

        // Going back to the future that was left: the leader is down again, its marker is back, and this branch is kept.
        cut.WaitForElement("[data-testid='timeline-branch']").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("false", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up"));
            Assert.Equal("true", cut.Find($"g[data-testid='node-{other.Value}']").GetAttribute("data-up"));
        });
        Assert.Contains(Live.Markers, m => m.Kind == MarkerKind.Crash && m.Label.StartsWith($"{leader} ", StringComparison.Ordinal));
        var kept = Assert.Single(Live.Branches);
        Assert.Contains(Pump.ReadTimeline(t => t.Branches[0].Commands), c => c.Command == new ClusterCommand.Crash(other));
        Assert.Equal(kept.ForkedAtStep, branch.ForkedAtStep);
    }

    [Fact]
    public void A_watcher_scrubs_on_their_own_and_follows_the_presenter_again()
    {
        var (leader, crashedAt, _) = CrashTheLeader();
        using var watcher = new LiveCluster(Pump, ownsPump: false, canControl: false);
        var cut = Render<ClusterWorkbench>(p => p.Add(c => c.Live, watcher));

        cut.Find("[data-testid='timeline-scrub']").Input(Ms(crashedAt - TimeSpan.FromMilliseconds(20)));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up")));
        Assert.True(Live.IsLive); // the presenter (and the room) did not move
        Assert.Contains("on your own", cut.Find("[data-testid='timeline-banner']").TextContent);
        Assert.False(watcher.Act(new ClusterCommand.Restart(leader)).Ok);

        cut.Find("[data-testid='timeline-follow']").Click();
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up")));

        // The presenter's seek drives the watcher.
        Live.SeekTime(crashedAt - TimeSpan.FromMilliseconds(20));
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find($"g[data-testid='node-{leader.Value}']").GetAttribute("data-up"));
            Assert.Contains("The presenter is showing", cut.Find("[data-testid='timeline-banner']").TextContent);
        });
    }

    [Fact]
    public void A_reset_from_one_page_clears_the_feed_of_every_page_on_the_pump()
    {
        CrashTheLeader();
        using var other = new LiveCluster(Pump, ownsPump: false, canControl: false);
        RunFor(200);
        Assert.NotEmpty(other.RecentEvents);

        Assert.True(Live.Reset(new ClusterOptions { NodeCount = 3, Seed = 9 }).Ok);

        Assert.DoesNotContain(other.RecentEvents, e => e is NodeCrashed);
        Assert.DoesNotContain(Live.RecentEvents, e => e is NodeCrashed);
        Assert.Equal(3, other.Snapshot.Nodes.Count);
        Assert.Empty(Live.Markers);
    }
}
