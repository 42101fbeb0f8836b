using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Sessions;

/// <summary>
/// A cluster's protocol is fixed when it starts, so changing it starts again, through the
/// guarded reset and replace paths of <see cref="LiveCluster"/>: either a new cluster from the same
/// seed, or the same seed with the run's actions carried out again at the same simulated times
/// under the new protocol (the keys written so far are written again; what happens in between may
/// differ, since the protocol changes who leads and when).
/// </summary>
public static class ProtocolRestart
{
    /// <summary>A new cluster with this cluster's node count, seed and timing, running <paramref name="protocol"/>; refused for a watcher.</summary>
    public static ActionResult StartFresh(this LiveCluster live, ClusterOptions protocol)
    {
        if (!live.CanControl) return ActionResult.Refused(LiveCluster.WatchOnly);
        var options = Protocol.Apply(live.Snapshot.Options, protocol);
        if (Validate(options) is { } problem) return ActionResult.Refused(problem);
        var result = live.Reset(options);
        return result.Ok ? ActionResult.Done($"Started a new cluster from seed {options.Seed}: {Protocol.Describe(options)}.") : result;
    }

    /// <summary>
    /// The same seed under <paramref name="protocol"/>, the run's actions replayed at their simulated
    /// times up to where the run is now; refused for a watcher, or with a sentence when the run is too long to replay.
    /// </summary>
    public static ActionResult Rerun(this LiveCluster live, ClusterOptions protocol)
    {
        if (!live.CanControl) return ActionResult.Refused(LiveCluster.WatchOnly);
        var (scenario, until) = live.Pump.ReadTimeline(t => (t.Scenario, t.HeadTime));
        var options = Protocol.Apply(scenario.Options, protocol);
        if (Validate(options) is { } problem) return ActionResult.Refused(problem);
        if (until > SharedRun.MaxDuration || scenario.Commands.Count > SharedRun.MaxCommands)
            return ActionResult.Refused($"This run is too long to replay under another protocol (at most {SharedRun.MaxDuration.TotalMinutes:0} simulated minutes and {SharedRun.MaxCommands} actions); start a new cluster instead.");
        var run = Replay(scenario with { Options = options }, until);
        var result = live.Replace(run);
        return result.Ok
            ? ActionResult.Done($"Ran seed {options.Seed} again to {until.TotalSeconds:0.#} s with {Protocol.Describe(options)}, your {Actions(scenario.Commands.Count)} at the same simulated times.")
            : result;
    }

    /// <summary>Carries out each command at its recorded time (not its step: under another protocol the steps differ), then runs on to <paramref name="until"/>.</summary>
    public static ReplayedRun Replay(Scenario scenario, TimeSpan until)
    {
        var timeline = new Timeline(scenario.Options);
        var markers = new Queue<TimelineMarker>();
        var events = new Queue<StampedEvent>();
        var head = timeline.Head;
        void Observe(ClusterEvent e)
        {
            if (TimelineMarker.For(head.Steps, e) is { } marker) Keep(markers, marker, ClusterPump.MaxMarkers);
            Keep(events, new StampedEvent(head.Steps, e), ClusterPump.MaxPendingEvents);
        }
        head.EventRaised += Observe;
        try
        {
            foreach (var command in scenario.Commands)
            {
                if (command.At > timeline.HeadTime) timeline.Advance(command.At - timeline.HeadTime);
                timeline.Execute(command.Command); // one the new run refuses (a node already down) is left out, as a user's would be
            }
            if (until > timeline.HeadTime) timeline.Advance(until - timeline.HeadTime);
        }
        finally
        {
            head.EventRaised -= Observe;
        }
        return new ReplayedRun(timeline, markers.ToArray(), events.ToArray());
    }

    private static void Keep<T>(Queue<T> queue, T item, int capacity)
    {
        if (queue.Count >= capacity) queue.Dequeue();
        queue.Enqueue(item);
    }

    private static string? Validate(ClusterOptions options)
    {
        try
        {
            _ = new Cluster(options);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message.Split(" (Parameter", 2)[0];
        }
    }

    private static string Actions(int n) => n == 1 ? "1 action" : $"{n} actions";
}
