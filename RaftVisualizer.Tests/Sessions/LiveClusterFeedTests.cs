using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Sessions;

/// <summary>The page's event feed keeps the news a student looks for, however much routine traffic follows it.</summary>
public class LiveClusterFeedTests
{
    [Fact]
    public void A_crash_and_a_put_stay_in_the_feed_after_seconds_of_heartbeats()
    {
        var time = new ManualTime();
        using var pump = new ClusterPump(new ClusterOptions { NodeCount = 5, Seed = 3 }, speed: 1, time);
        using var live = new LiveCluster(pump, ownsPump: false, canControl: true);
        void Run(TimeSpan simulated)
        {
            for (var t = TimeSpan.Zero; t < simulated; t += TimeSpan.FromMilliseconds(50))
            {
                time.Advance(TimeSpan.FromMilliseconds(50)); // 1×: fifty wall milliseconds, fifty simulated
                pump.Tick();
            }
        }

        Run(TimeSpan.FromSeconds(2));
        var leader = pump.Read(c => c.Leader);
        Assert.NotNull(leader);
        var follower = pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Assert.True(live.Act(new ClusterCommand.Crash(follower)).Ok);
        var op = live.Submit(KvCommand.Put("x", "1"), out _)!;
        Run(TimeSpan.FromSeconds(5)); // about 400 heartbeats and their replies, and a timer reset for each

        var feed = live.RecentEvents;
        Assert.True(feed.Count(e => !EventNarrator.IsNews(e)) >= LiveCluster.FeedCapacity / 2, "the run made too little routine traffic to test anything");
        Assert.Contains(feed, e => e is NodeCrashed c && c.Node == follower);
        Assert.Contains(feed, e => e is ClientRequestAnswered a && a.OperationId == op.Id);
        Assert.Contains(feed, e => e is RoleChanged { Role: NodeRole.Leader } r && r.Node == leader);
        Assert.Equal(feed.OrderBy(e => e.Time).ToArray(), feed); // one timeline, oldest first
    }
}
