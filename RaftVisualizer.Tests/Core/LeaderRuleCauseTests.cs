using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Narration;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// Figure 2's rules for leaders, as causes on what a leader sends and appends: heartbeats upon
/// election and when idle, entries from nextIndex, nextIndex walked back after a refusal (one entry
/// at a time, or by the follower's hint with fast backtracking), and applying what is committed.
/// </summary>
public class LeaderRuleCauseTests
{
    /// <summary>
    /// Five servers; one follower is down while five puts commit, then the leader crashes and a new
    /// one is elected with a long log; the follower comes back far behind it.
    /// </summary>
    private static (Cluster Cluster, NodeId Leader, NodeId Behind, int Mark) LaggingFollower(bool fast)
    {
        var c = new Cluster(new ClusterOptions { NodeCount = 5, Seed = 3, FastBacktracking = fast });
        Assert.True(c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        var first = c.Leader!.Value;
        var behind = c.Nodes.First(n => n.Id != first).Id;
        Assert.True(c.RunUntil(x => x.Node(behind)!.CommitIndex >= 1, TimeSpan.FromSeconds(2)));
        Assert.True(c.Crash(behind).Ok);
        for (var i = 0; i < 5; i++)
        {
            var op = c.Submit(KvCommand.Put($"k{i}", "v"), first);
            Assert.True(c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(2)));
        }
        Assert.True(c.Crash(first).Ok);
        Assert.True(c.RunUntil(x => x.Leader is { } l && l != first, TimeSpan.FromSeconds(5)));
        c.RunFor(TimeSpan.FromMilliseconds(100));
        var mark = c.Events.Count;
        Assert.True(c.Restart(behind).Ok);
        Assert.True(c.RunUntil(x => x.Node(behind)!.LastLogIndex == x.Node(x.Leader!.Value)!.LastLogIndex, TimeSpan.FromSeconds(3)));
        return (c, c.Leader!.Value, behind, mark);
    }

    private static List<NextIndexBackedOff> BackOffs(Cluster c, NodeId leader, NodeId to, int mark) =>
        c.Events.Skip(mark).OfType<MessageSent>()
            .Select(s => s.Message).OfType<AppendEntries>()
            .Where(a => a.From == leader && a.To == to).Select(a => a.Cause).OfType<NextIndexBackedOff>().ToList();

    [Fact]
    public void Without_fast_backtracking_nextIndex_walks_back_one_entry_per_refusal()
    {
        var (c, leader, behind, mark) = LaggingFollower(fast: false);

        var steps = BackOffs(c, leader, behind, mark);

        Assert.True(steps.Count >= 3, $"{steps.Count} back-offs");
        Assert.All(steps, b => Assert.Equal((b.OldNext - 1, false), (b.NewNext, b.Fast)));
        Assert.Equal(steps.Count - 1, steps.Zip(steps.Skip(1)).Count(p => p.Second.OldNext == p.First.NewNext)); // one walk, step by step
        Assert.Equal(RaftRule.LeaderBackoff, steps[0].Rule);
        var line = EventNarrator.Describe(c.Events.Skip(mark).OfType<MessageSent>().First(s => s.Message is AppendEntries { Cause: NextIndexBackedOff }))!;
        Assert.EndsWith($"{behind} refused for log inconsistency, so nextIndex walks back one entry, from {steps[0].OldNext} to {steps[0].NewNext}, and {leader} retries (§5.3)", line);
    }

    [Fact]
    public void With_fast_backtracking_one_refusal_takes_nextIndex_straight_to_the_end_of_the_followers_log()
    {
        var (c, leader, behind, mark) = LaggingFollower(fast: true);

        var step = Assert.Single(BackOffs(c, leader, behind, mark));

        Assert.True(step.Fast);
        Assert.Equal(step.ConflictIndex, step.NewNext);
        Assert.True(step.OldNext - step.NewNext >= 3, $"{step.OldNext} → {step.NewNext}");
        Assert.Equal($"{behind} failed, conflict term 0 from index {step.ConflictIndex} → nextIndex {step.OldNext} → {step.NewNext}, retry", CauseNarrator.Comparison(step));
    }

    [Fact]
    public void A_new_leader_announces_itself_appends_a_no_op_and_every_server_applies_what_commits()
    {
        var c = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 8 });
        Assert.True(c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        var leader = c.Leader!.Value;
        c.RunFor(TimeSpan.FromMilliseconds(300));
        var term = c.Node(leader)!.Term;

        var rounds = c.Events.OfType<MessageSent>().Select(s => s.Message).OfType<AppendEntries>().Where(a => a.From == leader).Select(a => a.Cause).ToList();
        Assert.IsType<EntriesFromNextIndex>(rounds[0]); // the first round carries the no-op: entries from nextIndex, not an empty heartbeat
        Assert.Contains(new HeartbeatSent(term, HeartbeatPurpose.Idle), rounds);
        var noOp = c.Events.OfType<EntryAppended>().First(a => a.Node == leader);
        Assert.Equal(new NoOpAppended(term), noOp.Cause);
        Assert.All(c.Nodes, n => Assert.Contains(c.Events.OfType<EntryApplied>(), a => a.Node == n.Id && a.Cause == new AppliedCommitted(noOp.Entry.Index, a.Cause!.CommitIndex)));
        var ledger = c.Frame().Rules;
        foreach (var rule in new[] { RaftRule.LeaderNoOp, RaftRule.LeaderReplicate, RaftRule.LeaderHeartbeat, RaftRule.ApplyCommitted })
            Assert.NotNull(ledger.Latest(rule));
        Assert.Equal(leader, ledger.Latest(RaftRule.LeaderHeartbeat)!.Node);
    }
}
