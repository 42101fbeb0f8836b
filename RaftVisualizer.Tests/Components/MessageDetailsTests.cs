using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Tests.Core;

namespace RaftVisualizer.Tests.Components;

/// <summary>A reply in flight says which rule its sender applied, with the section, on hover and in the click panel.</summary>
public class MessageDetailsTests
{
    private static InFlightMessage Flying(RaftMessage m) => new(9, m, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(120), Lost: false);

    [Fact]
    public void A_refused_vote_in_flight_says_the_rule_its_values_and_section()
    {
        var s2 = new NodeUnderTest(2, 5);
        s2.Step(new AppendEntries(1, 2, 3, 0, 0, [new LogEntry(1, 2, KvCommand.Put("a", "1")), new LogEntry(2, 3, KvCommand.Put("a", "2"))], 0));
        s2.Now += TimeSpan.FromSeconds(1);
        s2.Sent.Clear();
        s2.Step(new RequestVote(4, 2, 4, LastLogIndex: 5, LastLogTerm: 2));
        var reply = Flying(s2.Sent.Single());

        Assert.Equal("RequestVoteReply S2→S4, term 4: vote refused — S4's log ends in term 2, S2's in term 3 (§5.4.1)", ClusterCanvas.Describe(reply));
        var cause = Assert.Single(ClusterCanvas.Fields(reply), f => f.Name == "Cause").Value;
        Assert.Equal("Reply false unless the candidate's log is at least as up-to-date as the receiver's (last term, then last index) (§5.4.1): "
            + "lastLogTerm 2 < receiver's 3 → reply false", cause);
    }

    [Fact]
    public void A_refused_AppendEntries_in_flight_says_prevLogIndex_and_prevLogTerm()
    {
        var s2 = new NodeUnderTest(2, 3);
        s2.Step(new AppendEntries(1, 2, 1, PrevLogIndex: 4, PrevLogTerm: 1, [], 0));
        var reply = Flying(s2.Sent.Single());

        Assert.Equal("AppendEntriesReply S2→S1, term 1: rejected — S2 has no entry at prevLogIndex 4: its log ends at index 0 (§5.3)", ClusterCanvas.Describe(reply));
        Assert.EndsWith("(§5.3): no entry at prevLogIndex 4 (log ends at 0) → reply false", Assert.Single(ClusterCanvas.Fields(reply), f => f.Name == "Cause").Value);
    }
}
