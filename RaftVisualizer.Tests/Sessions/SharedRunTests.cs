using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Sessions;

/// <summary>Files and links that carry a run: they round-trip exactly, and anything wrong gets a sentence instead of a crash.</summary>
public class SharedRunTests
{
    private static SharedRun Recorded()
    {
        var timeline = new Timeline(new ClusterOptions { NodeCount = 5, Seed = 8 });
        timeline.Advance(TimeSpan.FromSeconds(1));
        var leader = timeline.Head.Leader!.Value;
        Assert.True(timeline.Execute(new ClusterCommand.Crash(leader)).Ok);
        Assert.True(timeline.Execute(new ClusterCommand.Submit(KvCommand.Put("x", "1"))).Ok);
        timeline.Advance(TimeSpan.FromSeconds(1.5));
        return new SharedRun(timeline.Scenario, timeline.HeadTime);
    }

    private static string Fingerprint(ClusterFrame s) =>
        $"{s.Now} {s.Steps} {s.Leader} " + string.Join(" ", s.Nodes.Select(n => $"{n.Id}:{n.Role}:{n.Term}:{n.IsUp}:{n.Log.Count}:{n.CommitIndex}"));

    [Fact]
    public void A_file_and_a_link_replay_to_exactly_the_same_moment_with_its_markers()
    {
        var run = Recorded();
        var original = Cluster.Replay(run.Scenario, run.Until).Frame();

        var fromFile = SharedRun.FromJson(run.ToJson(), out var fileProblem);
        Assert.Null(fileProblem);
        var link = run.ToLinkParameter(out var linkProblem);
        Assert.Null(linkProblem);
        Assert.DoesNotContain('+', link!);
        var fromLink = SharedRun.FromLinkParameter(link!, out var openProblem);
        Assert.Null(openProblem);

        foreach (var copy in new[] { fromFile!, fromLink! })
        {
            Assert.Equal(run, copy);
            var (timeline, markers, events) = copy.Replay();
            Assert.Contains(events, e => e.Event is NodeCrashed);
            Assert.Equal(Fingerprint(original), Fingerprint(timeline.Head.Frame()));
            Assert.Contains(markers, m => m.Kind == MarkerKind.Crash);
            Assert.Contains(markers, m => m.Kind == MarkerKind.LeaderElected);
        }
    }

    [Fact]
    public void A_file_and_a_link_carry_the_protocol_every_switch_and_number_of_it()
    {
        var options = new ClusterOptions
        {
            NodeCount = 5, Seed = 12, PreVote = true, CheckQuorum = true, LeaderStickiness = true, ReadMode = ReadMode.Lease,
            ClockDrift = 0.07, MaxEntriesPerAppend = 3, SnapshotThreshold = 40,
            Broken = BrokenRules.ReadsFromAnyNode | BrokenRules.LeaseWithoutDriftBound | BrokenRules.CommitPreviousTermByCounting,
        };
        var timeline = new Timeline(options);
        timeline.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeline.Execute(new ClusterCommand.Submit(KvCommand.Get("x"), new NodeId(2), null)).Ok);
        var run = new SharedRun(timeline.Scenario, timeline.HeadTime);

        var fromFile = SharedRun.FromJson(run.ToJson(), out var fileProblem);
        var fromLink = SharedRun.FromLinkParameter(run.ToLinkParameter(out _)!, out var linkProblem);

        Assert.Null(fileProblem);
        Assert.Null(linkProblem);
        Assert.Equal(options, fromFile!.Scenario.Options);
        Assert.Equal(options, fromLink!.Scenario.Options);
        Assert.Equal(run.Scenario.Commands, fromLink.Scenario.Commands); // the read's server too
        Assert.Equal(ClusterPump.Kept(options), fromLink.Replay().Timeline.Options); // a page's cluster keeps a shorter event record
    }

    [Theory]
    [InlineData("not json at all", "not a RaftVisualizer run")]
    [InlineData("{\"name\": \"my shopping list\"}", "not a RaftVisualizer run")]
    [InlineData("{\"version\": 99, \"options\": {}, \"commands\": []}", "version 99")]
    [InlineData("{\"version\": 2, \"options\": {\"nodeCount\": 5, \"maxRecordedEvents\": 2000000000}, \"commands\": []}", "keeps 2000000000 events")]
    [InlineData("{\"version\": 2, \"options\": {\"nodeCount\": 5}, \"commands\": [], \"runUntil\": \"99:00:00\"}", "at most 60")]
    [InlineData("{\"version\": 2, \"options\": {\"nodeCount\": 5}, \"commands\": [], \"runUntil\": \"soon\"}", "runUntil")]
    public void A_foreign_or_unreasonable_file_is_refused_with_a_sentence(string json, string expected)
    {
        Assert.Null(SharedRun.FromJson(json, out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void A_file_whose_commands_do_not_fit_the_simulation_is_refused_when_replayed()
    {
        var json = "{\"version\": 2, \"options\": {\"nodeCount\": 5, \"seed\": 3}, \"commands\": [" +
                   "{\"step\": 100000, \"at\": \"00:00:00.0010000\", \"command\": {\"type\": \"crash\", \"node\": 1}}]}";
        var run = SharedRun.FromJson(json, out var problem);
        Assert.Null(problem);
        Assert.Null(run!.TryReplay(out problem));
        Assert.Contains("does not fit this simulation", problem);

        var nine = "{\"version\": 2, \"options\": {\"nodeCount\": 12}, \"commands\": []}";
        Assert.Null(SharedRun.FromJson(nine, out _)!.TryReplay(out problem));
        Assert.Contains("1 to 9 nodes", problem);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("G6kA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA")]
    public void A_damaged_link_is_refused_with_a_sentence(string parameter)
    {
        Assert.Null(SharedRun.FromLinkParameter(parameter, out var problem));
        Assert.Contains("nothing was changed", problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_too_long_link_is_refused_before_anything_is_decoded()
    {
        Assert.Null(SharedRun.FromLinkParameter(new string('A', SharedRun.MaxLinkChars + 1), out var problem));
        Assert.Contains("too long", problem);
    }
}
