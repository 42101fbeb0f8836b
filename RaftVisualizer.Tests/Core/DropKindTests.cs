using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.SpaceTime;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// A dropped message says, as data, what stopped it: the network's loss, a cut link, a crashed
/// receiver, or the user. The space-time diagram draws only the network's losses as lost, and reads
/// that from the kind, not from the sentence.
/// </summary>
public class DropKindTests
{
    private static (Cluster Cluster, NodeId Leader) WithLeader(double loss = 0)
    {
        var c = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 11, LossRate = loss });
        Assert.True(c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        return (c, c.Leader!.Value);
    }

    [Fact]
    public void Heartbeats_to_a_crashed_follower_are_dropped_because_the_receiver_is_down()
    {
        var (c, leader) = WithLeader();
        var follower = c.Nodes.First(n => n.Id != leader).Id;
        Assert.True(c.Crash(follower).Ok);
        var mark = c.Events.Count;
        c.RunFor(TimeSpan.FromMilliseconds(300));

        var drops = c.Events.Skip(mark).OfType<MessageDropped>().ToList();
        Assert.NotEmpty(drops);
        Assert.All(drops, d => Assert.Equal((DropKind.ReceiverDown, $"{follower} is down", follower, false), (d.Kind, d.Reason, d.Message.To, d.LostOnTheWay)));
    }

    [Fact]
    public void A_cut_link_drops_at_the_sender_and_the_network_loss_drops_on_the_way()
    {
        var (c, leader) = WithLeader();
        var follower = c.Nodes.First(n => n.Id != leader).Id;
        Assert.True(c.Partition([leader], c.Nodes.Select(n => n.Id).Where(n => n != leader)).Ok);
        var mark = c.Events.Count;
        c.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.Contains(c.Events.Skip(mark).OfType<MessageDropped>(), d => d.Kind == DropKind.LinkCut && d.Message.From == leader && d.Message.To == follower);

        var (lossy, _) = WithLeader(loss: 0.3);
        lossy.RunFor(TimeSpan.FromSeconds(1));
        var lost = lossy.Events.OfType<MessageDropped>().Where(d => d.Kind == DropKind.Lost).ToList();
        Assert.NotEmpty(lost);
        Assert.All(lost, d => Assert.True(d.LostOnTheWay));
        Assert.All(lossy.Events.OfType<MessageDropped>().Where(d => d.Kind != DropKind.Lost), d => Assert.False(d.LostOnTheWay));
    }

    [Fact]
    public void A_message_the_user_drops_is_marked_so_and_its_arrow_ends_dropped_not_lost()
    {
        var (c, _) = WithLeader();
        c.RunFor(TimeSpan.FromMilliseconds(60));
        var inFlight = c.Frame().Messages.First();
        Assert.True(c.DropMessage(inFlight.Id).Ok);

        var dropped = c.Events.OfType<MessageDropped>().Single(d => d.MessageId == inFlight.Id);
        Assert.Equal((DropKind.ByUser, "the user dropped it"), (dropped.Kind, dropped.Reason));
        var window = SpaceTimeBuilder.Build(c.Events, c.Scenario.Commands, SpaceTimeStart.From(new Cluster(c.Options).Frame()), c.Now);
        var arrow = window.Arrows.Single(a => a.MessageId == inFlight.Id);
        Assert.Equal(ArrowFate.Dropped, arrow.Fate);
    }
}
