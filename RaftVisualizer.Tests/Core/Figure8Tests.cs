using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// Figure 8 of the Raft paper, rebuilt step by step with forced timeouts and a message filter.
/// Terms are one lower than in the paper because our cluster starts in term 1, and each new
/// leader's no-op takes one index. (a) S1 leads and gets entry 2 only onto S2. (b) S5 wins with
/// S3, S4 and writes its own entry 2. (c) S1 wins again and copies its old entry 2 onto S3: now
/// on a majority, but of an earlier term. (d) S5 can win again and overwrite it everywhere, which
/// is safe only because (c) did not count replicas of an earlier-term entry. (e) If S1 gets an
/// entry of its own term onto a majority first, entry 2 is committed and S5 can never win.
/// </summary>
public class Figure8Tests
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(400);

    private static Cluster Manual(BrokenRules broken = BrokenRules.None) => new(new ClusterOptions
    {
        NodeCount = 5, Seed = 8, MaxEntriesPerAppend = 1, Broken = broken,
        // elections happen only when the test forces them
        ElectionTimeoutMin = TimeSpan.FromSeconds(1000), ElectionTimeoutMax = TimeSpan.FromSeconds(1001),
    });

    private static void Elect(Cluster c, NodeId who)
    {
        c.ForceTimeout(who);
        c.RunFor(Settle);
        if (c.Node(who)!.Role != NodeRole.Leader) { c.ForceTimeout(who); c.RunFor(Settle); }
        Assert.Equal(NodeRole.Leader, c.Node(who)!.Role);
    }

    private static Cluster ThroughStageC(BrokenRules broken, out long commitAfterC)
    {
        var c = Manual(broken);
        Elect(c, 1);                                                // term 1: S1 leads, no-op at 1 everywhere
        Assert.All(c.Nodes, n => Assert.Equal(1, n.CommitIndex));

        // (a) S1 gets entry 2 onto S2 only.
        c.Network.Filter = m => !(m is AppendEntries && m.From == 1 && m.To != 2);
        c.Submit(KvCommand.Put("x", "a"), 1, TimeSpan.FromMilliseconds(100));
        c.RunFor(Settle);
        Assert.Equal(new long[] { 2, 2, 1, 1, 1 }, c.Nodes.Select(n => n.LastLogIndex));

        // (b) S1 crashes; S5 wins with S3, S4 and appends entries of term 2 that nobody else gets.
        c.Crash(1);
        c.Network.Filter = m => !(m is AppendEntries && m.From == 5);
        Elect(c, 5);
        Assert.Equal(2, c.Node(5)!.Term);
        c.Submit(KvCommand.Put("x", "b"), 5, TimeSpan.FromMilliseconds(100));
        c.RunFor(Settle);
        Assert.Equal(new long[] { 1, 2, 2 }, c.Node(5)!.Log.Select(e => e.Term));

        // (c) S5 crashes; S1 restarts and wins term 3 with S2, S3, S4, then copies entry 2 (term 1)
        // onto S3. Its own term-3 no-op reaches S2 but not S3 (S3 sees it only while it must refuse
        // it for lacking entry 2, which makes S1 back up): on S1 and S2 only, not a majority.
        c.Crash(5);
        c.Restart(1);
        c.Network.Filter = m => !(m is AppendEntries a && a.From == 1 && (a.To.Value is 4 or 5
            || (a.To == 3 && a.Entries.Any(e => e.Index >= 3) && c.Node(3)!.LastLogIndex >= 2)));
        Elect(c, 1);
        Assert.Equal(3, c.Node(1)!.Term);
        c.RunFor(Settle);
        Assert.Equal(1, c.Node(3)!.Log[1].Term);                   // entry 2 of term 1 is on S1, S2, S3: a majority
        commitAfterC = c.Node(1)!.CommitIndex;
        return c;
    }

    [Fact]
    public void An_entry_from_an_earlier_term_on_a_majority_is_not_committed_and_may_be_overwritten()
    {
        var c = ThroughStageC(BrokenRules.None, out var commitAfterC);
        Assert.Equal(0, commitAfterC); // restarted, S1 knows of no commit until an entry of term 3 is on a majority

        // (d) S1 crashes; S5 restarts and wins term 4 (its last term 2 beats their last term 1).
        c.Crash(1);
        c.Restart(5);
        c.Network.Filter = null;
        Elect(c, 5);
        Assert.Equal(4, c.Node(5)!.Term);
        c.RunFor(TimeSpan.FromSeconds(1));
        foreach (var id in new NodeId[] { 2, 3, 4, 5 })
            Assert.Equal(new long[] { 1, 2, 2, 4 }, c.Node(id)!.Log.Select(e => e.Term)); // entry 2 of term 1 is gone
        Assert.All(c.Nodes.Where(n => n.IsUp), n => Assert.Equal("b", n.Kv["x"]));
        c.Restart(1);
        c.AssertConverged();
        Assert.Equal("b", c.Node(1)!.Kv["x"]);
    }

    [Fact]
    public void Counting_replicas_of_an_earlier_term_is_caught_by_the_safety_monitor()
    {
        var c = ThroughStageC(BrokenRules.CommitPreviousTermByCounting, out var commitAfterC);
        Assert.Equal(2, commitAfterC);                            // the broken leader commits entry 2 of term 1
        c.Crash(1);
        c.Restart(5);
        c.Network.Filter = null;
        Elect(c, 5);
        c.RunFor(TimeSpan.FromSeconds(1));
        Assert.False(c.Safety.IsSafe);
        Assert.Contains(c.Safety.Violations, v => v.Property is SafetyProperty.LeaderCompleteness or SafetyProperty.StateMachineSafety);
    }

    [Fact]
    public void Once_the_leader_commits_an_entry_of_its_own_term_the_old_entry_is_safe()
    {
        var c = ThroughStageC(BrokenRules.None, out _);
        // (e) S1's term-3 no-op reaches S2 and S3 as well: index 3 commits, and entry 2 with it.
        c.Network.Filter = m => !(m is AppendEntries a && a.From == 1 && a.To is { Value: 4 or 5 });
        c.RunFor(Settle);
        Assert.Equal(3, c.Node(1)!.CommitIndex);
        c.Crash(1);
        c.Restart(5);
        c.Network.Filter = null;
        c.ForceTimeout(5);
        c.RunFor(Settle);
        c.ForceTimeout(5);
        c.RunFor(Settle);
        Assert.NotEqual(NodeRole.Leader, c.Node(5)!.Role);       // S2 and S3 hold term 3: S5's log is behind
        Assert.All(new NodeId[] { 2, 3 }, id => Assert.Equal(1, c.Node(id)!.Log[1].Term));
        c.Restart(1);
        c.ForceTimeout(2);
        c.AssertConverged();
        Assert.All(c.Nodes, n => Assert.Equal("a", n.Kv["x"])); // the entry of (a) survived everywhere
    }
}
