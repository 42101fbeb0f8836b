using RaftVisualizer.Core;

namespace RaftVisualizer.Sessions;

/// <summary>
/// Owns one cluster and paces it by the wall clock: every tick it advances simulated time by the
/// wall time elapsed × speed. All access to the cluster goes through <see cref="Execute{T}"/>, so the
/// core needs no locks. After a change it publishes an immutable snapshot plus the new events, at
/// most <see cref="MaxPublishesPerSecond"/> times a second however fast the simulation runs; a pause
/// publishes at once, so a page never shows "paused" beside a clock that is still to move.
/// </summary>
public sealed class ClusterPump : IDisposable
{
    public const double MinSpeed = 0.01;
    public const double MaxSpeed = 10;
    public const int MaxPublishesPerSecond = 30;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1.0 / MaxPublishesPerSecond);
    /// <summary>Ticks come twice as often as publishes, so a publish is never more than half an interval late.</summary>
    private static readonly TimeSpan TickInterval = PublishInterval / 2;
    /// <summary>The most simulated time one tick may cover, so a stalled host does not leap ahead.</summary>
    private static readonly TimeSpan MaxTickAdvance = TimeSpan.FromMilliseconds(250);

    private readonly object _gate = new();
    private readonly object _publishGate = new();
    private readonly TimeProvider _time;
    private readonly List<ClusterEvent> _pendingEvents = new();
    private readonly CancellationTokenSource _stop = new();
    private Cluster _cluster;
    private long _lastTickStamp;
    private long _lastPublishStamp;
    private bool _dirty = true;
    private Task? _loop;

    public ClusterPump(ClusterOptions options, double speed = 0.05, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _cluster = Attach(new Cluster(options));
        Speed = Math.Clamp(speed, MinSpeed, MaxSpeed);
        _lastTickStamp = _time.GetTimestamp();
        _lastPublishStamp = _lastTickStamp - _time.TimestampFrequency;
        LastActivity = _time.GetUtcNow();
    }

    /// <summary>Raised after a change, with the new snapshot and the events since the last one. Called off the UI thread.</summary>
    public event Action<ClusterSnapshot, IReadOnlyList<ClusterEvent>>? Published;

    /// <summary>With no user command for this long the pump pauses itself, so a forgotten tab costs nothing.</summary>
    public TimeSpan? PauseWhenIdleFor { get; init; }

    public double Speed { get; private set; }
    public bool IsPaused { get; private set; }
    public ClusterSnapshot Latest { get; private set; } = null!;
    public DateTimeOffset LastActivity { get; private set; }
    /// <summary>How many batches were published so far (a caller waiting for the next one compares it).</summary>
    public long PublishCount { get; private set; }

    /// <summary>Where the servers are drawn, as the user dragged them; shared by every page on this pump.</summary>
    public ServerLayout Layout { get; } = new();

    /// <summary>Starts the background loop (the web host does; tests may call <see cref="Tick"/> by hand instead).</summary>
    public void Start()
    {
        _loop ??= Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TickInterval, _time);
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) Tick();
        });
    }

    /// <summary>Runs a command against the cluster between simulation steps and publishes its effect.</summary>
    public T Execute<T>(Func<Cluster, T> command)
    {
        T result;
        lock (_gate)
        {
            result = command(_cluster);
            _dirty = true;
            LastActivity = _time.GetUtcNow();
        }
        Publish();
        return result;
    }

    public void Execute(Action<Cluster> command) => Execute(c => { command(c); return 0; });

    /// <summary>Reads the cluster without changing it.</summary>
    public T Read<T>(Func<Cluster, T> query)
    {
        lock (_gate) return query(_cluster);
    }

    public void SetSpeed(double speed) => Control(() => Speed = Math.Clamp(speed, MinSpeed, MaxSpeed));
    /// <summary>
    /// Stops simulated time and publishes the frozen snapshot before returning, inside the throttle
    /// window too: otherwise a page rendering meanwhile shows "paused" beside the last publish's
    /// clock, and the clock jumps once more when a later tick publishes where time really stopped.
    /// </summary>
    public void Pause() => Control(() => IsPaused = true, publishNow: true);
    public void Resume() => Control(() => { IsPaused = false; _lastTickStamp = _time.GetTimestamp(); });

    /// <summary>Processes exactly the next queued event (for single-stepping while paused).</summary>
    public bool StepOnce() => Execute(c => c.Step());

    /// <summary>Replaces the cluster with a new one (a reset, or a replayed scenario).</summary>
    public void Replace(Cluster cluster) => Execute(_ =>
    {
        _cluster.EventRaised -= OnEvent;
        _pendingEvents.Clear();
        _cluster = Attach(cluster);
        return 0;
    });

    /// <summary>Advances simulated time by the wall time since the last tick × speed, then publishes if due.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var wall = _time.GetElapsedTime(_lastTickStamp, now);
            _lastTickStamp = now;
            if (!IsPaused && PauseWhenIdleFor is { } limit && _time.GetUtcNow() - LastActivity > limit)
            {
                IsPaused = true;
                _dirty = true;
            }
            if (!IsPaused)
            {
                var advance = TimeSpan.FromTicks(Math.Min((long)(wall.Ticks * Speed), MaxTickAdvance.Ticks));
                var before = _cluster.Steps;
                _cluster.RunFor(advance);
                _dirty |= _cluster.Steps != before || advance > TimeSpan.Zero;
            }
        }
        Publish();
    }

    private void Control(Action change, bool publishNow = false)
    {
        lock (_gate)
        {
            change();
            _dirty = true;
            LastActivity = _time.GetUtcNow();
        }
        Publish(publishNow);
    }

    /// <summary>
    /// Cuts a batch and hands it on. The tick thread and command callers both publish; holding
    /// <see cref="_publishGate"/> from the cut to the end of the hand-over keeps batches in the order
    /// they were cut, while <see cref="_gate"/> is released so the simulation is not held up by subscribers.
    /// </summary>
    /// <param name="now">Publish even within <see cref="PublishInterval"/> of the last publish.</param>
    private void Publish(bool now = false)
    {
        lock (_publishGate)
        {
            ClusterSnapshot snapshot;
            ClusterEvent[] events;
            lock (_gate)
            {
                var stamp = _time.GetTimestamp();
                if (!_dirty) return;
                if (!now && _time.GetElapsedTime(_lastPublishStamp, stamp) < PublishInterval) return; // a later tick publishes
                _lastPublishStamp = stamp;
                _dirty = false;
                snapshot = _cluster.Snapshot();
                events = _pendingEvents.ToArray();
                _pendingEvents.Clear();
                Latest = snapshot;
                PublishCount++;
            }
            Published?.Invoke(snapshot, events);
        }
    }

    private Cluster Attach(Cluster cluster)
    {
        cluster.EventRaised += OnEvent;
        Latest = cluster.Snapshot();
        return cluster;
    }

    /// <summary>Events waiting for the next publish; beyond this many only the newest are kept.</summary>
    public const int MaxPendingEvents = 5000;

    private void OnEvent(ClusterEvent e)
    {
        if (_pendingEvents.Count >= MaxPendingEvents) _pendingEvents.RemoveRange(0, MaxPendingEvents / 2);
        _pendingEvents.Add(e);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
        lock (_gate) _cluster.EventRaised -= OnEvent;
    }
}
