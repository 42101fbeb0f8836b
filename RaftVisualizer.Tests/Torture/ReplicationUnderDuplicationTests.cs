using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Torture;

/// <summary>
/// Regression test for a bug the torture run found: the leader answered every successful
/// AppendEntries reply, duplicates included, with a new AppendEntries. Under message duplication
/// each round trip multiplied the messages, and catching up one lagging follower, one entry per
/// message, grew into millions of messages within a few simulated seconds (torture seed 181).
/// </summary>
public class ReplicationUnderDuplicationTests
{
    [Fact]
    public void A_lagging_follower_catches_up_under_heavy_duplication_without_a_message_storm()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 4, MaxEntriesPerAppend = 1 });
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
        var leader = cluster.Leader!.Value;
        var follower = cluster.Nodes.First(n => n.Id != leader).Id;
        cluster.Crash(follower);
        for (var i = 0; i < 60; i++)
        {
            var op = cluster.Submit(KvCommand.Put("k", $"{i}"));
            Assert.True(cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5)));
        }
        var target = cluster.Node(leader)!.LastLogIndex;

        cluster.Network.DuplicateRate = 0.5;
        var sent = 0;
        cluster.EventRaised += e => { if (e is MessageSent) sent++; };
        cluster.Restart(follower);
        // stop early if the messages run away, so a regression fails fast instead of running for hours
        cluster.RunUntil(c => c.Node(follower)!.CommitIndex >= target || sent > 20_000, TimeSpan.FromSeconds(5));
        Assert.True(cluster.Node(follower)!.CommitIndex >= target, $"{follower} did not catch up ({sent} messages sent)");
        cluster.RunUntil(_ => sent > 20_000, TimeSpan.FromSeconds(1));

        // heartbeats alone are about 2 × 20 × 2 messages a second, doubled at most by duplication;
        // catching up 60 entries one by one takes about 4 × 60 more, each duplicated at most once
        Assert.InRange(sent, 1, 2_000);
        Assert.True(cluster.Safety.IsSafe, cluster.Safety.FirstViolation?.ToString());
    }
}
