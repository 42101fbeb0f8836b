using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Tests.Components;

public class ControlBarTests : ClusterComponentTest
{
    private IRenderedComponent<ControlBar> RenderBar() => Render<ControlBar>(p => p.Add(b => b.Live, Live));

    /// <summary>What the background loop would do after <paramref name="wall"/> of wall time.</summary>
    private void Tick(double wallMilliseconds)
    {
        Time.Advance(TimeSpan.FromMilliseconds(wallMilliseconds));
        Pump.Tick();
    }

    [Fact]
    public void Pause_stops_simulated_time_and_play_starts_it_again()
    {
        StartCluster();
        var bar = RenderBar();
        Tick(100);
        var before = Pump.Latest.Now;
        Assert.Equal(TimeSpan.FromMilliseconds(100), before);
        Assert.Equal("false", bar.Find("[data-testid=pause]").GetAttribute("data-paused"));

        bar.Find("[data-testid=pause]").Click();
        Tick(1000);
        Tick(1000);

        Assert.True(Pump.IsPaused);
        Assert.Equal(before, Pump.Latest.Now);
        bar.WaitForAssertion(() =>
        {
            Assert.Equal("true", bar.Find("[data-testid=pause]").GetAttribute("data-paused"));
            Assert.Contains("Play", bar.Find("[data-testid=pause]").TextContent);
            Assert.Contains("t = 0.100 s", bar.Find("[data-testid=sim-clock]").TextContent);
            Assert.Contains("PAUSED", bar.Find("[data-testid=sim-clock]").TextContent);
        });

        bar.Find("[data-testid=pause]").Click();
        Tick(250);
        Assert.False(Pump.IsPaused);
        Assert.Equal(before + TimeSpan.FromMilliseconds(250), Pump.Latest.Now);
        bar.WaitForAssertion(() => Assert.Contains("t = 0.350 s", bar.Find("[data-testid=sim-clock]").TextContent));
    }

    [Fact]
    public void Step_is_enabled_only_while_paused_and_processes_exactly_one_event()
    {
        StartCluster();
        var bar = RenderBar();
        Assert.True(bar.Find("[data-testid=step]").HasAttribute("disabled"));

        bar.Find("[data-testid=pause]").Click();
        var steps = Pump.Read(c => c.Steps);
        bar.Find("[data-testid=step]").Click();
        bar.Find("[data-testid=step]").Click();

        Assert.Equal(steps + 2, Pump.Read(c => c.Steps));
    }

    [Theory]
    [InlineData(-200, 0.01, "0.01×")]
    [InlineData(-130, 0.05, "0.05×")]
    [InlineData(0, 1, "1×")]
    [InlineData(40, 2.5, "2.5×")]
    [InlineData(100, 10, "10×")]
    public void The_speed_slider_is_logarithmic_from_a_hundredth_to_ten(int position, double speed, string shown)
    {
        StartCluster();
        var bar = RenderBar();
        bar.Find("[data-testid=speed]").Input(position.ToString());

        Assert.Equal(speed, Pump.Speed, 6);
        bar.WaitForAssertion(() => Assert.Equal(shown, bar.Find("[data-testid=speed-value]").TextContent));
    }

    [Fact]
    public void Reset_starts_a_new_cluster_with_the_chosen_size_and_seed_and_shows_the_seed()
    {
        StartCluster(nodes: 3, seed: 1);
        RunFor(1000);
        var bar = RenderBar();
        Assert.Contains("seed 1 · 3 nodes", bar.Find("[data-testid=seed]").TextContent);

        bar.Find("[data-testid=reset]").Click();
        bar.Find("[data-testid=reset-nodes-7]").Click();
        bar.Find("input[data-testid=reset-seed]").Input("not a number");
        bar.Find("[data-testid=reset-apply]").Click();
        Assert.Contains("A seed is a whole number", bar.Find("[data-testid=reset-form]").TextContent);
        Assert.Equal(3, Pump.Read(c => c.Options.NodeCount));

        bar.Find("input[data-testid=reset-seed]").Input("42");
        bar.Find("[data-testid=reset-apply]").Click();

        Assert.Equal((7, 42UL, TimeSpan.Zero), Pump.Read(c => (c.Options.NodeCount, c.Options.Seed, c.Now)));
        Assert.Empty(Live.RecentEvents);
        bar.WaitForAssertion(() => Assert.Contains("seed 42 · 7 nodes", bar.Find("[data-testid=seed]").TextContent));
        Assert.Empty(bar.FindAll("[data-testid=reset-form]"));
    }

    [Fact]
    public void Reset_keeps_the_protocol_chosen_and_says_so()
    {
        StartCluster(nodes: 3, seed: 1, tweak: o => o with { PreVote = true, ReadMode = ReadMode.ReadIndex, Broken = BrokenRules.ReadsFromAnyNode });
        var bar = RenderBar();

        bar.Find("[data-testid=reset]").Click();
        Assert.Contains("keeps the protocol: pre-vote, ReadIndex reads, 1 rule broken", bar.Find("[data-testid=reset-protocol]").TextContent);
        bar.Find("[data-testid=reset-nodes-5]").Click();
        bar.Find("input[data-testid=reset-seed]").Input("8");
        bar.Find("[data-testid=reset-apply]").Click();

        Assert.True(Pump.Read(c => c.Options) is { NodeCount: 5, Seed: 8, PreVote: true, ReadMode: ReadMode.ReadIndex, Broken: BrokenRules.ReadsFromAnyNode });
    }

    [Fact]
    public void Reset_with_an_empty_seed_picks_a_random_one_and_a_page_can_take_over_the_reset()
    {
        StartCluster(nodes: 3, seed: 1);
        (int Nodes, ulong Seed)? asked = null;
        var bar = Render<ControlBar>(p => p.Add(b => b.Live, Live).Add(b => b.OnReset, ((int Nodes, ulong Seed) r) => asked = r));

        bar.Find("[data-testid=reset]").Click();
        bar.Find("[data-testid=reset-nodes-5]").Click();
        bar.Find("[data-testid=reset-apply]").Click();

        Assert.NotNull(asked);
        Assert.Equal(5, asked!.Value.Nodes);
        Assert.InRange(asked.Value.Seed, 1UL, 100_000UL);
        Assert.Equal(3, Pump.Read(c => c.Options.NodeCount)); // the page's callback did the reset, not the bar
    }
}

/// <summary>The seed chip says how many servers are in the cluster now, not only how many the seed started with.</summary>
public class SeedChipMembershipTests : ClusterComponentTest
{
    [Fact]
    public void After_a_server_is_added_and_one_removed_the_seed_chip_shows_the_membership_now_and_what_it_started_with()
    {
        StartCluster(nodes: 3, seed: 1);
        RunFor(1000);
        Assert.NotNull(Pump.Read(c => c.Leader));
        var bar = Render<ControlBar>(p => p.Add(b => b.Live, Live));
        Assert.Equal("3 nodes", bar.Find("[data-testid=seed-members]").TextContent);

        Assert.True(Live.Act(new ClusterCommand.AddServer()).Ok);
        RunFor(5);
        Assert.Equal([new NodeId(4)], Pump.Latest.Configuration.Learners); // still catching up
        bar.WaitForAssertion(() => Assert.Equal("3 voting + 1 learner · started with 3", bar.Find("[data-testid=seed-members]").TextContent));
        Drive(c => c.RunUntil(x => x.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)));
        RunFor(200);
        bar.WaitForAssertion(() => Assert.Equal("4 voting · started with 3", bar.Find("[data-testid=seed-members]").TextContent));
        Assert.Contains("seed 1 · 4 voting", bar.Find("[data-testid=seed]").TextContent);
        Assert.Contains("started with 3 servers; the configuration now: config S1 S2 S3 S4", bar.Find("[data-testid=seed]").GetAttribute("title"));

        Drive(c => c.RunUntil(x => x.RemoveServer(2).Ok, TimeSpan.FromSeconds(5)));
        RunFor(300);
        bar.WaitForAssertion(() => Assert.Equal("3 voting · started with 3", bar.Find("[data-testid=seed-members]").TextContent)); // S1 S3 S4: not the seed's S1 S2 S3
    }
}
