using RaftVisualizer.Core;
using RaftVisualizer.Core.Scenarios;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>Faults a student points at: one link's loss, one direction restored, one message dropped or duplicated.</summary>
public class LinkFaultTests
{
    private static Cluster WithLeader(ulong seed = 5)
    {
        var cluster = NewCluster(3, seed);
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
        return cluster;
    }

    [Fact]
    public void A_link_that_loses_everything_loses_only_its_own_messages()
    {
        var cluster = WithLeader();
        var leader = cluster.Leader!.Value;
        var other = cluster.Nodes.First(n => n.Id != leader).Id;
        Assert.True(cluster.Network.SetLoss(leader, other, 1).Ok);
        var from = cluster.Events.Count;
        cluster.RunFor(TimeSpan.FromMilliseconds(300));
        var sent = cluster.Events.Skip(from).OfType<MessageSent>().ToArray();
        Assert.Contains(sent, s => s.Message.From == leader && s.Message.To == other);
        var sentIds = sent.Select(s => s.MessageId).ToHashSet();
        var delivered = cluster.Events.Skip(from).OfType<MessageDelivered>().Where(d => sentIds.Contains(d.MessageId)).ToArray();
        Assert.DoesNotContain(delivered, d => d.Message.From == leader && d.Message.To == other);
        Assert.Contains(delivered, d => d.Message.From == leader && d.Message.To != other);
        Assert.Equal(1, cluster.Frame().Links.Single(l => l.From == leader && l.To == other).Loss);
    }

    [Fact]
    public void Link_loss_keeps_the_link_latency_and_heal_clears_both()
    {
        var cluster = NewCluster(3, 1);
        cluster.Network.SetLatency(1, 2, TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(90));
        cluster.Network.SetLoss(1, 2, 0.25);
        var link = cluster.Network.Link(1, 2);
        Assert.Equal((TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(90), 0.25), (link.Min!.Value, link.Max!.Value, link.Loss));
        Assert.False(cluster.Network.SetLoss(1, 9, 0.5).Ok);
        Assert.False(cluster.Network.SetLoss(1, 2, double.NaN).Ok);
        cluster.Heal();
        Assert.Empty(cluster.Network.LinkSettings);
    }

    [Fact]
    public void One_direction_can_be_restored_after_a_cut()
    {
        var cluster = NewCluster(3, 1);
        cluster.Network.Cut(1, 2);
        cluster.Network.Cut(2, 1);
        Assert.True(cluster.Network.Uncut(1, 2).Ok);
        Assert.True(cluster.Network.CanReach(1, 2));
        Assert.False(cluster.Network.CanReach(2, 1));
        Assert.False(cluster.Network.Uncut(1, 2).Ok);
    }

    [Fact]
    public void A_dropped_message_never_arrives_and_a_second_drop_is_refused()
    {
        var cluster = WithLeader();
        cluster.RunUntil(c => c.Frame().Messages.Count > 0, TimeSpan.FromSeconds(1));
        var victim = cluster.Frame().Messages.First();
        var result = cluster.DropMessage(victim.Id);
        Assert.True(result.Ok, result.Message);
        Assert.DoesNotContain(cluster.Frame().Messages, f => f.Id == victim.Id);
        Assert.Contains(cluster.Events.OfType<MessageDropped>(), d => d.MessageId == victim.Id && d.Reason.Contains("user"));
        cluster.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.DoesNotContain(cluster.Events.OfType<MessageDelivered>(), d => d.MessageId == victim.Id);
        Assert.False(cluster.DropMessage(victim.Id).Ok);
        Assert.False(cluster.DuplicateMessage(victim.Id).Ok);
    }

    [Fact]
    public void A_duplicated_message_arrives_twice()
    {
        var cluster = WithLeader();
        cluster.RunUntil(c => c.Frame().Messages.Count > 0, TimeSpan.FromSeconds(1));
        var original = cluster.Frame().Messages.First();
        Assert.True(cluster.DuplicateMessage(original.Id).Ok);
        var copy = cluster.Frame().Messages.Last();
        Assert.NotEqual(original.Id, copy.Id);
        Assert.Equal(original.Message, copy.Message);
        cluster.RunFor(TimeSpan.FromMilliseconds(200));
        var delivered = cluster.Events.OfType<MessageDelivered>().Where(d => d.MessageId == original.Id || d.MessageId == copy.Id).ToArray();
        Assert.Equal(2, delivered.Length);
    }

    [Fact]
    public void Message_and_link_faults_replay_from_the_scenario_to_the_same_events()
    {
        var cluster = WithLeader(9);
        cluster.Network.SetLoss(1, 3, 0.5);
        cluster.RunUntil(c => c.Frame().Messages.Count > 1, TimeSpan.FromSeconds(1));
        cluster.DropMessage(cluster.Frame().Messages.First().Id);
        cluster.DuplicateMessage(cluster.Frame().Messages.Last().Id);
        cluster.Network.Cut(2, 1);
        cluster.RunFor(TimeSpan.FromMilliseconds(400));
        cluster.Network.Uncut(2, 1);
        cluster.RunFor(TimeSpan.FromMilliseconds(400));

        var json = ScenarioJson.Serialize(cluster.Scenario);
        var replayed = Cluster.Replay(ScenarioJson.Deserialize(json), cluster.Now);
        Assert.Equal(string.Join("\n", cluster.Events), string.Join("\n", replayed.Events));
    }
}
