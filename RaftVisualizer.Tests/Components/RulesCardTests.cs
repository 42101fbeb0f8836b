using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Tests.Core;

namespace RaftVisualizer.Tests.Components;

/// <summary>The rules card lights the rule a handler applied last, with the values it compared, at the cursor.</summary>
public class RulesCardTests : ClusterComponentTest
{
    /// <summary>S2 (log ending in term 3) asked for its vote by S4 (log ending in term 2, term 4): what the cluster would record.</summary>
    private static List<ClusterEvent> StaleCandidateAsksS2()
    {
        var s2 = new NodeUnderTest(2, 5);
        s2.Step(new AppendEntries(1, 2, 3, 0, 0, [new LogEntry(1, 2, KvCommand.Put("a", "1")), new LogEntry(2, 3, KvCommand.Put("a", "2"))], 0));
        s2.Now = TimeSpan.FromMilliseconds(1500);
        s2.Events.Clear();
        s2.Step(new RequestVote(4, 2, 4, LastLogIndex: 5, LastLogTerm: 2));
        var events = new List<ClusterEvent>(s2.Events);
        events.AddRange(s2.Sent.Select((m, i) => new MessageSent(s2.Now, i + 1, m, s2.Now + TimeSpan.FromMilliseconds(20))));
        return events;
    }

    private IRenderedComponent<RulesCard> RenderCard(IReadOnlyList<ClusterEvent> events) =>
        Render<RulesCard>(p => p.Add(c => c.Rules, RuleLedger.Of(events)));

    [Fact]
    public void A_refused_vote_lights_the_up_to_date_rule_with_both_last_terms()
    {
        var card = RenderCard(StaleCandidateAsksS2());

        var lit = Assert.Single(card.FindAll("[data-testid=rules-card] .rule[data-lit=true]"));
        Assert.Equal("VoteLogBehind", lit.GetAttribute("data-rule"));
        Assert.Contains("(§5.4.1)", lit.TextContent);
        Assert.Equal("S2 at 1.500 s: lastLogTerm 2 < receiver's 3 → reply false", lit.QuerySelector("[data-testid=rule-values]")!.TextContent);
        // The term S2 adopted on the way is shown too, not lit: it was applied before the vote was decided.
        var higher = card.Find(".rule[data-rule=HigherTerm]");
        Assert.Equal("false", higher.GetAttribute("data-lit"));
        Assert.Contains("RequestVote term 4 > currentTerm 3 → currentTerm = 4, follower", higher.TextContent);
        Assert.Empty(card.Find(".rule[data-rule=AppendStaleTerm]").QuerySelectorAll("[data-testid=rule-values]"));
    }

    [Fact]
    public void Scrubbing_back_lights_the_last_rule_applied_at_or_before_the_cursor()
    {
        var events = StaleCandidateAsksS2();
        var card = RenderCard(events);
        Assert.Equal("VoteLogBehind", card.Find(".rule[data-lit=true]").GetAttribute("data-rule"));

        var beforeTheReply = events.TakeWhile(e => e is not MessageSent).ToArray();
        card.Render(p => p.Add(c => c.Rules, RuleLedger.Of(beforeTheReply)));

        Assert.Equal("HigherTerm", card.Find(".rule[data-lit=true]").GetAttribute("data-rule"));
        Assert.Empty(card.Find(".rule[data-rule=VoteLogBehind]").QuerySelectorAll("[data-testid=rule-values]"));

        card.Render(p => p.Add(c => c.Rules, new RuleLedger()));
        Assert.Empty(card.FindAll(".rule[data-lit=true]"));
    }

    [Fact]
    public void In_a_real_run_the_leader_commit_rule_shows_who_holds_the_entry()
    {
        var c = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 1 });
        Assert.True(c.RunUntil(x => x.Leader is not null, TimeSpan.FromSeconds(5)));
        var leader = c.Leader!.Value;
        var op = c.Submit(KvCommand.Put("x", "1"), leader);
        c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(2));

        var card = RenderCard(c.Events.ToArray());

        var commit = card.Find(".rule[data-rule=LeaderCommit] [data-testid=rule-values]").TextContent;
        var index = c.Node(leader)!.CommitIndex;
        var term = c.Node(leader)!.Term;
        Assert.StartsWith($"{leader} at ", commit);
        Assert.EndsWith($"majority 2; log[{index}].term {term} = currentTerm {term} → commitIndex = {index}", commit);
        Assert.Single(card.FindAll(".rule[data-lit=true]"));
    }
}
