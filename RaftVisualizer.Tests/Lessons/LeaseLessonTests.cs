using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;

namespace RaftVisualizer.Tests.Lessons;

/// <summary>
/// The lease lesson's narration, measured: a lease read is answered without a heartbeat round, the
/// same read under ReadIndex costs one round to the four others, and a cut-off leader's lease runs
/// out (the minimum election timeout shrunk by the drift bound) before the majority elects anyone.
/// </summary>
public class LeaseLessonTests
{
    private static readonly NodeId S1 = new(1), S5 = new(5);
    private static Lesson Lesson => BuiltInLessons.Find("lease-read")!;

    /// <summary>The AppendEntries S1 sent while operation <paramref name="op"/> was pending.</summary>
    private static MessageSent[] RoundsDuring(Cluster cluster, ClientOperation op) =>
        cluster.Events.OfType<MessageSent>()
            .Where(e => e.Message.Kind == "AppendEntries" && e.Message.From == S1 && e.Time >= op.InvokedAt && e.Time <= op.CompletedAt)
            .ToArray();

    [Fact]
    public void A_lease_read_is_answered_without_a_round_and_a_ReadIndex_read_after_one_round_to_the_four_others()
    {
        var run = new LessonRun(Lesson).PlayTo(1);
        Assert.Equal(ReadMode.Lease, run.Cluster.Options.ReadMode);
        Assert.True(run.PlayNext().Passed);
        var lease = run.Cluster.History.Single(o => o.Id == 2);
        Assert.Equal(KvResult.Ok("1"), lease.Result);
        Assert.Equal(S1, lease.ServedBy);
        Assert.Empty(RoundsDuring(run.Cluster, lease));

        Assert.True(run.PlayNext().Passed); // the branch: the same moment with ReadIndex
        Assert.Equal(ReadMode.ReadIndex, run.Cluster.Options.ReadMode);
        var readIndex = run.Cluster.History.Single(o => o.Id == 2);
        Assert.Equal(lease.InvokedAt, readIndex.InvokedAt);
        Assert.Equal(KvResult.Ok("1"), readIndex.Result);
        Assert.Equal(S1, readIndex.ServedBy);
        var round = RoundsDuring(run.Cluster, readIndex);
        Assert.Equal(4, round.Length);
        Assert.Equal(new[] { 2, 3, 4, 5 }, round.Select(m => m.Message.To.Value).Order());
        Assert.Single(round.Select(m => m.Time).Distinct()); // one round, sent when the read arrived
        Assert.True(readIndex.Elapsed > lease.Elapsed, $"ReadIndex took {readIndex.Elapsed}, the lease read {lease.Elapsed}");
    }

    [Fact]
    public void A_cut_off_leader_stops_answering_by_lease_before_the_majority_elects_a_new_leader()
    {
        var run = new LessonRun(Lesson).PlayTo(3);
        var drive = run.BeginNext();
        Assert.Equal(ReadMode.Lease, run.Cluster.Options.ReadMode);
        var cutAt = run.Cluster.Now;
        TimeSpan? leaseEnded = null;
        while (!drive.Advance(run.Engine, TimeSpan.FromMilliseconds(0.25)))
            if (leaseEnded is null && !run.Cluster.Node(S1)!.HoldsLease) leaseEnded = run.Cluster.Now;
        Assert.True(run.Complete(drive).Passed, string.Join("; ", drive.Outcome!.Problems));

        var cluster = run.Cluster;
        Assert.NotNull(leaseEnded);
        var lastRound = cluster.Events.OfType<MessageSent>().Last(e => e.Time <= cutAt && e.Message.From == S1 && e.Message.To == new NodeId(3) && e.Message.Kind == "AppendEntries").Time;
        var lease = (leaseEnded!.Value - lastRound).TotalMilliseconds;
        Assert.InRange(lease, 850, 950); // "about 900 ms": 1,000 ms × (1 − 0.05) / (1 + 0.05) on S1's own clock
        var candidacy = cluster.Events.OfType<RoleChanged>().First(e => e.Time > cutAt && e.Role == NodeRole.Candidate);
        var elected = cluster.Events.OfType<RoleChanged>().Single(e => e.Time > cutAt && e.Role == NodeRole.Leader);
        Assert.Equal(S5, elected.Node);
        Assert.Equal(2, elected.Term);
        Assert.True(leaseEnded < candidacy.Time, $"S1's lease ended at {leaseEnded}, the first candidacy began at {candidacy.Time}");
        Assert.True(candidacy.Time - lastRound >= cluster.Options.ElectionTimeoutMin * (1 - cluster.Options.ClockDrift));

        Assert.True(run.PlayNext().Passed);
        var read = cluster.History.Single(o => o.Id == 4);
        Assert.Equal(KvResult.Ok("2"), read.Result);
        Assert.Equal(S5, read.ServedBy);
        Assert.DoesNotContain(cluster.History, o => o.Command.Kind == KvCommandKind.Get && o.ServedBy == S1 && o.CompletedAt > leaseEnded);
    }
}
