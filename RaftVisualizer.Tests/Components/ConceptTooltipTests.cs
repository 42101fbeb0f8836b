using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// Every Raft word a student meets on the page explains itself on hover: term, votedFor, commit
/// index, last applied, nextIndex, matchIndex, learner and heartbeat, with the one sentence of
/// <see cref="Concepts"/> wherever the word is shown.
/// </summary>
public class ConceptTooltipTests : ClusterComponentTest
{
    private NodeId LeaderWithALearner()
    {
        StartCluster(nodes: 3, seed: 1);
        RunFor(1000);
        var leader = Pump.Read(c => c.Leader) ?? throw new InvalidOperationException("no leader");
        Assert.True(Live.Act(new ClusterCommand.AddServer()).Ok);
        RunFor(5);
        Assert.Contains(new NodeId(4), Pump.Latest.Configuration.Learners);
        return leader;
    }


    [Fact]
    public void The_details_panel_explains_each_field_the_leader_shows()
    {
        var leader = LeaderWithALearner();
        var panel = Render<NodePanel>(p => p.Add(v => v.Snapshot, Pump.Latest).Add(v => v.NodeId, leader));
        string TitleOf(string label) =>
            panel.FindAll("dt, th").Single(e => e.TextContent.Trim() == label).GetAttribute("title") ?? "";

        Assert.Equal(Concepts.Term, TitleOf("currentTerm"));
        Assert.Equal(Concepts.VotedFor, TitleOf("votedFor"));
        Assert.Equal(Concepts.CommitIndex, TitleOf("commitIndex"));
        Assert.Equal(Concepts.LastApplied, TitleOf("lastApplied"));
        Assert.Equal(Concepts.NextIndex, TitleOf("nextIndex"));
        Assert.Equal(Concepts.MatchIndex, TitleOf("matchIndex"));

        var learner = Render<NodePanel>(p => p.Add(v => v.Snapshot, Pump.Latest).Add(v => v.NodeId, new NodeId(4)));
        Assert.Equal(Concepts.Learner, learner.Find("[data-testid=node-panel-membership]").GetAttribute("title"));
    }

    [Fact]
    public void The_log_view_explains_commit_next_and_match_in_its_legend_and_on_each_marker()
    {
        LeaderWithALearner();
        var log = Render<LogView>(p => p.Add(v => v.Snapshot, Pump.Latest));

        Assert.Equal(Concepts.CommitIndex, log.Find(".log-legend .marker-sample.commit").GetAttribute("title"));
        Assert.Equal(Concepts.NextIndex, log.Find(".log-legend .marker-sample.next").GetAttribute("title"));
        Assert.Equal(Concepts.MatchIndex, log.Find(".log-legend .marker-sample.match").GetAttribute("title"));
        var commits = log.FindAll(".log-row .marker.commit");
        Assert.NotEmpty(commits);
        Assert.All(commits, m => Assert.EndsWith(Concepts.CommitIndex, m.GetAttribute("title")));
        Assert.All(log.FindAll(".log-row .marker.next, .log-row .marker.match"), m => Assert.False(string.IsNullOrEmpty(m.GetAttribute("title"))));
    }

    [Fact]
    public void The_drawing_explains_term_learner_heartbeat_and_last_applied()
    {
        LeaderWithALearner();
        var canvas = Render<ClusterCanvas>(p => p.Add(c => c.Live, Live));

        Assert.All(canvas.FindAll("g.term-group > title"), t => Assert.Equal(Concepts.Term, t.TextContent));
        Assert.Equal(Concepts.Learner, canvas.Find("g[data-testid=node-4] .learner-badge > title").TextContent);
        Assert.Contains(canvas.FindAll("title"), t => t.TextContent == Concepts.Heartbeat); // the legend's heartbeat
        var applied = canvas.FindAll(".kv-head span");
        Assert.Equal(4, applied.Count);
        Assert.All(applied, a => Assert.Equal(Concepts.LastApplied, a.GetAttribute("title")));
        // Each server's own tooltip says its term, vote, commit index and last applied in words.
        var s1 = canvas.Find("g[data-testid=node-1] > title").TextContent;
        Assert.Contains("in term", s1);
        Assert.Contains("voted for", s1);
        Assert.Contains("commit index", s1);
        Assert.Contains("last applied", s1);
    }
}
