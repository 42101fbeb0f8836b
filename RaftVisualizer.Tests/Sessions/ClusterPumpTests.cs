using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Sessions;

/// <summary>A hand-driven clock, so pacing is tested without sleeping.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _ticks;
    private DateTimeOffset _utc = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => _ticks;
    public override DateTimeOffset GetUtcNow() => _utc;
    public void Advance(TimeSpan by) { _ticks += by.Ticks; _utc += by; }
}

/// <summary>A clock safe to read from many threads that moves one second on every read, so every change is due to publish.</summary>
internal sealed class RacingTime : TimeProvider
{
    private long _ticks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerSecond);
    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(Interlocked.Read(ref _ticks));
}

public class ClusterPumpTests
{
    private static (ClusterPump Pump, ManualTime Time) NewPump(double speed, TimeSpan? idle = null)
    {
        var time = new ManualTime();
        return (new ClusterPump(new ClusterOptions { NodeCount = 3, Seed = 5 }, speed, time) { PauseWhenIdleFor = idle }, time);
    }

    [Fact]
    public void Simulated_time_advances_by_wall_time_times_speed()
    {
        var (pump, time) = NewPump(0.5);
        time.Advance(TimeSpan.FromMilliseconds(100));
        pump.Tick();
        Assert.Equal(TimeSpan.FromMilliseconds(50), pump.Read(c => c.Now));
        pump.SetSpeed(100); // clamped to 10x
        time.Advance(TimeSpan.FromMilliseconds(10));
        pump.Tick();
        Assert.Equal(TimeSpan.FromMilliseconds(150), pump.Read(c => c.Now));
    }

    [Fact]
    public void A_paused_pump_does_not_move_and_step_processes_exactly_one_event()
    {
        var (pump, time) = NewPump(1);
        pump.Pause();
        time.Advance(TimeSpan.FromSeconds(1));
        pump.Tick();
        Assert.Equal(TimeSpan.Zero, pump.Read(c => c.Now));
        var steps = pump.Read(c => c.Steps);
        Assert.True(pump.StepOnce());
        Assert.Equal(steps + 1, pump.Read(c => c.Steps));
    }

    [Fact]
    public void Pause_publishes_where_time_stopped_at_once_even_inside_the_throttle_window()
    {
        var (pump, time) = NewPump(1);
        time.Advance(TimeSpan.FromMilliseconds(100));
        pump.Tick(); // published: the first in over a second
        var published = new List<TimeSpan>();
        pump.Published += (snapshot, _) => published.Add(snapshot.Now);
        time.Advance(TimeSpan.FromMilliseconds(10));
        pump.Tick(); // ran on, but too soon after the last publish to publish
        Assert.Empty(published);

        pump.Pause();

        Assert.Equal([TimeSpan.FromMilliseconds(110)], published);
        Assert.Equal(TimeSpan.FromMilliseconds(110), pump.Latest.Now); // what a page renders beside "paused"
    }

    [Fact]
    public void Publishes_are_throttled_to_thirty_a_second_however_fast_it_runs()
    {
        var (pump, time) = NewPump(10);
        var published = 0;
        pump.Published += (_, _) => published++;
        for (var i = 0; i < 1000; i++) // one wall second in 1 ms ticks
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            pump.Tick();
        }
        Assert.InRange(published, 25, ClusterPump.MaxPublishesPerSecond);
        Assert.True(pump.Latest.Now >= TimeSpan.FromSeconds(9)); // yet the simulation ran at 10x
    }

    [Fact]
    public void An_idle_pump_pauses_itself_and_a_command_counts_as_activity()
    {
        var (pump, time) = NewPump(1, idle: TimeSpan.FromMinutes(20));
        time.Advance(TimeSpan.FromMinutes(10));
        pump.Submit(KvCommand.Put("x", "1"));
        time.Advance(TimeSpan.FromMinutes(15));
        pump.Tick();
        Assert.False(pump.IsPaused);
        time.Advance(TimeSpan.FromMinutes(6));
        pump.Tick();
        Assert.True(pump.IsPaused);
    }

    [Fact]
    public void A_pump_that_paused_itself_for_idleness_runs_again_at_the_next_command_but_a_users_pause_holds()
    {
        var (pump, time) = NewPump(1, idle: TimeSpan.FromMinutes(20));
        time.Advance(TimeSpan.FromMinutes(21));
        pump.Tick();
        Assert.True(pump.IsPaused);

        pump.Execute(new ClusterCommand.Crash(1)); // the presenter is back
        Assert.False(pump.IsPaused);
        var before = pump.Read(c => c.Now);
        time.Advance(TimeSpan.FromMilliseconds(100));
        pump.Tick();
        Assert.Equal(before + TimeSpan.FromMilliseconds(100), pump.Read(c => c.Now)); // no leap for the idle minutes

        pump.Pause();
        pump.Execute(new ClusterCommand.Restart(1));
        Assert.True(pump.IsPaused); // a pause the user chose is theirs to end
    }

    [Fact]
    public async Task Batches_reach_subscribers_in_the_order_they_were_cut_under_concurrent_commands()
    {
        using var pump = new ClusterPump(new ClusterOptions { NodeCount = 3, Seed = 9 }, 10, new RacingTime());
        var raisedOrder = new Dictionary<ClusterEvent, long>(ReferenceEqualityComparer.Instance);
        pump.Read(c => { c.EventRaised += e => raisedOrder[e] = raisedOrder.Count; return 0; }); // raised under the pump's lock, one at a time
        var batches = 0;
        var outOfOrder = 0;
        long lastSeen = -1;
        pump.Published += (_, _) => Thread.Sleep(Random.Shared.Next(3)); // an earlier subscriber that takes a moment
        pump.Published += (_, events) =>
        {
            lock (raisedOrder)
            {
                batches++;
                foreach (var e in events)
                {
                    var order = pump.Read(_ => raisedOrder[e]);
                    if (order < lastSeen) outOfOrder++;
                    lastSeen = order;
                }
            }
        };

        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 400; i++)
            {
                pump.Submit(KvCommand.Put($"k{w}", i.ToString()));
                pump.Tick();
            }
        })).ToArray();
        await Task.WhenAll(writers);

        Assert.True(batches > 100, $"only {batches} batches were published");
        Assert.Equal(0, outOfOrder);
    }
}
