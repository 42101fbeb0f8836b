using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Simulation;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Tests.Core;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Time;

public class TimelineTests
{
    private static readonly TimelineOptions SmallKeyframes = new() { KeyframeEvery = 300, MaxKeyframes = 6 };

    private static ClusterOptions OptionsFor(ulong seed) => new()
    {
        NodeCount = 3 + (int)(seed % 3), Seed = seed, PreVote = seed % 4 == 0, LossRate = seed % 3 == 0 ? 0.05 : 0,
    };

    /// <summary>A timeline whose head ran <paramref name="steps"/> steps with random commands, some while idle time passed.</summary>
    private static Timeline Recorded(ulong seed, long steps, TimelineOptions? options = null)
    {
        var r = new SimRandom(seed * 31337);
        var cluster = OptionsFor(seed);
        var timeline = new Timeline(cluster, options ?? SmallKeyframes);
        foreach (var p in RandomPlan.Make(r, cluster.NodeCount, 25, steps))
        {
            while (timeline.HeadStep < p.Step && timeline.Step()) { }
            if (p.Command is { } command) timeline.Execute(command);
            else timeline.Advance(p.Idle);
        }
        while (timeline.HeadStep < steps && timeline.Step()) { }
        return timeline;
    }

    /// <summary>A fresh cluster that replays the commands up to step <paramref name="step"/> and stops right after it.</summary>
    private static ClusterFrame FreshAtStep(ClusterOptions options, IEnumerable<TimedCommand> commands, long step)
    {
        var fresh = Cluster.Replay(new Scenario(options, commands.Where(c => c.Step <= step).ToArray()));
        while (fresh.Steps < step && fresh.Step()) { }
        return fresh.Frame();
    }

    private static ClusterFrame FreshAtTime(ClusterOptions options, IEnumerable<TimedCommand> commands, TimeSpan time) =>
        Cluster.Replay(new Scenario(options, commands.Where(c => c.At <= time).ToArray()), time).Frame();

    [Fact]
    public void Seeking_to_a_step_gives_the_frame_a_fresh_replay_gives_forwards_backwards_and_across_keyframes()
    {
        ForSeeds(40, seed =>
        {
            var timeline = Recorded(seed, 4_000);
            Assert.True(timeline.KeyframeEvery > SmallKeyframes.KeyframeEvery, "old keyframes were never thinned");
            Assert.InRange(timeline.KeyframeSteps.Count, 2, SmallKeyframes.MaxKeyframes);
            var r = new SimRandom(seed);
            var targets = Enumerable.Range(0, 12).Select(_ => r.NextInt64(0, timeline.HeadStep + 1))
                .Concat(timeline.KeyframeSteps.SelectMany(k => new[] { k - 1, k, k + 1 }))
                .Concat([0, timeline.HeadStep]);
            foreach (var step in targets)
            {
                var target = Math.Clamp(step, 0, timeline.HeadStep);
                var frame = timeline.SeekStep(target);
                Assert.Equal(target, frame.Steps);
                Assert.Equal(target, timeline.Cursor);
                Assert.Equal(Frames.Canonical(FreshAtStep(timeline.Options, timeline.Commands, target)), Frames.Canonical(frame));
                // one step either way, through the timeline's own stepping
                if (target > 0)
                {
                    Assert.Equal(Frames.Canonical(FreshAtStep(timeline.Options, timeline.Commands, target - 1)), Frames.Canonical(timeline.StepBack()));
                    Assert.Equal(Frames.Canonical(frame), Frames.Canonical(timeline.StepForward()));
                }
                if (target + 2 < timeline.HeadStep)
                    Assert.Equal(Frames.Canonical(FreshAtStep(timeline.Options, timeline.Commands, target + 1)), Frames.Canonical(timeline.StepForward()));
            }
        });
    }

    [Fact]
    public void Seeking_to_a_time_gives_the_frame_a_fresh_replay_to_that_time_gives()
    {
        ForSeeds(30, seed =>
        {
            var timeline = Recorded(seed + 1000, 3_000);
            var r = new SimRandom(seed);
            var times = Enumerable.Range(0, 10).Select(_ => TimeSpan.FromTicks(r.NextInt64(0, timeline.HeadTime.Ticks + 1)))
                .Concat(timeline.Commands.Take(5).Select(c => c.At)).Concat([TimeSpan.Zero, timeline.HeadTime]);
            foreach (var time in times)
            {
                var frame = timeline.SeekTime(time);
                Assert.Equal(time, frame.Now);
                Assert.Equal(Frames.Canonical(FreshAtTime(timeline.Options, timeline.Commands, time)), Frames.Canonical(frame));
            }
        });
    }

    [Fact]
    public void Live_follows_the_head_and_the_head_advances_while_the_cursor_stays()
    {
        var timeline = new Timeline(new ClusterOptions { NodeCount = 5, Seed = 8 });
        timeline.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeline.IsLive);
        var frame = timeline.SeekStep(timeline.HeadStep / 2);
        timeline.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(frame, timeline.Frame);
        Assert.Equal(TimeSpan.FromSeconds(2), timeline.HeadTime);
        Assert.Equal(Frames.Canonical(timeline.Head.Frame()), Frames.Canonical(timeline.Live()));
        Assert.Null(timeline.Cursor);
    }

    [Fact]
    public void Acting_in_the_past_forks_and_the_old_branch_comes_back_exactly()
    {
        ForSeeds(20, seed =>
        {
            var timeline = Recorded(seed + 2000, 3_000);
            var options = timeline.Options;
            var oldCommands = timeline.Commands.ToArray();
            var oldHead = Frames.Canonical(timeline.Head.Frame());
            var oldHeadStep = timeline.HeadStep;
            var forkAt = new SimRandom(seed).NextInt64(1, oldHeadStep);
            timeline.SeekStep(forkAt);

            ClusterCommand crash = timeline.Frame.Nodes.FirstOrDefault(n => n.IsUp) is { } up
                ? new ClusterCommand.Crash(up.Id) : new ClusterCommand.Restart(1);
            var result = timeline.Execute(crash);
            Assert.True(result.Ok, result.Message);
            Assert.True(timeline.IsLive);
            var branch = Assert.Single(timeline.Branches);
            Assert.Equal(forkAt, branch.ForkedAtStep);
            Assert.Equal(oldCommands, branch.Commands);
            var kept = oldCommands.Where(c => c.Step <= forkAt).ToArray();
            Assert.Equal([.. kept, new TimedCommand(forkAt, timeline.HeadTime, crash)], timeline.Commands);
            Assert.Equal(Frames.Canonical(FreshAtStep(options, timeline.Commands, forkAt)), Frames.Canonical(timeline.Head.Frame()));

            // the new branch runs on, seeks within itself, and is kept when the old one is restored
            timeline.Advance(TimeSpan.FromMilliseconds(500));
            var forkStep = timeline.HeadStep;
            var forkCommands = timeline.Commands.ToArray();
            var mid = (forkAt + forkStep) / 2;
            Assert.Equal(Frames.Canonical(FreshAtStep(options, forkCommands, mid)), Frames.Canonical(timeline.SeekStep(mid)));
            timeline.SwitchTo(branch);
            Assert.Equal(oldHead, Frames.Canonical(timeline.Head.Frame()));
            Assert.Equal(oldHeadStep, timeline.HeadStep);
            Assert.Equal(oldCommands, timeline.Commands);
            var back = new SimRandom(seed + 1).NextInt64(0, oldHeadStep);
            Assert.Equal(Frames.Canonical(FreshAtStep(options, oldCommands, back)), Frames.Canonical(timeline.SeekStep(back)));
            var other = Assert.Single(timeline.Branches);
            Assert.Equal(forkCommands, other.Commands);

            // the restored branch goes on exactly as a run that never forked
            timeline.Live();
            var reference = Cluster.Replay(new Scenario(options, oldCommands));
            while (reference.Steps < oldHeadStep && reference.Step()) { }
            reference.RunTo(timeline.HeadTime);
            timeline.Advance(TimeSpan.FromMilliseconds(700));
            reference.RunFor(TimeSpan.FromMilliseconds(700));
            Assert.Equal(Frames.Canonical(reference.Frame()), Frames.Canonical(timeline.Head.Frame()));
        });
    }

    [Fact]
    public void A_refused_command_in_the_past_does_not_fork()
    {
        var timeline = new Timeline(new ClusterOptions { NodeCount = 3, Seed = 5 });
        timeline.Advance(TimeSpan.FromSeconds(1));
        timeline.SeekStep(10);
        Assert.False(timeline.Execute(new ClusterCommand.Restart(1)).Ok); // S1 is up
        Assert.Empty(timeline.Branches);
        Assert.Equal(10, timeline.Cursor);
    }

    [Fact]
    public void A_replayed_timeline_matches_the_recording_at_every_sought_step()
    {
        var recorded = Recorded(seed: 17, steps: 3000);
        var replayed = Timeline.Replay(recorded.Scenario, recorded.HeadTime, SmallKeyframes);
        Assert.Equal(Frames.Canonical(recorded.Head.Frame()), Frames.Canonical(replayed.Head.Frame()));
        foreach (var step in new long[] { 0, 299, 1500, 2999 })
            Assert.Equal(Frames.Canonical(recorded.FrameAtStep(step)), Frames.Canonical(replayed.SeekStep(step)));
        Assert.True(replayed.KeyframeSteps.Count > 1, "the replay took keyframes on the way");
        Assert.True(recorded.IsLive); // FrameAtStep never moves the cursor
    }

    [Fact]
    public void A_timeline_started_from_a_clone_cannot_seek_before_it_but_keeps_the_whole_scenario()
    {
        var recorded = Recorded(seed: 21, steps: 2000);
        var fork = Timeline.StartingFrom(recorded.Head.Clone(keepEvents: 0));
        Assert.Equal(recorded.HeadStep, fork.StartStep);
        Assert.Equal(recorded.HeadStep, fork.SeekStep(0).Steps);
        Assert.Equal(recorded.Scenario, fork.Scenario);
        fork.Live();
        fork.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(recorded.HeadStep, recorded.Head.Steps); // the original did not move
    }

    [Fact]
    public void An_action_over_the_cluster_in_the_past_forks_like_a_command()
    {
        var timeline = new Timeline(new ClusterOptions { NodeCount = 5, Seed = 5 });
        timeline.Advance(TimeSpan.FromSeconds(2));
        timeline.SeekTime(TimeSpan.FromSeconds(1));
        var leaderThen = timeline.Frame.Leader!.Value;

        Assert.True(timeline.Execute(c => c.Crash(c.Leader!.Value)).Ok); // the leader at the cursor, not the head's

        Assert.True(timeline.IsLive);
        Assert.Single(timeline.Branches);
        Assert.Equal(new ClusterCommand.Crash(leaderThen), timeline.Commands[^1].Command);
        Assert.False(timeline.Head.Frame().Node(leaderThen)!.IsUp);
        Assert.True(timeline.Execute(_ => ActionResult.Done("nothing recorded")).Ok);
        Assert.Single(timeline.Branches);
    }

    [Fact]
    public void Seeking_before_a_server_was_added_gives_the_smaller_cluster_and_after_it_the_larger_one()
    {
        ForSeeds(10, seed =>
        {
            var options = new ClusterOptions { NodeCount = 3, Seed = seed, SnapshotThreshold = 4 };
            var timeline = new Timeline(options, new TimelineOptions { KeyframeEvery = 100, MaxKeyframes = 64 });
            for (var i = 0; i < 6; i++)
            {
                timeline.Execute(new ClusterCommand.Submit(KvCommand.Put($"k{i % 3}", $"v{i}")));
                timeline.Advance(TimeSpan.FromMilliseconds(150));
            }
            var tries = 0;
            while (!timeline.Execute(new ClusterCommand.AddServer()).Ok) // refused until a leader has committed in its term
            {
                Assert.True(++tries < 100, "the server was never added");
                timeline.Advance(TimeSpan.FromMilliseconds(20));
            }
            var added = timeline.Commands.Single(c => c.Command is ClusterCommand.AddServer);
            timeline.Advance(TimeSpan.FromSeconds(1.5));
            Assert.True(timeline.Head.Configuration.IsVoter(4), "S4 was never promoted");
            Assert.Contains(timeline.KeyframeSteps, k => k < added.Step); // seeks cross keyframes on both sides of the command
            Assert.Contains(timeline.KeyframeSteps, k => k > added.Step);

            // before the command: three servers, exactly as a fresh replay of the commands before it
            var before = timeline.SeekStep(added.Step - 1);
            Assert.Equal(3, before.Nodes.Count);
            Assert.Null(before.Node(4));
            Assert.Equal(Frames.Canonical(FreshAtStep(options, timeline.Commands, added.Step - 1)), Frames.Canonical(before));
            var earlier = timeline.SeekTime(added.At - TimeSpan.FromMilliseconds(1));
            Assert.Equal(3, earlier.Nodes.Count);
            Assert.Equal(Frames.Canonical(FreshAtTime(options, timeline.Commands, added.At - TimeSpan.FromMilliseconds(1))), Frames.Canonical(earlier));

            // at the end: four servers, S4 holding the keys (through a snapshot or the log), and back again
            var end = timeline.SeekStep(timeline.HeadStep);
            Assert.Equal(4, end.Nodes.Count);
            Assert.Equal(end.Node(1)!.Kv.OrderBy(p => p.Key), end.Node(4)!.Kv.OrderBy(p => p.Key));
            Assert.Equal(Frames.Canonical(FreshAtStep(options, timeline.Commands, timeline.HeadStep)), Frames.Canonical(end));
            Assert.Equal(3, timeline.SeekStep(added.Step - 1).Nodes.Count);
            Assert.Equal(4, timeline.StepForward().Nodes.Count); // the step the command followed: S4 exists
            Assert.Equal(3, timeline.StepBack().Nodes.Count);
        });
    }
}
