using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.SpaceTime;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Tests.Core;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.SpaceTime;

/// <summary>Where a window's events come from: the head's record when it reaches back, else a re-simulation from a keyframe; both give the same diagram.</summary>
public class SpaceTimeSliceTests
{
    private static readonly TimelineOptions SmallKeyframes = new() { KeyframeEvery = 400, MaxKeyframes = 8 };

    /// <summary>A timeline run with random faults and writes, recording every event on the head.</summary>
    private static Timeline Recorded(ulong seed, long steps)
    {
        var r = new SimRandom(seed * 7919);
        var options = new ClusterOptions { NodeCount = 3 + (int)(seed % 3), Seed = seed, LossRate = 0.05, DuplicateRate = seed % 2 == 0 ? 0.1 : 0 };
        var timeline = new Timeline(options, SmallKeyframes);
        foreach (var p in RandomPlan.Make(r, options.NodeCount, 12, steps))
        {
            while (timeline.HeadStep < p.Step && timeline.Step()) { }
            if (p.Command is { } command) timeline.Execute(command);
            else timeline.Advance(p.Idle);
        }
        while (timeline.HeadStep < steps && timeline.Step()) { }
        return timeline;
    }

    private static string Describe(SpaceTimeWindow w) => string.Join("\n",
        w.Lanes.Select(l => $"lane {l}")
            .Concat(w.Arrows.Select(a => $"{a.MessageId} {a.Kind} {a.From}->{a.To} {a.SentAt.Ticks}-{a.EndsAt.Ticks} {a.Fate} {a.Copy} {a.ReplyTo}"))
            .Concat(w.Marks.Select(m => $"{m.Node} {m.At.Ticks} {m.Kind} {m.Term} {m.Text}"))
            .Concat(w.Spans.Select(s => s.ToString()))
            .Concat(w.Partitions.Select(p => $"{p.From}-{p.To} {string.Join("|", p.Groups.Select(g => string.Join(",", g)))}")));

    [Fact]
    public void A_replayed_window_has_exactly_the_events_the_head_raised_and_leaves_the_head_alone()
    {
        ForSeeds(6, seed =>
        {
            var timeline = Recorded(seed, 6000);
            var (headStep, headEvents) = (timeline.HeadStep, timeline.Head.Events.Count);
            var from = timeline.HeadTime * 0.6;
            var to = from + TimeSpan.FromSeconds(1);
            var lookback = TimeSpan.FromMilliseconds(500);
            var window = timeline.ReplayWindow(from, to, lookback);

            var expected = timeline.Head.Events.Where(e => e.Time >= from - lookback && e.Time <= to).Select(e => e.ToString());
            Assert.Equal(expected, window.Events.Select(e => e.ToString()));
            Assert.True(window.Start.Now <= from);
            var frame = timeline.FrameAtTime(from);
            Assert.Equal(frame.Nodes.Select(n => (n.Id, n.IsUp, n.Term, n.Role)), window.Start.Nodes.Select(n => (n.Id, n.IsUp, n.Term, n.Role)));
            Assert.Equal((headStep, headEvents, (long?)null), (timeline.HeadStep, timeline.Head.Events.Count, timeline.Cursor));
        });
    }

    [Fact]
    public void A_window_from_the_record_and_a_known_start_is_the_window_a_re_simulation_draws()
    {
        ForSeeds(6, seed =>
        {
            var timeline = Recorded(seed, 8000);
            var t0 = timeline.HeadTime * 0.3;
            var first = SpaceTimeSlice.Of(timeline, t0, t0 + TimeSpan.FromSeconds(1));
            Assert.True(first.Resimulated);

            // A later window, sliding on from the first one's start, as the diagram does while the run goes on.
            var from = timeline.HeadTime * 0.7;
            var to = from + TimeSpan.FromSeconds(2);
            var fromRecord = SpaceTimeSlice.Of(timeline, from, to, known: first.Start);
            Assert.False(fromRecord.Resimulated);
            var replayed = SpaceTimeSlice.Of(timeline, from, to);
            Assert.True(replayed.Resimulated);

            Assert.Equal(replayed.Start.Down.Order(), fromRecord.Start.Down.Order());
            Assert.Equal(replayed.Start.Groups.Count > 1, fromRecord.Start.Groups.Count > 1);
            Assert.Equal(Describe(replayed.Build()), Describe(fromRecord.Build()));
            Assert.Equal(Describe(replayed.Build(new SpaceTimeFilter(HideHeartbeats: true))), Describe(fromRecord.Build(new SpaceTimeFilter(HideHeartbeats: true))));
        });
    }

    [Fact]
    public void A_window_is_clamped_to_the_run_and_to_the_longest_span()
    {
        var timeline = new Timeline(new ClusterOptions { NodeCount = 3, Seed = 3 });
        timeline.Advance(TimeSpan.FromSeconds(40));
        var slice = SpaceTimeSlice.Of(timeline, TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(90));
        Assert.Equal(timeline.HeadTime, slice.To);
        Assert.Equal(timeline.HeadTime - SpaceTimeSlice.MaxSpan, slice.From);
        Assert.NotEmpty(slice.Build().Arrows);
    }
}
