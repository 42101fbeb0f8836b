using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// A server removed while it was down never learns it is out: it times out and campaigns again and
/// again. The feed shows its latest attempt and one line for the earlier ones, not five lines a timeout.
/// </summary>
public class CampaignFoldingTests : ClusterComponentTest
{
    private NodeId RemovedWhileDown()
    {
        StartCluster(nodes: 5, seed: 1);
        RunFor(1000);
        var leader = Pump.Read(c => c.Leader)!.Value;
        var victim = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Assert.True(Live.Act(new ClusterCommand.Crash(victim)).Ok);
        Drive(c => c.RunUntil(x => x.RemoveServer(victim).Ok, TimeSpan.FromSeconds(5)));
        RunFor(500);
        Assert.True(Live.Act(new ClusterCommand.Restart(victim)).Ok);
        RunFor(3000);
        return victim;
    }

    private static string[] Texts(IRenderedComponent<EventFeed> feed) =>
        feed.FindAll("[data-testid=feed-lines] li.line .text").Select(l => l.TextContent).ToArray();

    [Fact]
    public void A_removed_server_that_keeps_campaigning_is_one_summary_line_and_its_latest_attempt()
    {
        var victim = RemovedWhileDown();
        var events = Live.RecentEvents;
        var attempts = events.Count(e => e is RoleChanged { Role: NodeRole.Candidate } r && r.Node == victim);
        Assert.True(attempts >= 5, $"{victim} campaigned only {attempts} times: nothing to fold");

        var feed = Render<EventFeed>(p => p.Add(f => f.Events, events).Add(f => f.NodeCount, 5));
        var texts = Texts(feed);

        var sinceRestart = texts.TakeWhile(t => !t.StartsWith($"{victim} restarted", StringComparison.Ordinal)).ToArray(); // newest first
        Assert.True(sinceRestart.Length < texts.Length, "the restart is not in the feed");
        var starts = sinceRestart.Count(t => t.StartsWith($"{victim} timed out and starts an election", StringComparison.Ordinal));
        Assert.True(starts == 1, string.Join("\n", sinceRestart)); // the latest attempt, in full
        var summary = Assert.Single(texts, t => t.Contains("more elections before this one", StringComparison.Ordinal));
        Assert.StartsWith($"{victim} timed out and started {attempts - 2} more elections", summary); // not the first election, which it lost before its removal
        Assert.Contains("won none", summary);
        Assert.True(sinceRestart.Count(t => t.Contains($"rejects {victim}'s vote request", StringComparison.Ordinal)) <= 4, "only the latest attempt's refusals are shown");
        Assert.True(sinceRestart.Length <= 8, string.Join("\n", sinceRestart));
        // The rest of the story is still told (the removal itself).
        Assert.Contains(texts, t => t.Contains("now follows config", StringComparison.Ordinal));

        // Picking the server shows every attempt.
        feed.Find($"[data-testid=feed-node-{victim.Value}]").Click();
        Assert.True(Texts(feed).Count(t => t.StartsWith($"{victim} timed out and starts an election", StringComparison.Ordinal)) >= Math.Min(attempts, 5));
        Assert.DoesNotContain(Texts(feed), t => t.Contains("more elections before this one", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ordinary_election_and_a_split_vote_are_not_folded()
    {
        StartCluster(nodes: 5, seed: 1);
        RunFor(1000);
        var leader = Pump.Read(c => c.Leader)!.Value;
        Assert.True(Live.Act(new ClusterCommand.Crash(leader)).Ok);
        RunFor(2000);
        var (hidden, folds) = CampaignFolding.Plan(Live.RecentEvents);
        Assert.Empty(folds);
        Assert.Empty(hidden);
    }
}
