using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Simulation;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

public class CloneTests
{
    // Every switch that adds state to a server is on for some seeds, so the clone is proven to copy it:
    // reads (rounds, pending reads, leases), drifting clocks, check-quorum, the vote guard, transfers,
    // compaction (snapshots, log bases, InstallSnapshot in flight) and, through the plans, membership
    // changes (configurations, learners, peers, servers added after the start).
    private static ClusterOptions OptionsFor(ulong seed) => new()
    {
        NodeCount = 3 + (int)(seed % 3), Seed = seed, PreVote = seed % 5 == 0, LossRate = seed % 4 == 0 ? 0.05 : 0,
        ReadMode = (ReadMode)(seed / 3 % 3), CheckQuorum = seed % 2 == 1, LeaderStickiness = seed % 7 == 3,
        ClockDrift = seed % 4 == 1 ? 0.1 : 0, SnapshotThreshold = seed % 3 == 0 ? 0 : 2 + (int)(seed % 7),
    };

    private static List<PlannedAct> PlanFor(SimRandom r, ClusterOptions options) =>
        RandomPlan.Make(r, options.NodeCount, 25, 3_000, transfers: true, linkFaults: true, membership: true);

    private static List<string> Listen(Cluster cluster)
    {
        var seen = new List<string>();
        cluster.EventRaised += e => seen.Add(e.ToString());
        return seen;
    }

    [Fact]
    public void A_clone_given_the_same_actions_raises_exactly_the_events_the_original_does()
    {
        long compared = 0;
        ForSeeds(200, seed =>
        {
            var r = new SimRandom(seed * 7919);
            var options = OptionsFor(seed);
            var plan = PlanFor(r, options);
            var cloneAt = r.NextInt64(0, 2_500);
            var original = new Cluster(options);
            RandomPlan.Drive(original, plan.Where(p => p.Step < cloneAt), cloneAt);

            var clone = original.Clone();
            Assert.Equal(Frames.Canonical(original.Frame()), Frames.Canonical(clone.Frame()));
            Assert.Equal(Frames.Membership(original), Frames.Membership(clone));
            Assert.Equal(Frames.Clients(original), Frames.Clients(clone));
            Assert.Equal(original.Events, clone.Events);
            var (a, b) = (Listen(original), Listen(clone));
            var after = plan.Where(p => p.Step >= cloneAt).ToArray();
            RandomPlan.Drive(original, after, 4_000);
            RandomPlan.Drive(clone, after, 4_000);

            compared += a.Count;
            Assert.Equal(a, b);
            Assert.Equal(Frames.Canonical(original.Frame()), Frames.Canonical(clone.Frame()));
            Assert.Equal(Frames.Membership(original), Frames.Membership(clone));
            Assert.Equal(Frames.Clients(original), Frames.Clients(clone));
            Assert.Equal(original.Safety.Violations, clone.Safety.Violations);
            Assert.Equal(ScenarioJson.Serialize(original.Scenario), ScenarioJson.Serialize(clone.Scenario));
        });
        Assert.True(compared > 200 * 1_000, $"only {compared} events compared after the clones");
    }

    [Fact]
    public void The_random_plans_really_change_membership_and_compact_so_the_clone_tests_cover_them()
    {
        var (added, removed, snapshots, installs, seeds) = (0, 0, 0, 0, 0);
        ForSeeds(60, seed =>
        {
            var r = new SimRandom(seed * 7919);
            var options = OptionsFor(seed);
            var cluster = new Cluster(options);
            RandomPlan.Drive(cluster, PlanFor(r, options), 4_000);
            added += cluster.Events.Count(e => e is ServerAdded);
            removed += cluster.Scenario.Commands.Count(c => c.Command is ClusterCommand.RemoveServer);
            snapshots += cluster.Events.Count(e => e is SnapshotTaken);
            installs += cluster.Events.Count(e => e is SnapshotInstalled);
            if (cluster.Nodes.Count > options.NodeCount && cluster.Nodes.Any(n => n.SnapshotIndex > 0)) seeds++;
        });
        Assert.True(added >= 20, $"only {added} servers added");
        Assert.True(removed >= 10, $"only {removed} removals");
        Assert.True(snapshots >= 100, $"only {snapshots} snapshots");
        Assert.True(installs >= 5, $"only {installs} snapshots installed");
        Assert.True(seeds >= 5, $"only {seeds} seeds both grew and compacted");
    }

    [Fact]
    public void A_clone_taken_with_a_learner_catching_up_by_snapshot_goes_on_exactly_like_the_original()
    {
        ForSeeds(20, seed =>
        {
            var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = seed, SnapshotThreshold = 3 });
            cluster.ElectLeader();
            for (var i = 0; i < 12; i++) Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put($"k{i % 4}", $"v{i}")).Status);
            Assert.True(cluster.RunUntil(c => c.AddServer().Ok, TimeSpan.FromSeconds(5)));
            Assert.True(cluster.RunUntil(c => c.Events.Any(e => e is MessageSent { Message: InstallSnapshot }), TimeSpan.FromSeconds(2)),
                "the leader never sent the new server its snapshot");

            var clone = cluster.Clone();
            Assert.Equal(Frames.Membership(cluster), Frames.Membership(clone));
            Assert.Equal(cluster.Configuration, clone.Configuration);
            var (a, b) = (Listen(cluster), Listen(clone));
            foreach (var c in new[] { cluster, clone })
            {
                Assert.Equal(KvStatus.Ok, c.Do(KvCommand.Put("after", "clone")).Status);
                Assert.True(c.RunUntil(x => x.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)), "S4 was never promoted");
                c.RunFor(TimeSpan.FromSeconds(1));
            }
            Assert.Equal(a, b);
            Assert.Equal(Frames.Membership(cluster), Frames.Membership(clone));
            Assert.Equal(Frames.Canonical(cluster.Frame()), Frames.Canonical(clone.Frame()));
            Assert.Equal("clone", clone.Nodes[3].Kv["after"]);
        });
    }

    [Fact]
    public void A_clone_across_history_cuts_keeps_the_same_window_and_cut_and_goes_on_the_same()
    {
        ForSeeds(10, seed =>
        {
            var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = seed, MaxHistory = 40 });
            Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
            void Write(Cluster c, int from, int to)
            {
                for (var i = from; i < to; i++)
                {
                    var op = c.Submit(KvCommand.Put($"k{i % 4}", i.ToString()));
                    Assert.True(c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5)), $"op {i} did not finish");
                }
            }
            Write(cluster, 0, 100); // several cuts already
            Assert.True(cluster.HistoryCut.DroppedOperations > 0);

            var clone = cluster.Clone();
            Write(cluster, 100, 170); // more cuts on both sides, after the copy
            Write(clone, 100, 170);

            Assert.Equal(cluster.History.Select(o => (o.Id, o.Result)), clone.History.Select(o => (o.Id, o.Result)));
            Assert.Equal(cluster.HistoryCut.DroppedOperations, clone.HistoryCut.DroppedOperations);
            Assert.Equal(Frames.Canonical(cluster.Frame()), Frames.Canonical(clone.Frame()));
            Assert.InRange(cluster.History.Count, 1, 40);
        });
    }

    [Fact]
    public void Acting_on_a_clone_never_changes_the_original()
    {
        ForSeeds(200, seed =>
        {
            var r = new SimRandom(seed * 104729);
            var options = OptionsFor(seed);
            var plan = PlanFor(r, options);
            var cloneAt = r.NextInt64(0, 2_500);
            var original = new Cluster(options);
            var fresh = new Cluster(options);
            RandomPlan.Drive(original, plan.Where(p => p.Step < cloneAt), cloneAt);

            var clone = original.Clone();
            var servers = original.Nodes.Count;
            clone.AddServer(); // refused or not, never seen by the original
            clone.RemoveServer(clone.Leader ?? 1);
            foreach (var n in clone.Nodes) clone.Crash(n.Id);
            clone.Network.LossRate = 0.5;
            clone.Partition(new NodeId[] { 1 });
            var op = clone.Submit(KvCommand.Put("clone", "only"));
            foreach (var n in clone.Nodes) clone.Restart(n.Id);
            clone.RunFor(TimeSpan.FromSeconds(2));
            Assert.DoesNotContain(op, original.History);
            Assert.Equal(servers, original.Nodes.Count);
            Assert.All(original.History.Where(o => !o.IsCompleted), o => Assert.DoesNotContain(o, clone.History));

            RandomPlan.Drive(original, plan.Where(p => p.Step >= cloneAt), 4_000);
            RandomPlan.Drive(fresh, plan, 4_000);
            Assert.Equal(fresh.Events.Select(e => e.ToString()), original.Events.Select(e => e.ToString()));
            Assert.Equal(Frames.Canonical(fresh.Frame()), Frames.Canonical(original.Frame()));
            Assert.Equal(Frames.Clients(fresh), Frames.Clients(original));
        });
    }

    [Fact]
    public void A_clone_with_a_short_event_record_keeps_the_newest_events_and_counts_the_rest_discarded()
    {
        var cluster = NewCluster(5, 3);
        cluster.RunFor(TimeSpan.FromSeconds(3));
        var copy = cluster.Clone(keepEvents: 10);
        Assert.Equal(cluster.Events.TakeLast(10), copy.Events);
        Assert.Equal(cluster.Events.Count + cluster.EventsDiscarded, copy.Events.Count + copy.EventsDiscarded);
        Assert.Empty(cluster.Clone(0).Events);
    }

    [Fact]
    public void The_network_filter_is_shared_by_reference()
    {
        var cluster = NewCluster(3, 4);
        Func<RaftMessage, bool> filter = m => m is not AppendEntries;
        cluster.Network.Filter = filter;
        var copy = cluster.Clone();
        Assert.Same(filter, copy.Network.Filter);
        copy.Network.Filter = null;
        Assert.Same(filter, cluster.Network.Filter);
    }
}

public class ChunkedListTests
{
    [Fact]
    public void A_copy_shares_chunks_until_either_side_writes_and_then_neither_sees_the_other()
    {
        var a = new RaftVisualizer.Core.Simulation.ChunkedList<int>();
        for (var i = 0; i < 2500; i++) a.Add(i);
        var b = a.Clone();
        a[5] = -5;
        b.RemoveFrom(1500);
        b.Add(-1);
        a.Add(2500);
        b[0] = -100;
        Assert.Equal(Enumerable.Range(0, 2501).Select(i => i == 5 ? -5 : i), a);
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => i == 0 ? -100 : i).Append(-1), b);
        var slice = new int[1200];
        a.CopyTo(1000, slice, 0, 1200);
        Assert.Equal(Enumerable.Range(1000, 1200), slice);
    }
}
