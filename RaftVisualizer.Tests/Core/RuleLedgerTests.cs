using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Narration;

namespace RaftVisualizer.Tests.Core;

/// <summary>
/// The rules card reads a ledger the cluster keeps over the whole run, so a rule applied long ago
/// still shows after the event record has let its event go. (That a past frame holds the ledger a
/// fresh replay to its step holds is checked with the rest of the frame by the timeline tests.)
/// </summary>
public class RuleLedgerTests
{
    [Fact]
    public void The_election_a_minute_ago_is_still_on_the_card_after_the_event_record_dropped_it()
    {
        var c = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 4, MaxRecordedEvents = 500 });
        Assert.True(c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        var leader = c.Leader!.Value;
        var won = c.Events.OfType<RoleChanged>().Last(r => r.Role == NodeRole.Leader);
        c.RunFor(TimeSpan.FromSeconds(60));
        Assert.Equal(leader, c.Leader); // a quiet minute: no second election
        Assert.DoesNotContain(c.Events, e => e is RoleChanged { Role: NodeRole.Leader });

        var applied = c.Frame().Rules.Latest(RaftRule.ElectionWon);

        Assert.NotNull(applied);
        Assert.Equal((won.Time, leader, won.Cause), (applied.Time, applied.Node, applied.Cause));
        Assert.StartsWith($"votes {((ElectionWon)won.Cause!).Voters}: ", CauseNarrator.Comparison(applied.Cause));
    }

    [Fact]
    public void A_follower_whose_uncommitted_configuration_entry_is_cut_off_falls_back_and_the_card_says_so()
    {
        // S2 of three takes S1's entry 2, a configuration adding S4, which never commits; S3, leader of
        // term 2, overwrites entry 2 with its own: S2 must fall back to the configuration before it.
        var s2 = new NodeUnderTest(2, 3);
        var adding = Configuration.Initial(3).WithLearner(4);
        s2.Step(new AppendEntries(1, 2, 1, 0, 0, [new LogEntry(1, 1, KvCommand.Put("a", "1")), new LogEntry(2, 1, KvCommand.NoOp, Config: adding)], 1));
        Assert.Equal(adding, s2.Raft.Config);
        s2.Events.Clear();

        s2.Step(new AppendEntries(3, 2, 2, 1, 1, [new LogEntry(2, 2, KvCommand.Put("a", "2"))], 1));

        var changed = Assert.Single(s2.Events.OfType<ConfigurationChanged>());
        Assert.Equal(Configuration.Initial(3), changed.Config);
        Assert.Equal(new ConfigAdopted(0, ConfigSource.EntriesCutOff, From: 3), changed.Cause);
        Assert.Equal(Configuration.Initial(3), s2.Raft.Config);
        Assert.EndsWith(": S3's entries cut off a newer configuration entry that had not committed, so S2 falls back to the newest one left in its log (thesis §4.1)",
            EventNarrator.Describe(changed));
        var ledger = RuleLedger.Of(s2.Events);
        Assert.Equal(RaftRule.LatestConfig, ledger.Last!.Rule);
        Assert.Equal("newer configuration entry cut off → fall back to the newest left, entry 0", CauseNarrator.Comparison(ledger.Last.Cause));
    }
}
