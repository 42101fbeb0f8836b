using System.Globalization;
using System.Xml.Linq;
using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Tests.Components;

/// <summary>The space-time diagram as a student reads it: the messages of the window as arrows, lost ones crossed, filters, clicks that move the timeline, export.</summary>
public sealed class SequenceDiagramTests : ClusterComponentTest
{
    private IRenderedComponent<SequenceDiagram> Diagram() => Render<SequenceDiagram>(p => p.Add(c => c.Live, Live));

    private static TimeSpan Ms(string? value) => TimeSpan.FromMilliseconds(double.Parse(value!, CultureInfo.InvariantCulture));

    private void LossyRun()
    {
        StartCluster(nodes: 5, seed: 3, o => o with { LossRate = 0.15 });
        ElectLeader();
        RunFor(1500);
    }

    [Fact]
    public void The_arrows_of_the_window_are_the_messages_sent_in_it_and_lost_ones_end_in_a_cross()
    {
        LossyRun();
        var cut = Diagram();
        var root = cut.Find("[data-testid='sequence']");
        Assert.Equal("true", root.GetAttribute("data-live"));
        var (from, to) = (Ms(root.GetAttribute("data-from-ms")), Ms(root.GetAttribute("data-to-ms")));
        Assert.Equal(TimeSpan.FromSeconds(1), to - from);

        var events = Pump.Read(c => c.Events.ToArray());
        var sent = events.OfType<MessageSent>().Where(s => s.Time >= from && s.Time <= to).Select(s => s.MessageId).ToHashSet();
        var arrows = cut.FindAll("[data-testid='seq-message']");
        var drawn = arrows.Select(a => long.Parse(a.GetAttribute("data-id")!, CultureInfo.InvariantCulture)).ToHashSet();
        Assert.NotEmpty(sent);
        Assert.Subset(drawn, sent); // every message sent in the window has its arrow
        Assert.All(drawn.Except(sent), id => Assert.Contains(events, e => e is MessageSent s && s.MessageId == id && s.Time < from)); // the rest were still landing

        var lost = events.OfType<MessageDropped>().Where(d => d.Reason == "the network lost it" && sent.Contains(d.MessageId)).Select(d => d.MessageId).ToHashSet();
        Assert.NotEmpty(lost);
        foreach (var arrow in arrows.Where(a => lost.Contains(long.Parse(a.GetAttribute("data-id")!, CultureInfo.InvariantCulture))))
        {
            Assert.Equal("lost", arrow.GetAttribute("data-fate"));
            Assert.NotNull(arrow.QuerySelector("path.cross"));
            Assert.Null(arrow.QuerySelector("path.head"));
        }
        Assert.All(arrows.Where(a => a.GetAttribute("data-fate") == "delivered"), a => Assert.NotNull(a.QuerySelector("path.head")));
        Assert.Contains(arrows, a => a.QuerySelector("title")!.TextContent.Contains("term", StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll("[data-testid='seq-lane']"));
    }

    [Fact]
    public void Hiding_heartbeats_leaves_only_the_messages_that_carry_something()
    {
        StartCluster(nodes: 3, seed: 4);
        ElectLeader();
        Drive(c => c.Submit(KvCommand.Put("x", "1")));
        RunFor(300);
        var cut = Diagram();
        var all = cut.FindAll("[data-testid='seq-message']").Count;
        Assert.Contains(cut.FindAll("[data-testid='seq-message']"), a => a.GetAttribute("data-heartbeat") == "true");

        cut.Find("[data-testid='seq-hide-heartbeats']").Change(true);
        var quiet = cut.FindAll("[data-testid='seq-message']");
        Assert.NotEmpty(quiet);
        Assert.True(quiet.Count < all);
        Assert.DoesNotContain(quiet, a => a.GetAttribute("data-heartbeat") == "true" || a.GetAttribute("data-kind") == "heartbeat");
        Assert.Contains(quiet, a => a.GetAttribute("data-kind") == "appendentries");

        // One server's traffic only.
        cut.Find("[data-testid='seq-hide-heartbeats']").Change(false);
        cut.Find("[data-testid='seq-server']").Change("2");
        Assert.All(cut.FindAll("[data-testid='seq-message']"), a => Assert.True(a.GetAttribute("data-from") == "2" || a.GetAttribute("data-to") == "2"));
    }

    [Fact]
    public void Clicking_an_arrow_moves_the_timeline_to_its_send_and_highlights_it_on_the_canvas()
    {
        LossyRun();
        var cut = Diagram();
        var arrow = cut.FindAll("[data-testid='seq-message']")[5];
        var (id, sent) = (long.Parse(arrow.GetAttribute("data-id")!, CultureInfo.InvariantCulture), Ms(arrow.GetAttribute("data-sent-ms")));
        arrow.Click();

        Assert.False(Live.IsLive);
        Assert.Equal(Math.Round(sent.TotalMilliseconds, 3), Math.Round(Live.Snapshot.Now.TotalMilliseconds, 3));
        Assert.Equal(id, Live.Highlight.MessageId);
        cut.WaitForAssertion(() =>
        {
            var root = cut.Find("[data-testid='sequence']");
            Assert.Equal("false", root.GetAttribute("data-live"));
            Assert.Contains("picked", cut.Find($"[data-testid='seq-message'][data-id='{id}']").GetAttribute("class"));
            Assert.NotNull(cut.Find("[data-testid='seq-cursor']"));
        });
    }

    [Fact]
    public void A_window_beyond_the_heads_record_is_re_simulated_and_the_export_is_a_valid_svg()
    {
        StartCluster(nodes: 3, seed: 5, o => o with { MaxRecordedEvents = 400 });
        ElectLeader();
        RunFor(4000);
        Assert.True(Pump.Read(c => c.Events[0].Time) > TimeSpan.FromSeconds(2)); // the record no longer reaches back
        var cut = Diagram();
        Live.SeekTime(TimeSpan.FromMilliseconds(900));
        cut.WaitForAssertion(() =>
        {
            var root = cut.Find("[data-testid='sequence']");
            Assert.Equal("replay", root.GetAttribute("data-source"));
            Assert.Equal("900", root.GetAttribute("data-cursor-ms"));
            Assert.NotEmpty(cut.FindAll("[data-testid='seq-message']"));
        });
        var drawn = cut.FindAll("[data-testid='seq-message']").Count;

        var svg = XDocument.Parse(cut.Instance.ExportSvg());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.NotNull(svg.Root.Element(ns + "style"));
        Assert.Equal(drawn, svg.Descendants(ns + "g").Count(g => ((string?)g.Attribute("class") ?? "").Split(' ').Contains("seq-arrow")));
        Assert.Contains("seed 5", svg.Root.Element(ns + "title")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Role_badges_never_overlap_and_close_changes_join_into_one_that_counts_them()
    {
        // A busy stretch: the leader crashes three times, so every server changes role and term again and again.
        StartCluster(nodes: 5, seed: 11);
        for (var i = 0; i < 3; i++)
        {
            var leader = ElectLeader();
            Drive(c => c.Crash(leader));
            RunFor(600);
            Drive(c => c.Restart(leader));
        }
        ElectLeader();
        var cut = Diagram();
        cut.Find("[data-testid='seq-zoom-out']").Click(); // 2 s
        cut.Find("[data-testid='seq-zoom-out']").Click(); // 5 s: changes a few ms apart are under a pixel apart here

        var root = cut.Find("[data-testid='sequence']");
        var (from, to) = (Ms(root.GetAttribute("data-from-ms")), Ms(root.GetAttribute("data-to-ms")));
        var badges = cut.FindAll("[data-testid='seq-mark'][data-kind='role']").Select(g =>
        {
            var r = g.QuerySelector("rect")!;
            double A(string name) => double.Parse(r.GetAttribute(name)!, CultureInfo.InvariantCulture);
            return (Node: g.GetAttribute("data-node"), X: A("x"), Y: A("y"), W: A("width"), H: A("height"),
                Count: int.Parse(g.GetAttribute("data-count")!, CultureInfo.InvariantCulture), Text: g.QuerySelector("text")!.TextContent, Title: g.QuerySelector("title")!.TextContent);
        }).ToArray();
        // (every server starts as a follower at 0: a start, not a change, and not marked)
        var changes = Pump.Read(c => c.Events.ToArray()).OfType<RoleChanged>().Count(e => e.Time > TimeSpan.Zero && e.Time >= from && e.Time <= to);
        Assert.True(changes >= 10 && badges.Length >= 5, $"a busy window: {changes} role changes, {badges.Length} badges");

        // No two boxes share a pixel, on a lane or across lanes.
        for (var i = 0; i < badges.Length; i++)
            for (var j = i + 1; j < badges.Length; j++)
            {
                var (a, b) = (badges[i], badges[j]);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"badges '{a.Text}' and '{b.Text}' of n{a.Node}/n{b.Node} overlap at x={a.X:0.#}/{b.X:0.#}");
            }

        // Changes too close to draw apart are joined, not lost: the counts add up to every role change in the window.
        Assert.Equal(changes, badges.Sum(b => b.Count));
        var joined = badges.Where(b => b.Count > 1).ToArray();
        Assert.NotEmpty(joined);
        Assert.All(joined, b =>
        {
            Assert.EndsWith($"+{b.Count - 1}", b.Text, StringComparison.Ordinal); // the state it ended in, and how many came before
            Assert.Contains($"{b.Count} role changes", b.Title, StringComparison.Ordinal);
        });
    }
}
