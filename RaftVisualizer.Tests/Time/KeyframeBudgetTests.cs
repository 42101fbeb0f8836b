using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Tests.Core;

namespace RaftVisualizer.Tests.Time;

/// <summary>
/// The timeline's keyframes keep to a byte budget (an estimate, <see cref="KeyframeSize"/>) rather than only a
/// count: under heavy client load with compaction (old keyframes then hold entries and values the head has
/// dropped) the estimated total stays under it, and a seek still gives exactly what a fresh replay gives.
/// </summary>
public sealed class KeyframeBudgetTests
{
    private const long Budget = 2L * 1024 * 1024;
    private static readonly ClusterOptions Loaded = new() { NodeCount = 5, Seed = 7, SnapshotThreshold = 50, MaxRecordedEvents = 8192 };

    /// <summary>Ten writes of 200 characters always in flight over 50 keys, for <paramref name="steps"/> steps; <paramref name="afterKeyframe"/> is told the total right after each keyframe is taken.</summary>
    private static Timeline Heavy(long budget, long steps, Action<Timeline>? afterKeyframe = null)
    {
        var timeline = new Timeline(Loaded, new TimelineOptions { KeyframeEvery = 500, MaxKeyframes = 64, MaxKeyframeBytes = budget });
        var value = new string('v', 196);
        var i = 0;
        var newest = 0L;
        while (timeline.HeadStep < steps)
        {
            if (timeline.Head.History.Count - timeline.Head.History.Count(o => o.IsCompleted) < 10)
                timeline.Execute(new ClusterCommand.Submit(KvCommand.Put($"k{i % 50}", $"{value}{i++ % 1000:000}")));
            timeline.Step();
            if (afterKeyframe is not null && timeline.HeadStep % 50 == 0 && timeline.KeyframeSteps[^1] != newest)
            {
                newest = timeline.KeyframeSteps[^1];
                afterKeyframe(timeline);
            }
        }
        return timeline;
    }

    [Fact]
    public void Without_a_byte_budget_the_same_load_would_keep_many_times_more()
    {
        var unbounded = Heavy(long.MaxValue, 30_000);

        Assert.True(unbounded.KeyframeBytes > 4 * Budget, $"{unbounded.KeyframeBytes:N0} bytes in {unbounded.KeyframeSteps.Count} keyframes");
    }

    [Fact]
    public void Under_heavy_load_the_estimated_keyframe_bytes_stay_under_budget_and_seeks_equal_a_fresh_replay()
    {
        var checks = 0;
        var timeline = Heavy(Budget, 30_000, t =>
        {
            checks++;
            Assert.True(t.KeyframeBytes <= Budget, $"{t.KeyframeBytes:N0} bytes in {t.KeyframeSteps.Count} keyframes at step {t.HeadStep}");
        });

        Assert.True(checks > 10, $"only {checks} keyframes were taken");
        Assert.True(timeline.KeyframeEvery > 500, "the budget never thinned the keyframes");
        Assert.InRange(timeline.KeyframeSteps.Count, 2, 64);
        Assert.True(timeline.Head.Nodes.All(n => n.SnapshotIndex > 0), "no server compacted, so no keyframe held what the head dropped");
        var r = new SimRandom(7);
        var targets = Enumerable.Range(0, 6).Select(_ => r.NextInt64(0, timeline.HeadStep + 1))
            .Concat(timeline.KeyframeSteps.SelectMany(k => new[] { k - 1, k + 1 }))
            .Select(s => Math.Clamp(s, 0, timeline.HeadStep)).Distinct();
        foreach (var step in targets)
        {
            var fresh = Cluster.Replay(new Scenario(Loaded, timeline.Commands.Where(c => c.Step <= step).ToArray()));
            while (fresh.Steps < step && fresh.Step()) { }
            Assert.Equal(Frames.Canonical(fresh.Frame()), Frames.Canonical(timeline.SeekStep(step)));
        }
    }

    [Fact]
    public void A_keyframe_is_charged_for_the_entries_only_it_still_holds_once_the_head_compacted_them_away()
    {
        var timeline = new Timeline(Loaded, new TimelineOptions { KeyframeEvery = 1_000_000 });
        for (var i = 0; i < 40; i++)
        {
            timeline.Execute(new ClusterCommand.Submit(KvCommand.Put($"k{i}", new string('x', 500))));
            timeline.Advance(TimeSpan.FromMilliseconds(30));
        }
        timeline.Advance(TimeSpan.FromSeconds(1));
        var middle = timeline.Head.Clone(0); // holds 40 entries of 500 characters, which the head still shares
        var shared = KeyframeSize.Estimate(middle, timeline.Head);
        for (var i = 0; i < 80; i++)
        {
            timeline.Execute(new ClusterCommand.Submit(KvCommand.Put($"k{i % 40}", "y")));
            timeline.Advance(TimeSpan.FromMilliseconds(30));
        }
        timeline.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeline.Head.Nodes.All(n => n.SnapshotIndex > middle.Nodes[0].LastLogIndex), "the head compacted past the middle keyframe");

        var dropped = KeyframeSize.Estimate(middle, timeline.Head);

        Assert.True(dropped - shared >= 5 * 40 * 1000, $"{shared:N0} → {dropped:N0}"); // five servers × 40 entries × 500 characters of 2 bytes, now the keyframe's alone
    }
}
