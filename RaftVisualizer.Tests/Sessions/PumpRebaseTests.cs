using RaftVisualizer.Core;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Sessions;

/// <summary>A pump over a timeline that bounds its commands shows the range it can still scrub: its start moves on with the rebases.</summary>
public sealed class PumpRebaseTests
{
    [Fact]
    public void The_scrub_range_starts_where_the_rebased_timeline_starts_and_a_seek_before_it_lands_there()
    {
        var time = new ManualTime();
        var timeline = new Timeline(new ClusterOptions { NodeCount = 3, Seed = 4, SnapshotThreshold = 50 },
            new TimelineOptions { KeyframeEvery = 300, MaxKeyframes = 4, MaxCommands = 100 });
        using var pump = new ClusterPump(timeline, speed: 1, time);
        for (var i = 0; i < 1_000; i++)
        {
            pump.Submit(KvCommand.Put($"k{i % 7}", $"{i}"));
            time.Advance(TimeSpan.FromMilliseconds(5));
            pump.Tick();
        }
        time.Advance(TimeSpan.FromSeconds(1));
        pump.Tick();

        Assert.True(pump.StartStep > 0, "the timeline never rebased");
        Assert.Equal(pump.ReadTimeline(t => (t.StartStep, t.StartTime)), (pump.StartStep, pump.StartTime));
        Assert.Equal(pump.StartStep, pump.SeekStep(0).Steps);
        Assert.NotNull(pump.ReadTimeline(t => t.ExportProblem));
    }
}
