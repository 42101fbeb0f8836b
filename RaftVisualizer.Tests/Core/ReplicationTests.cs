using RaftVisualizer.Core;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

public class ReplicationTests
{
    [Fact]
    public void Writes_reach_every_node_in_the_same_order()
    {
        ForSeeds(50, seed =>
        {
            var cluster = NewCluster(5, seed);
            cluster.ElectLeader();
            for (var i = 0; i < 20; i++) Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put($"k{i % 4}", $"v{i}")).Status);
            cluster.AssertConverged();
            var kv = cluster.Nodes[0].Kv;
            Assert.Equal(new[] { "v16", "v17", "v18", "v19" }, Enumerable.Range(0, 4).Select(i => kv[$"k{i}"]));
            var puts = cluster.Nodes[0].Log.Where(e => e.Command.Kind == KvCommandKind.Put).Select(e => e.Command.ToString());
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"put k{i % 4}=v{i}"), puts);
        });
    }

    [Fact]
    public void A_follower_crash_does_not_stop_commits_and_it_catches_up_on_restart()
    {
        ForSeeds(50, seed =>
        {
            var cluster = NewCluster(3, seed);
            var leader = cluster.ElectLeader();
            var follower = cluster.Nodes.First(n => n.Id != leader).Id;
            cluster.Crash(follower);
            for (var i = 0; i < 40; i++) Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", $"{i}")).Status);
            var lagBehind = cluster.Node(leader)!.LastLogIndex - cluster.Node(follower)!.LastLogIndex;
            Assert.True(lagBehind >= 40);
            cluster.Restart(follower);
            Assert.Equal(0, cluster.Node(follower)!.CommitIndex); // volatile state is gone
            cluster.AssertConverged();
            Assert.Equal("39", cluster.Node(follower)!.Kv["x"]);
        });
    }

    [Fact]
    public void A_leader_crash_elects_a_new_leader_with_every_acknowledged_write()
    {
        ForSeeds(50, seed =>
        {
            var cluster = NewCluster(5, seed);
            var leader = cluster.ElectLeader();
            for (var i = 0; i < 5; i++) Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put($"k{i}", "before")).Status);
            cluster.Crash(leader);
            var next = cluster.ElectLeader();
            Assert.NotEqual(leader, next);
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("k9", "after")).Status);
            cluster.AssertConverged();
            Assert.All(cluster.Nodes.Where(n => n.IsUp), n => Assert.Equal(6, n.Kv.Count));
        });
    }

    [Fact]
    public void A_minority_leader_cannot_commit_and_its_entries_are_overwritten_after_heal()
    {
        ForSeeds(50, seed =>
        {
            var cluster = NewCluster(5, seed);
            var old = cluster.ElectLeader();
            cluster.AssertConverged();
            var buddy = cluster.Nodes.First(n => n.Id != old).Id;
            var majority = cluster.Nodes.Select(n => n.Id).Where(id => id != old && id != buddy).ToArray();
            cluster.Partition(new[] { old, buddy }, majority);
            var commitBefore = cluster.Node(old)!.CommitIndex;
            var stranded = cluster.Submit(KvCommand.Put("x", "minority"), old, TimeSpan.FromMilliseconds(300));
            cluster.RunFor(TimeSpan.FromMilliseconds(300));
            Assert.Equal(KvStatus.Timeout, stranded.Result!.Status);
            Assert.Contains(cluster.Node(old)!.Log, e => e.Command.ToString() == "put x=minority");
            Assert.Equal(commitBefore, cluster.Node(old)!.CommitIndex);

            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("x", "majority"), majority[0]).Status);
            cluster.Heal();
            cluster.AssertConverged();
            Assert.All(cluster.Nodes, n => Assert.DoesNotContain(n.Log, e => e.Command.ToString() == "put x=minority"));
            Assert.All(cluster.Nodes, n => Assert.Equal("majority", n.Kv["x"]));
            Assert.Contains(cluster.Events, e => e is LogTruncated t && t.Node == old);
        });
    }

    [Fact]
    public void A_far_behind_follower_is_repaired_with_few_round_trips_thanks_to_conflict_hints()
    {
        ForSeeds(20, seed =>
        {
        var cluster = NewCluster(5, seed, o => o with { MaxEntriesPerAppend = 64 });
        var leader = cluster.ElectLeader();
        var follower = cluster.Nodes.First(n => n.Id != leader).Id;
        cluster.Crash(follower);
        for (var i = 0; i < 100; i++) cluster.Do(KvCommand.Put("k", $"{i}"));
        var before = cluster.Events.Count;
        cluster.Restart(follower);
        cluster.Crash(leader); // a new leader starts with nextIndex at the end of its own log
        cluster.ElectLeader();
        cluster.AssertConverged();
        var rejections = cluster.Events.Skip(before).OfType<MessageDelivered>().Select(d => d.Message)
            .OfType<AppendEntriesReply>().Count(r => r.From == follower && !r.Success);
        Assert.InRange(rejections, 1, 3); // one hint jumps straight to the end of its log
        });
    }

    [Fact]
    public void Batches_never_exceed_the_configured_entry_count()
    {
        var cluster = NewCluster(3, 5, o => o with { MaxEntriesPerAppend = 4 });
        var leader = cluster.ElectLeader();
        var follower = cluster.Nodes.First(n => n.Id != leader).Id;
        cluster.Crash(follower);
        for (var i = 0; i < 30; i++) cluster.Do(KvCommand.Put("k", $"{i}"));
        cluster.Restart(follower);
        cluster.AssertConverged();
        var sizes = cluster.Events.OfType<MessageSent>().Select(s => s.Message).OfType<AppendEntries>().Select(a => a.Entries.Count).ToArray();
        Assert.Equal(4, sizes.Max());
    }

    [Fact]
    public void A_follower_commits_no_further_than_the_last_entry_the_leader_vouched_for()
    {
        // Figure 2: commitIndex = min(leaderCommit, index of last new entry). Entries 3..5 here
        // are left over from term 1 and unverified, so leaderCommit = 5 must not commit them.
        var node = new NodeUnderTest(2, 3);
        var old = Enumerable.Range(1, 5).Select(i => new LogEntry(i, 1, KvCommand.Put("k", $"{i}"))).ToArray();
        node.Step(new AppendEntries(1, 2, 1, 0, 0, old, 0));
        Assert.Equal(5, node.Raft.Log.LastIndex);

        node.Step(new AppendEntries(3, 2, 2, 2, 1, Array.Empty<LogEntry>(), 5));

        Assert.Equal(2, node.Raft.CommitIndex);
        Assert.Equal(2, node.Raft.LastApplied);
        var reply = Assert.IsType<AppendEntriesReply>(node.Sent[^1]);
        Assert.True(reply.Success);
        Assert.Equal(2, reply.MatchIndex);
    }

    [Fact]
    public void A_conflicting_suffix_is_cut_off_and_a_matching_one_is_kept()
    {
        var node = new NodeUnderTest(2, 3);
        node.Step(new AppendEntries(1, 2, 1, 0, 0, Enumerable.Range(1, 4).Select(i => new LogEntry(i, 1, KvCommand.Put("a", $"{i}"))).ToArray(), 0));
        var fromNewLeader = new[] { new LogEntry(2, 1, KvCommand.Put("a", "2")), new LogEntry(3, 2, KvCommand.Put("b", "new")) };

        node.Step(new AppendEntries(3, 2, 2, 1, 1, fromNewLeader, 0));

        Assert.Equal(new[] { "put a=1", "put a=2", "put b=new" }, node.Raft.Log.Entries.Select(e => e.Command.ToString()));
        var cut = Assert.Single(node.Events.OfType<LogTruncated>());
        Assert.Equal(3, cut.FromIndex);
        Assert.Equal(2, cut.RemovedCount);
    }

    [Fact]
    public void A_rejection_carries_the_conflicting_term_and_its_first_index()
    {
        var node = new NodeUnderTest(2, 3);
        node.Step(new AppendEntries(1, 2, 1, 0, 0, new[] { new LogEntry(1, 1, KvCommand.NoOp) }, 0));
        node.Step(new AppendEntries(3, 2, 3, 1, 1, new[] { new LogEntry(2, 3, KvCommand.NoOp), new LogEntry(3, 3, KvCommand.NoOp), new LogEntry(4, 3, KvCommand.NoOp) }, 0));

        node.Step(new AppendEntries(1, 2, 4, 4, 4, Array.Empty<LogEntry>(), 0)); // leader has term 4 at index 4

        var reply = Assert.IsType<AppendEntriesReply>(node.Sent[^1]);
        Assert.False(reply.Success);
        Assert.Equal(3, reply.ConflictTerm);
        Assert.Equal(2, reply.ConflictIndex);
    }

    [Fact]
    public void A_new_leaders_indexes_read_empty_while_it_is_announced_and_log_length_plus_one_once_it_leads()
    {
        var cluster = NewCluster(5, 8);
        var seenAtAnnouncement = new List<int>();
        cluster.EventRaised += e =>
        {
            if (e is RoleChanged { Role: NodeRole.Leader } r) seenAtAnnouncement.Add(cluster.Node(r.Node)!.NextIndex.Count + cluster.Node(r.Node)!.MatchIndex.Count);
        };
        var leader = cluster.ElectLeader();
        Assert.Equal(new[] { 0 }, seenAtAnnouncement);
        var view = cluster.Node(leader)!;
        Assert.Equal(4, view.NextIndex.Count);
        Assert.All(view.NextIndex.Values, next => Assert.InRange(next, 1, view.Log.Count + 1));
        Assert.DoesNotContain(leader, view.NextIndex.Keys);
    }
}
