using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Components;

public class EventFeedTests : ClusterComponentTest
{
    private IRenderedComponent<EventFeed> RenderFeed(IReadOnlyList<ClusterEvent> events) =>
        Render<EventFeed>(p => p.Add(f => f.Events, events).Add(f => f.NodeCount, 3));

    private static string[] Lines(IRenderedComponent<EventFeed> feed) =>
        feed.FindAll("[data-testid=feed-lines] .line .text").Select(l => l.TextContent).ToArray();

    private Cluster ElectedWithAPut(out NodeId leader, out NodeId follower)
    {
        var c = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 1 });
        Assert.True(c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        leader = c.Leader!.Value;
        c.RunFor(TimeSpan.FromMilliseconds(200));
        var op = c.Submit(KvCommand.Put("x", "1"), leader);
        c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(2));
        var l = leader;
        follower = c.Nodes.First(n => n.Id != l).Id;
        c.Crash(follower);
        return c;
    }

    [Fact]
    public void The_feed_tells_events_in_words_newest_first_without_routine_noise()
    {
        var c = ElectedWithAPut(out var leader, out var follower);
        var feed = RenderFeed(c.Events.ToArray());
        var lines = Lines(feed);

        Assert.StartsWith($"{follower} crashed", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"{leader} becomes leader of term"));
        Assert.Contains(lines, l => l.StartsWith("client #1: put x=1 → ok (served by"));
        Assert.DoesNotContain(lines, l => l.Contains("heartbeat") || l.Contains("resets its election timer"));
        Assert.Equal("faults", feed.FindAll("[data-testid=feed-lines] .line")[0].GetAttribute("data-category")?.ToLowerInvariant());
    }

    [Fact]
    public void Category_chips_filter_the_feed_and_messages_let_the_routine_traffic_through()
    {
        var c = ElectedWithAPut(out _, out _);
        var feed = RenderFeed(c.Events.ToArray());

        feed.Find("[data-testid=feed-filter-elections]").Click();
        feed.Find("[data-testid=feed-filter-replication]").Click();
        feed.Find("[data-testid=feed-filter-faults]").Click();
        Assert.All(Lines(feed), l => Assert.StartsWith("client #1:", l));
        Assert.Equal("false", feed.Find("[data-testid=feed-filter-elections]").GetAttribute("data-on"));

        feed.Find("[data-testid=feed-filter-client]").Click();
        feed.Find("[data-testid=feed-filter-messages]").Click();
        Assert.Contains(Lines(feed), l => l.Contains("sends a heartbeat to"));
        Assert.DoesNotContain(Lines(feed), l => l.StartsWith("client #1:"));
    }

    [Fact]
    public void The_node_filter_keeps_only_events_about_that_node()
    {
        var c = ElectedWithAPut(out var leader, out var follower);
        var feed = RenderFeed(c.Events.ToArray());

        feed.Find($"[data-testid=feed-node-{follower.Value}]").Click();
        var lines = Lines(feed);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains(follower.ToString(), l));

        feed.Find("[data-testid=feed-node-all]").Click();
        Assert.Contains(Lines(feed), l => !l.Contains(follower.ToString()));
    }

    [Fact]
    public void Equal_events_do_not_break_the_feed()
    {
        var same = new NetworkChanged(TimeSpan.FromSeconds(1), "network healed: every link works again");
        var twin = same with { };
        var feed = RenderFeed([same, twin]);
        Assert.Equal(2, Lines(feed).Count(l => l == "Network healed: every link works again"));
    }
}
