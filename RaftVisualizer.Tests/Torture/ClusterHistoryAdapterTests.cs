using RaftVisualizer.Core;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Torture;

public class ClusterHistoryAdapterTests
{
    private static long _id;

    private static ClientOperation Op(KvCommand command, int invoked, KvResult? result, int? completed = null)
    {
        var op = new ClientOperation(++_id, new ClientSession(7, _id), command, TimeSpan.FromMilliseconds(invoked), TimeSpan.FromSeconds(3));
        if (result is not null) op.Complete(result, 1, TimeSpan.FromMilliseconds(completed ?? invoked + 10));
        return op;
    }

    [Fact]
    public void Completed_operations_keep_their_times_in_ticks_and_what_a_read_saw()
    {
        var put = Op(KvCommand.Put("x", "1"), 10, KvResult.Ok(), 30);
        var get = Op(KvCommand.Get("x"), 40, KvResult.Ok("1"), 55);
        var history = ClusterHistoryAdapter.FromCluster([put, get]);

        Assert.Equal(new KvHistoryOp((int)put.Id, 7, KvOpKind.Put, "x", "1", null, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(30).Ticks), history[0]);
        Assert.Equal(new KvHistoryOp((int)get.Id, 7, KvOpKind.Get, "x", null, "1", TimeSpan.FromMilliseconds(40).Ticks, TimeSpan.FromMilliseconds(55).Ticks), history[1]);
    }

    [Fact]
    public void A_timed_out_write_is_open_ended_and_a_timed_out_read_is_dropped()
    {
        var history = ClusterHistoryAdapter.FromCluster([
            Op(KvCommand.Put("x", "1"), 0, KvResult.TimedOut("no answer")),
            Op(KvCommand.Append("x", "2"), 0, null),          // still pending: just as unknown
            Op(KvCommand.Delete("x"), 0, KvResult.TimedOut("no answer")),
            Op(KvCommand.Get("x"), 0, KvResult.TimedOut("no answer")),
            Op(KvCommand.Get("x"), 0, null),
        ]);
        Assert.Equal(new[] { KvOpKind.Put, KvOpKind.Append, KvOpKind.Delete }, history.Select(h => h.Kind));
        Assert.All(history, h => Assert.Null(h.Return));
    }

    [Fact]
    public void Rejected_operations_are_dropped_and_not_found_reads_absent_while_deletes_and_appends_count_either_way()
    {
        var history = ClusterHistoryAdapter.FromCluster([
            Op(KvCommand.Put("", "1"), 0, KvResult.Rejected("The key is empty")),
            Op(KvCommand.Get("x"), 0, KvResult.NotFound),
            Op(KvCommand.Delete("x"), 0, KvResult.NotFound),
            Op(KvCommand.Delete("y"), 0, KvResult.Ok()),
            Op(KvCommand.Append("x", "a"), 0, KvResult.Ok("za")),
        ]);
        Assert.Equal(new[] { KvOpKind.Get, KvOpKind.Delete, KvOpKind.Delete, KvOpKind.Append }, history.Select(h => h.Kind));
        Assert.All(history, h => Assert.Null(h.Output));
        Assert.All(history, h => Assert.NotNull(h.Return));
        Assert.Equal("a", history[3].Input);
    }

    [Fact]
    public void A_real_cluster_history_passes_the_checker_and_a_doctored_stale_read_does_not()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 5 });
        cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5));
        foreach (var command in new[] { KvCommand.Put("x", "1"), KvCommand.Put("x", "2"), KvCommand.Get("x") })
        {
            var op = cluster.Submit(command);
            cluster.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(5));
            cluster.RunFor(TimeSpan.FromMilliseconds(1)); // a call at the very tick of a return counts as concurrent with it
        }
        var history = ClusterHistoryAdapter.FromCluster(cluster.History);
        Assert.Equal("2", history[2].Output);
        Assert.Equal(LinearizabilityVerdict.Linearizable, LinearizabilityChecker.Check(history).Verdict);

        var stale = history.Select(h => h.Kind == KvOpKind.Get ? h with { Output = "1" } : h).ToArray();
        var verdict = LinearizabilityChecker.Check(stale);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, verdict.Verdict);
        Assert.Equal("x", verdict.FailingKey);
    }
}
