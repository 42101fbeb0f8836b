using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.SpaceTime;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.SpaceTime;

/// <summary>The space-time diagram's model: the arrows in a window are exactly the messages on the wire in it, each with its fate.</summary>
public class SpaceTimeBuilderTests
{
    private static SpaceTimeWindow Whole(Cluster cluster, ClusterFrame start, SpaceTimeFilter? filter = null) =>
        SpaceTimeBuilder.Build(cluster.Events, cluster.Scenario.Commands, SpaceTimeStart.From(start), cluster.Now, filter);

    [Fact]
    public void The_arrows_of_a_window_are_the_messages_sent_or_still_landing_in_it_with_their_fates()
    {
        ForSeeds(10, seed =>
        {
            var cluster = NewCluster(3, seed, o => o with { LossRate = 0.2, DuplicateRate = 0.2 });
            cluster.RunFor(TimeSpan.FromSeconds(1));
            var start = cluster.Frame();
            cluster.RunFor(TimeSpan.FromSeconds(1));
            var window = Whole(cluster, start);

            var sent = cluster.Events.OfType<MessageSent>().Where(s => s.ArrivesAt >= start.Now || s.Time >= start.Now).ToArray();
            var stillLanding = sent.Where(s => s.Time < start.Now &&
                cluster.Events.Any(e => e is MessageDelivered d && d.MessageId == s.MessageId && d.Time >= start.Now
                    || e is MessageDropped x && x.MessageId == s.MessageId && x.Time >= start.Now)).Select(s => s.MessageId);
            var expected = sent.Where(s => s.Time >= start.Now).Select(s => s.MessageId).Concat(stillLanding).Order();
            var drawn = window.Arrows.Where(a => a.SentAt != a.EndsAt || a.Fate != ArrowFate.Dropped).Select(a => a.MessageId).Order();
            Assert.Equal(expected, drawn);

            var lost = cluster.Events.OfType<MessageDropped>().Where(d => d.Reason == "the network lost it" && d.Time >= start.Now).Select(d => d.MessageId).ToHashSet();
            Assert.NotEmpty(lost);
            Assert.All(window.Arrows.Where(a => lost.Contains(a.MessageId)), a => Assert.Equal(ArrowFate.Lost, a.Fate));
            Assert.Contains(window.Arrows, a => a.Copy == 1); // a duplicate is an arrow of its own
            Assert.All(window.Arrows.Where(a => a.Fate == ArrowFate.Delivered), a => Assert.True(a.EndsAt > a.SentAt));
        });
    }

    [Fact]
    public void Replies_point_back_at_their_requests_and_heartbeats_can_be_hidden()
    {
        var cluster = NewCluster(3, 4);
        cluster.ElectLeader();
        cluster.Do(KvCommand.Put("x", "1"));
        cluster.RunFor(TimeSpan.FromMilliseconds(300));
        var window = SpaceTimeBuilder.Build(cluster.Events, [], SpaceTimeStart.From(new Cluster(cluster.Options).Frame()), cluster.Now);
        var byId = window.Arrows.ToDictionary(a => a.MessageId);
        var replies = window.Arrows.Where(a => a.IsReply).ToArray();
        Assert.NotEmpty(replies);
        Assert.All(replies, r =>
        {
            Assert.True(r.ReplyTo is { } q && byId.ContainsKey(q), $"{r.Kind} {r.From}→{r.To} has no request");
            var request = byId[r.ReplyTo!.Value];
            Assert.Equal((r.From, r.To), (request.To, request.From));
            Assert.True(request.SentAt <= r.SentAt);
        });
        var quiet = SpaceTimeBuilder.Build(cluster.Events, [], SpaceTimeStart.From(new Cluster(cluster.Options).Frame()), cluster.Now,
            new SpaceTimeFilter(HideHeartbeats: true));
        Assert.DoesNotContain(quiet.Arrows, a => a.Message is AppendEntries { IsHeartbeat: true });
        Assert.Contains(quiet.Arrows, a => a.Message is AppendEntries { Entries.Count: > 0 } m && m.Entries.Any(e => e.Command.ToString() == "put x=1"));
        Assert.Contains(quiet.Arrows, a => a.Message is RequestVote);
        Assert.True(quiet.Arrows.Count < window.Arrows.Count);
    }

    [Fact]
    public void Crashes_grey_a_lane_partitions_shade_and_a_server_filter_keeps_only_its_traffic()
    {
        var cluster = NewCluster(3, 2);
        var leader = cluster.ElectLeader();
        var start = cluster.Frame();
        cluster.RunFor(TimeSpan.FromMilliseconds(100));
        cluster.Crash(leader);
        var crashedAt = cluster.Now;
        cluster.RunFor(TimeSpan.FromMilliseconds(400));
        cluster.Restart(leader);
        var restartedAt = cluster.Now;
        cluster.Isolate(leader);
        var isolatedAt = cluster.Now;
        cluster.RunFor(TimeSpan.FromMilliseconds(300));
        var window = Whole(cluster, start);

        Assert.Equal(new LaneSpan(leader, crashedAt, restartedAt, SpanKind.Down), Assert.Single(window.Spans));
        var partition = Assert.Single(window.Partitions);
        Assert.Equal((isolatedAt, (TimeSpan?)null), (partition.From, partition.To));
        Assert.Contains(partition.Groups, g => g.SequenceEqual(new[] { leader }));
        Assert.Contains(window.Marks, m => m.Kind == MarkKind.Crash && m.Node == leader && m.At == crashedAt);
        Assert.Contains(window.Marks, m => m.Kind == MarkKind.Role && m.Text.StartsWith("Leader", StringComparison.Ordinal) && m.Node != leader);
        Assert.Contains(window.Arrows, a => a.From == leader && a.Fate == ArrowFate.Dropped && a.Why!.Contains("cut")); // sent into the partition

        var one = Whole(cluster, start, new SpaceTimeFilter(OnlyServer: leader));
        Assert.Equal(new[] { leader }, one.Lanes);
        Assert.All(one.Arrows, a => Assert.True(a.From == leader || a.To == leader));
        Assert.All(one.Marks, m => Assert.Equal(leader, m.Node));
    }

    [Fact]
    public void A_new_server_lane_is_a_learner_span_until_a_configuration_makes_it_a_voter()
    {
        var cluster = NewCluster(3, 6);
        cluster.ElectLeader();
        var start = cluster.Frame();
        ActionResult added = ActionResult.Refused("");
        Assert.True(cluster.RunUntil(c => (added = c.AddServer()).Ok, TimeSpan.FromSeconds(3)), added.Message);
        var joined = cluster.Now;
        Assert.True(cluster.RunUntil(c => c.Configuration.IsVoter(4), TimeSpan.FromSeconds(3)));
        var promoted = cluster.Events.OfType<ConfigurationChanged>().First(c => c.Config.IsVoter(4)).Time;
        var window = SpaceTimeBuilder.Build(cluster.Events, cluster.Scenario.Commands, SpaceTimeStart.From(start) with { Lanes = [1, 2, 3, 4] }, cluster.Now);
        Assert.Equal(new LaneSpan(4, joined, promoted, SpanKind.Learner), Assert.Single(window.Spans));
        Assert.Contains(window.Marks, m => m is { Kind: MarkKind.Joined, Node.Value: 4 });
    }
}
