using RaftVisualizer.Core;
using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

/// <summary>The cluster's client history stays bounded, and what is kept is checked from the cut.</summary>
public class BoundedClusterHistoryTests
{
    /// <summary>Keeps <paramref name="concurrency"/> operations in flight on a few keys, crashing the leader now and then.</summary>
    private static Cluster Load(int maxHistory, int operations, int concurrency = 8, bool crashes = true, Action<Cluster>? each = null)
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 9, MaxHistory = maxHistory });
        var open = new List<ClientOperation>();
        var n = 0;
        var outages = 0;
        while (n < operations)
        {
            open.RemoveAll(o => o.IsCompleted);
            while (open.Count < concurrency && n < operations)
            {
                n++;
                var key = $"k{n / 3 % 3}";
                open.Add(cluster.Submit(n % 3 == 0 ? KvCommand.Get(key) : n % 3 == 1 ? KvCommand.Put(key, $"v{n}") : KvCommand.Append(key, $"{n};")));
                each?.Invoke(cluster);
            }
            if (crashes && n / 1000 > outages)
            {
                // a majority down for longer than a client waits: the writes in flight time out, and may still apply later
                outages++;
                cluster.Crash(1);
                cluster.Crash(2);
                cluster.RunFor(TimeSpan.FromSeconds(3.5));
                cluster.Restart(1);
                cluster.Restart(2);
            }
            cluster.RunFor(TimeSpan.FromMilliseconds(5));
        }
        cluster.RunFor(TimeSpan.FromSeconds(4));
        return cluster;
    }

    private static LinearizabilityResult Check(Cluster cluster) =>
        LinearizabilityChecker.Check(ClusterHistoryAdapter.FromCluster(cluster.History), null, cluster.HistoryCut);

    [Fact]
    public void A_long_run_keeps_a_bounded_history_that_is_still_judged_linearizable()
    {
        var largest = 0;
        var cluster = Load(maxHistory: 300, operations: 6_000, crashes: false, each: c => largest = Math.Max(largest, c.History.Count));

        Assert.InRange(largest, 300, 301);
        Assert.True(cluster.HistoryCut.DroppedOperations > 5_000, $"{cluster.HistoryCut.DroppedOperations} dropped");
        Assert.Equal(6_000, cluster.HistoryCut.DroppedOperations + cluster.History.Count);
        var result = Check(cluster);
        Assert.True(result.Verdict == LinearizabilityVerdict.Linearizable, result.Explanation);
        Assert.Empty(cluster.HistoryCut.UncheckedKeys);
    }

    [Fact]
    public void Crashed_leaders_and_timed_out_writes_across_many_cuts_raise_no_false_alarm()
    {
        var cluster = Load(maxHistory: 300, operations: 4_000, crashes: true);

        Assert.True(cluster.HistoryCut.DroppedOperations > 3_000);
        Assert.Contains(cluster.Events.OfType<ClientRequestAnswered>(), a => a.Result.Status == KvStatus.Timeout);
        var result = Check(cluster);
        Assert.True(result.Verdict == LinearizabilityVerdict.Linearizable, result.Explanation);
    }

    [Fact]
    public void Bounding_the_history_changes_no_event()
    {
        var bounded = Load(maxHistory: 100, operations: 1_500);
        var unbounded = Load(maxHistory: 0, operations: 1_500);

        Assert.Equal(1_500, unbounded.History.Count);
        Assert.True(bounded.History.Count <= 100);
        Assert.Equal(unbounded.Events.Count, bounded.Events.Count);
        Assert.Equal(unbounded.Events.Select(e => e.ToString()), bounded.Events.Select(e => e.ToString()));
        Assert.Equal(unbounded.History.TakeLast(bounded.History.Count).Select(o => o.ToString()), bounded.History.Select(o => o.ToString()));
        Assert.Equal(LinearizabilityVerdict.Linearizable, Check(unbounded).Verdict);
    }

    [Fact]
    public void Stale_reads_are_still_caught_when_the_history_is_bounded()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 2, MaxHistory = 20, Broken = BrokenRules.ReadsFromAnyNode });
        cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5));
        var leader = cluster.Leader!.Value;
        var stale = cluster.Nodes.First(n => n.Id != leader).Id;
        for (var i = 0; i < 30; i++)
        {
            var op = cluster.Submit(KvCommand.Put("x", $"old{i}"), leader);
            cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(3));
        }
        cluster.RunFor(TimeSpan.FromMilliseconds(200));
        cluster.Partition(new[] { stale }, cluster.Nodes.Select(n => n.Id).Where(id => id != stale));
        var write = cluster.Submit(KvCommand.Put("x", "new"), leader);
        cluster.RunUntil(_ => write.IsCompleted, TimeSpan.FromSeconds(3));
        for (var i = 0; i < 30; i++) // enough operations on another key to push the write behind a cut
        {
            var op = cluster.Submit(KvCommand.Put("y", $"{i}"), leader);
            cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(3));
        }
        Assert.DoesNotContain(write, cluster.History);

        var read = cluster.Submit(KvCommand.Get("x"), stale); // the cut-off follower answers from its stale map
        cluster.RunUntil(_ => read.IsCompleted, TimeSpan.FromSeconds(3));
        Assert.Equal("old29", read.Result!.Value);

        var result = Check(cluster);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal("x", result.FailingKey);
        Assert.Contains(result.Counterexample, op => op.Id == read.Id);
        Assert.Contains("had left the key holding \"new\"", result.Explanation);
    }

    [Fact]
    public void Max_history_must_be_zero_or_at_least_two()
    {
        Assert.ThrowsAny<ArgumentException>(() => new Cluster(new ClusterOptions { MaxHistory = 1 }));
        Assert.ThrowsAny<ArgumentException>(() => new Cluster(new ClusterOptions { MaxHistory = -1 }));
    }
}
