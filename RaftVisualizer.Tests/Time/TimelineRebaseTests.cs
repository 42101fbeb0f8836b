using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Tests.Core;

namespace RaftVisualizer.Tests.Time;

/// <summary>
/// A timeline that bounds its recorded commands (the curl API's shared cluster) rebases itself on a later
/// keyframe as writes pile up: the commands it holds stay bounded however many are written, the cluster
/// still answers, every moment it still keeps seeks to exactly what a fresh replay of the whole run gives,
/// and what it forgot says so instead of exporting a scenario that would replay a different run.
/// </summary>
public sealed class TimelineRebaseTests
{
    private const int Kept = 300;
    private static readonly ClusterOptions Options = new() { NodeCount = 5, Seed = 11, SnapshotThreshold = 50, MaxHistory = 500, MaxRecordedEvents = 8192 };

    /// <summary>The same writes into a timeline that keeps <paramref name="maxCommands"/> commands (0: all).</summary>
    private static Timeline Written(int writes, int maxCommands, Action<Timeline>? during = null)
    {
        var timeline = new Timeline(Options, new TimelineOptions { KeyframeEvery = 400, MaxKeyframes = 4, MaxCommands = maxCommands });
        var r = new SimRandom(3);
        for (var i = 0; i < writes; i++)
        {
            timeline.Execute(new ClusterCommand.Submit(KvCommand.Put($"k{r.Next(40)}", $"v{i}")));
            timeline.Advance(TimeSpan.FromMilliseconds(1 + r.Next(7)));
            during?.Invoke(timeline);
        }
        return timeline;
    }

    [Fact]
    public void After_many_writes_the_recorded_commands_stay_bounded_and_the_cluster_still_answers()
    {
        var most = 0;
        var timeline = Written(4_000, Kept, t => most = Math.Max(most, t.Commands.Count));

        Assert.True(most <= 3 * Kept, $"{most} commands held at once");
        Assert.True(timeline.Head.CommandsForgotten >= 4_000 - 3 * Kept, $"{timeline.Head.CommandsForgotten} forgotten");
        Assert.True(timeline.StartStep > 0);
        Assert.InRange(timeline.KeyframeSteps.Count, 1, 4);
        var op = timeline.Submit(new ClusterCommand.Submit(KvCommand.Put("after", "many")));
        var deadline = timeline.HeadTime + TimeSpan.FromSeconds(3);
        while (!op.IsCompleted && timeline.HeadTime < deadline) timeline.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(KvStatus.Ok, op.Result?.Status);
        Assert.All(timeline.Head.Nodes, n => Assert.True(n.Log.Count <= 2 * 50 + 100, $"{n.Id} holds {n.Log.Count} entries"));
    }

    [Fact]
    public void Seeks_within_the_kept_window_equal_a_fresh_replay_of_the_whole_run_and_earlier_ones_stop_at_its_start()
    {
        var bounded = Written(2_500, Kept);
        var whole = Written(2_500, 0);
        Assert.Equal(0, whole.Head.CommandsForgotten);
        Assert.True(bounded.Head.CommandsForgotten > 0);
        Assert.Equal(whole.Commands.Skip((int)bounded.Head.CommandsForgotten), bounded.Commands); // the newest commands, as recorded
        Assert.Equal(Frames.Canonical(whole.Head.Frame()), Frames.Canonical(bounded.Head.Frame()));

        var r = new SimRandom(5);
        var targets = Enumerable.Range(0, 8).Select(_ => r.NextInt64(bounded.StartStep, bounded.HeadStep + 1))
            .Concat(bounded.KeyframeSteps.SelectMany(k => new[] { k, k + 1 }))
            .Concat([bounded.StartStep, bounded.HeadStep]).Select(s => Math.Min(s, bounded.HeadStep)).Distinct();
        foreach (var step in targets)
        {
            var fresh = Cluster.Replay(new Scenario(Options, whole.Commands.Where(c => c.Step <= step).ToArray()));
            while (fresh.Steps < step && fresh.Step()) { }
            Assert.Equal(Frames.Canonical(fresh.Frame()), Frames.Canonical(bounded.SeekStep(step)));
        }
        Assert.Equal(bounded.StartStep, bounded.SeekStep(bounded.StartStep / 2).Steps); // before the kept window: its first moment
        Assert.Equal(bounded.StartTime, bounded.SeekTime(TimeSpan.Zero).Now);
    }

    [Fact]
    public void A_rebased_run_says_it_cannot_be_exported_and_a_whole_one_can_be()
    {
        var bounded = Written(1_500, Kept);
        var whole = Written(200, Kept);

        Assert.Null(whole.ExportProblem);
        Assert.StartsWith($"This run is too long to save: its first {bounded.Head.CommandsForgotten:N0} actions were dropped", bounded.ExportProblem);
        Assert.Contains($"It can be scrubbed back to {bounded.StartTime.TotalSeconds:0.#} s", bounded.ExportProblem);
    }
}
