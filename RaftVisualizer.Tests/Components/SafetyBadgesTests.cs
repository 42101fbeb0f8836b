using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

public class SafetyBadgesTests : ClusterComponentTest
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(400);

    private IRenderedComponent<SafetyBadges> RenderBadges() => Render<SafetyBadges>(p => p.Add(b => b.Live, Live));

    private static void Elect(Cluster c, NodeId who)
    {
        c.ForceTimeout(who);
        c.RunFor(Settle);
        if (c.Node(who)!.Role != NodeRole.Leader) { c.ForceTimeout(who); c.RunFor(Settle); }
        Assert.Equal(NodeRole.Leader, c.Node(who)!.Role);
    }

    /// <summary>Figure 8 of the paper, as in Figure8Tests: stage (c) commits an earlier-term entry by counting, (d) overwrites it.</summary>
    private static void Figure8(Cluster c)
    {
        Elect(c, 1);
        c.Network.Filter = m => !(m is AppendEntries && m.From == 1 && m.To != 2);
        c.Submit(KvCommand.Put("x", "a"), 1, TimeSpan.FromMilliseconds(100));
        c.RunFor(Settle);
        c.Crash(1);
        c.Network.Filter = m => !(m is AppendEntries && m.From == 5);
        Elect(c, 5);
        c.Submit(KvCommand.Put("x", "b"), 5, TimeSpan.FromMilliseconds(100));
        c.RunFor(Settle);
        c.Crash(5);
        c.Restart(1);
        c.Network.Filter = m => !(m is AppendEntries a && a.From == 1 && (a.To.Value is 4 or 5
            || (a.To == 3 && a.Entries.Any(e => e.Index >= 3) && c.Node(3)!.LastLogIndex >= 2)));
        Elect(c, 1);
        c.RunFor(Settle);
        c.Crash(1);
        c.Restart(5);
        c.Network.Filter = null;
        Elect(c, 5);
        c.RunFor(TimeSpan.FromSeconds(1));
    }

    private static ClusterOptions Manual(ClusterOptions o) => o with
    {
        MaxEntriesPerAppend = 1,
        Broken = BrokenRules.CommitPreviousTermByCounting,
        ElectionTimeoutMin = TimeSpan.FromSeconds(1000),
        ElectionTimeoutMax = TimeSpan.FromSeconds(1001),
    };

    [Fact]
    public void Counting_replicas_of_an_earlier_term_turns_the_badge_red_and_explains_the_violation()
    {
        StartCluster(nodes: 5, seed: 8, tweak: Manual);
        var badges = RenderBadges();
        Assert.Equal("true", badges.Find("[data-testid=safety-badge]").GetAttribute("data-safe"));

        Drive(c => { Figure8(c); return 0; });

        var first = Pump.Read(c => c.Safety.FirstViolation!);
        badges.WaitForAssertion(() =>
        {
            Assert.Equal("false", badges.Find("[data-testid=safety-badge]").GetAttribute("data-safe"));
            Assert.Equal("false", badges.Find($"[data-testid=safety-{first.Property}]").GetAttribute("data-holds"));
            var alert = badges.FindAll("[data-testid=violation]").First().TextContent;
            Assert.Contains(first.Description, alert);
            Assert.Contains($"event #{first.EventNumber}", alert);
            Assert.Contains(first.Property.Describe(), alert);
            Assert.Contains("CommitPreviousTermByCounting", alert);
        });
        Assert.Contains(first.Property, new[] { SafetyProperty.LeaderCompleteness, SafetyProperty.StateMachineSafety });
        Assert.Equal("true", badges.Find("[data-testid=safety-ElectionSafety]").GetAttribute("data-holds"));
    }

    [Fact]
    public void A_correct_run_stays_green_and_its_client_history_is_linearizable()
    {
        StartCluster(nodes: 5, seed: 11);
        var badges = RenderBadges();
        var leader = ElectLeader();
        for (var i = 0; i < 6; i++)
        {
            var n = i;
            Drive(c => c.Submit(n % 3 == 2 ? KvCommand.Get("k") : KvCommand.Append("k", n.ToString())));
            RunFor(150);
        }
        Drive(c => c.Crash(leader));
        Drive(c => c.Submit(KvCommand.Put("k", "after")));
        RunFor(3000);

        Assert.True(Pump.Read(c => c.Safety.IsSafe));
        badges.WaitForAssertion(() =>
        {
            Assert.Equal("linearizable", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict"));
            Assert.Contains("client history linearizable ✓", badges.Find("[data-testid=history-badge]").TextContent);
            Assert.Contains("7 operations can be put in one order", badges.Find("[data-testid=history-detail]").TextContent);
        }, TimeSpan.FromSeconds(15));
        Assert.Equal("true", badges.Find("[data-testid=safety-badge]").GetAttribute("data-safe"));
        Assert.All(badges.FindAll("[data-testid=safety-badge] [data-holds]"), e => Assert.Equal("true", e.GetAttribute("data-holds")));
        Assert.Empty(badges.FindAll("[data-testid=violation]"));
    }

    [Fact]
    public void Reads_answered_by_any_node_make_the_history_badge_show_a_counterexample()
    {
        StartCluster(nodes: 3, seed: 2, tweak: o => o with { Broken = BrokenRules.ReadsFromAnyNode });
        var badges = RenderBadges();
        var leader = ElectLeader();
        var stale = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Drive(c => c.Partition(new[] { stale }, c.Nodes.Select(n => n.Id).Where(id => id != stale)));
        Drive(c => c.Submit(KvCommand.Put("x", "new"), leader));
        RunFor(500);
        Drive(c => c.Submit(KvCommand.Get("x"), stale)); // the cut-off follower answers from its stale map
        RunFor(500);

        badges.WaitForAssertion(() =>
        {
            Assert.Equal("violation", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict"));
            Assert.Contains("client history linearizable ✗", badges.Find("[data-testid=history-badge]").TextContent);
            Assert.Contains("get x → not found", badges.Find("[data-testid=history-counterexample]").TextContent);
        }, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void On_a_bounded_history_the_badge_counts_the_dropped_operations_and_still_catches_a_stale_read_across_the_cut()
    {
        StartCluster(nodes: 3, seed: 2, tweak: o => o with { MaxHistory = 8, Broken = BrokenRules.ReadsFromAnyNode });
        var badges = RenderBadges();
        var leader = ElectLeader();
        for (var i = 0; i < 12; i++)
        {
            var n = i;
            Drive(c => c.Submit(KvCommand.Put("y", n.ToString()), leader));
            RunFor(100);
        }
        badges.WaitForAssertion(() =>
        {
            Assert.Equal("linearizable", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict"));
            Assert.Contains("were checked as they were dropped", badges.Find("[data-testid=history-detail]").TextContent);
        }, TimeSpan.FromSeconds(15));

        var stale = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Drive(c => c.Partition(new[] { stale }, c.Nodes.Select(n => n.Id).Where(id => id != stale)));
        Drive(c => c.Submit(KvCommand.Put("x", "new"), leader));
        RunFor(300);
        for (var i = 0; i < 12; i++) // push the write behind a cut
        {
            var n = i;
            Drive(c => c.Submit(KvCommand.Put("y", $"again{n}"), leader));
            RunFor(100);
        }
        Assert.True(Pump.Read(c => c.HistoryCut.DroppedOperations > 12 && c.History.All(o => o.Command.Key != "x")));
        Drive(c => c.Submit(KvCommand.Get("x"), stale)); // the cut-off follower never saw it
        RunFor(300);

        badges.WaitForAssertion(() =>
        {
            Assert.Equal("violation", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict"));
            var shown = badges.Find("[data-testid=history-counterexample]").TextContent;
            Assert.Contains("get x → not found", shown);
            Assert.Contains("before the cut: x = \"new\", as the older, dropped operations left it", shown);
        }, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void Two_pages_watching_one_cluster_share_one_history_check_and_nobody_watching_costs_none()
    {
        StartCluster(nodes: 3, seed: 5);
        var leader = ElectLeader();
        Drive(c => c.Submit(KvCommand.Put("k", "1"), leader));
        Drive(c => c.Submit(KvCommand.Get("k"), leader));
        RunFor(500);
        Assert.Equal(0, Pump.HistoryChecks); // no badge on any page yet: nothing is checked

        using var second = new LiveCluster(Pump, ownsPump: false, canControl: false); // a second page on the same cluster
        var mine = RenderBadges();
        var theirs = Render<SafetyBadges>(p => p.Add(b => b.Live, second));

        foreach (var badges in new[] { mine, theirs })
            badges.WaitForAssertion(() =>
            {
                Assert.Equal("linearizable", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict"));
                Assert.Contains("2 operations can be put in one order", badges.Find("[data-testid=history-detail]").TextContent);
            }, TimeSpan.FromSeconds(15));
        Assert.Equal(1, Pump.HistoryChecks);

        // Both pages leave: a new write is not checked until someone watches again.
        mine.Instance.Dispose();
        theirs.Instance.Dispose();
        Drive(c => c.Submit(KvCommand.Put("k", "2"), leader));
        RunFor(500);
        Assert.Equal(1, Pump.HistoryChecks);
    }

    [Fact]
    public void A_reset_forgets_the_old_verdict_until_the_new_cluster_is_checked()
    {
        StartCluster(nodes: 3, seed: 2, tweak: o => o with { Broken = BrokenRules.ReadsFromAnyNode });
        var badges = RenderBadges();
        var leader = ElectLeader();
        var stale = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Drive(c => c.Partition(new[] { stale }, c.Nodes.Select(n => n.Id).Where(id => id != stale)));
        Drive(c => c.Submit(KvCommand.Put("x", "new"), leader));
        RunFor(500);
        Drive(c => c.Submit(KvCommand.Get("x"), stale));
        RunFor(500);
        badges.WaitForAssertion(() => Assert.Equal("violation", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict")), TimeSpan.FromSeconds(15));

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Live.Reset(new ClusterOptions { NodeCount = 3, Seed = 9 }).Ok);

        badges.WaitForAssertion(() =>
        {
            Assert.Equal("linearizable", badges.Find("[data-testid=history-badge]").GetAttribute("data-verdict"));
            Assert.Contains("No client operations yet", badges.Find("[data-testid=history-detail]").TextContent);
        }, TimeSpan.FromSeconds(15));
    }
}
