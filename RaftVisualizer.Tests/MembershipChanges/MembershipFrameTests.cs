using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Tests.MembershipChanges;

/// <summary>What the page reads of a membership change and a snapshot: the frames, now and when the timeline goes back.</summary>
public class MembershipFrameTests
{
    private static void ReadyToChange(Cluster c) =>
        Assert.True(c.RunUntil(x => x.Leader is { } l && x.Node(l)!.CommitIndex > 0 &&
            x.Node(l)!.Entry(x.Node(l)!.CommitIndex)?.Term == x.Node(l)!.Term, TimeSpan.FromSeconds(5)), "no leader committed in its term");

    [Fact]
    public void A_frame_before_AddServer_has_three_nodes_and_one_after_has_the_learner_then_the_voter()
    {
        var timeline = new Timeline(new ClusterOptions { NodeCount = 3, Seed = 5 });
        ReadyToChange(timeline.Head);
        var before = timeline.Frame;
        Assert.Equal(3, before.Nodes.Count);
        Assert.All(before.Nodes, n => Assert.Equal(Membership.Voter, n.Membership));
        Assert.Equal("config S1 S2 S3", before.Configuration.ToString());

        var added = timeline.Execute(new ClusterCommand.AddServer());
        Assert.True(added.Ok, added.Message);
        var learner = timeline.Frame;
        Assert.Equal(4, learner.Nodes.Count);
        Assert.Equal(Membership.Learner, learner.Node(4)!.Membership);
        Assert.Equal("config S1 S2 S3 +S4", learner.Configuration.ToString());
        Assert.Equal(2, learner.Majority); // a learner does not count
        Assert.Equal(learner.Configuration, learner.Node(learner.Leader!.Value)!.Config);

        Assert.True(timeline.Head.RunUntil(c => c.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)), "S4 was never promoted");
        var voter = timeline.Frame;
        Assert.Equal(Membership.Voter, voter.Node(4)!.Membership);
        Assert.Equal(3, voter.Majority);

        // Back before S4 existed (a command counts as right after the step it was applied at): three servers again, forward again four.
        var past = timeline.SeekStep(before.Steps - 1);
        Assert.Equal(3, past.Nodes.Count);
        Assert.Null(past.Node(4));
        Assert.Equal(4, timeline.SeekStep(voter.Steps).Nodes.Count);
    }

    [Fact]
    public void A_removed_server_stays_in_the_frame_marked_removed()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 2 });
        ReadyToChange(cluster);
        var leader = cluster.Leader!.Value;
        var victim = cluster.Nodes.First(n => n.Id != leader).Id;
        var removed = cluster.Execute(new ClusterCommand.RemoveServer(victim));
        Assert.True(removed.Ok, removed.Message);
        var frame = cluster.Frame();
        Assert.Equal(3, frame.Nodes.Count);
        Assert.Equal(Membership.Removed, frame.Node(victim)!.Membership);
        Assert.False(frame.Configuration.Contains(victim));
    }

    [Fact]
    public void A_frame_carries_the_snapshot_and_reads_entries_by_index_past_it()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 3, SnapshotThreshold = 5 });
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
        for (var i = 0; i < 12; i++)
        {
            var op = cluster.Submit(KvCommand.Put($"k{i % 4}", $"v{i}"));
            Assert.True(cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5)));
        }
        cluster.RunFor(TimeSpan.FromMilliseconds(300));
        var frame = cluster.Frame();
        foreach (var n in frame.Nodes)
        {
            var view = cluster.Node(n.Id)!;
            Assert.True(n.SnapshotIndex > 0, $"{n.Id} never compacted");
            Assert.Equal(view.SnapshotIndex, n.SnapshotIndex);
            Assert.Equal(view.Snapshot!.LastTerm, n.SnapshotTerm);
            Assert.Equal(4, n.SnapshotKeys);
            Assert.Equal(view.LastLogIndex, n.LastLogIndex);
            Assert.Null(n.Entry(n.SnapshotIndex));
            if (n.Log.Count > 0) Assert.Same(n.Log[0], n.Entry(n.SnapshotIndex + 1));
            Assert.Null(n.Entry(n.LastLogIndex + 1));
        }
    }
}
