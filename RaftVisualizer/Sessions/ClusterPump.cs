using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.SpaceTime;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Persistence;

namespace RaftVisualizer.Sessions;

/// <summary>
/// Owns one <see cref="Timeline"/> and paces its head by the wall clock: every tick it advances
/// simulated time by the wall time elapsed × speed. All access to the cluster goes through this
/// pump (typed commands through <see cref="Execute(ClusterCommand)"/>, <see cref="Read{T}"/>), so the core needs no locks.
/// After a change it publishes an immutable frame plus the head's new events, at most
/// <see cref="MaxPublishesPerSecond"/> times a second however fast the simulation runs; a pause or a
/// seek publishes at once. The cursor is the pump's, so every viewer of a room sees the moment the
/// presenter chose; the head runs on meanwhile, and acting with the cursor in the past forks.
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
    private readonly List<StampedEvent> _pendingEvents = new();
    private readonly List<TimelineMarker> _markers = new();
    /// <summary>The markers each abandoned branch had when it was left, restored when the user goes back to it.</summary>
    private readonly Dictionary<Branch, List<TimelineMarker>> _branchMarkers = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stop = new();
    private Timeline _timeline;
    /// <summary>The head our event handler is attached to (a fork or a branch switch changes the head).</summary>
    private Cluster _attached = null!;
    private int _violationsSeen;
    private long? _cutAfterStep;
    private long _lastTickStamp;
    private long _lastPublishStamp;
    private bool _dirty = true;
    private Task? _loop;
    private readonly HistoryChecker _historyChecker;
    /// <summary>Client requests started and answered on the heads so far: the history changed when this moved.</summary>
    private long _clientEvents;

    public ClusterPump(ClusterOptions options, double speed = 0.05, TimeProvider? time = null)
        : this(new Timeline(Kept(options)), speed, time)
    {
    }

    /// <summary>A pump over an existing timeline (a replayed file or link, a fork of a room).</summary>
    public ClusterPump(Timeline timeline, double speed = 0.05, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        _time = time ?? TimeProvider.System;
        _timeline = timeline;
        Attach();
        Speed = Math.Clamp(speed, MinSpeed, MaxSpeed);
        _lastTickStamp = _time.GetTimestamp();
        _lastPublishStamp = _lastTickStamp - _time.TimestampFrequency;
        LastActivity = _time.GetUtcNow();
        _historyChecker = new HistoryChecker(this);
        _historyChecker.Note(new HistorySignature(_attached, _clientEvents));
    }

    /// <summary>Raised after a change, with the head's new snapshot and its events since the last one. Called off the UI thread.</summary>
    public event Action<ClusterFrame, IReadOnlyList<ClusterEvent>>? Published;

    /// <summary>Raised with <see cref="Published"/>: the frame at the cursor, the events with their steps, the generation. Pages watch this one.</summary>
    public event Action<Publication>? FramePublished;

    /// <summary>
    /// Where the head's disks are written after each batch (the default cluster's data folder), or null
    /// to keep them in memory only (private pages and rooms).
    /// </summary>
    public DiskFolder? Disks { get; init; }

    /// <summary>With no user command for this long the pump pauses itself, so a forgotten tab costs nothing.</summary>
    public TimeSpan? PauseWhenIdleFor { get; init; }

    public double Speed { get; private set; }
    public bool IsPaused { get; private set; }
    /// <summary>The head's snapshot at the last publish.</summary>
    public ClusterFrame Latest { get; private set; } = null!;
    /// <summary>What views show: the frame at the cursor, or <see cref="Latest"/> when live.</summary>
    public ClusterFrame Frame => _cursorFrame ?? Latest;
    private ClusterFrame? _cursorFrame;
    public DateTimeOffset LastActivity { get; private set; }
    /// <summary>Bumped by every <see cref="Replace(Timeline)"/> (a reset, an import): a viewer seeing a new one forgets its feed.</summary>
    public long Generation { get; private set; }

    /// <summary>The step the cursor is at, or null when live.</summary>
    public long? Cursor { get; private set; }
    public bool IsLive => Cursor is null;
    /// <summary>The head's step and time at the last publish, and where the timeline begins: the range a scrub bar covers.</summary>
    public long HeadStep => Latest.Steps;
    public TimeSpan HeadTime => Latest.Now;
    public long StartStep { get; private set; }
    public TimeSpan StartTime { get; private set; }

    /// <summary>
    /// The linearizability checker's latest verdict on the head's client history. One checker per pump,
    /// however many pages show it; it runs only while somebody <see cref="WatchHistory">watches</see>,
    /// and a new verdict is published like any other change.
    /// </summary>
    public HistoryVerdict History => _historyChecker.Verdict;

    /// <summary>Keeps the history checked while the returned subscription lives (a history badge on a page).</summary>
    public IDisposable WatchHistory() => _historyChecker.Watch();

    /// <summary>How many times this pump's client history was checked.</summary>
    public long HistoryChecks => _historyChecker.Checks;

    /// <summary>A copy of the head's client history for the checker, with what it looks like (taken under the gate: the cluster is not thread-safe).</summary>
    internal (HistorySignature Signature, IReadOnlyList<KvHistoryOp> History, HistoryCut Cut) CopyHistory()
    {
        lock (_gate)
        {
            var head = _timeline.Head;
            return (new HistorySignature(head, _clientEvents), ClusterHistoryAdapter.FromCluster(head.History), head.HistoryCut);
        }
    }

    /// <summary>The checker has a new verdict: publish it at once, as a change.</summary>
    internal void HistoryChecked()
    {
        lock (_gate) _dirty = true;
        Publish(now: true);
    }

    /// <summary>At most this many markers are kept; the oldest go first.</summary>
    public const int MaxMarkers = 500;

    /// <summary>The landmarks of this branch so far (elections, faults, answers, violations), oldest first.</summary>
    public IReadOnlyList<TimelineMarker> Markers
    {
        get { lock (_gate) return _markers.ToArray(); }
    }

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

    /// <summary>Carries out a typed command: on the head when live; at the cursor otherwise, which forks (the abandoned future is kept as a branch) and goes live.</summary>
    public ActionResult Execute(ClusterCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ActionResult result = null!;
        Act(observe => result = _timeline.Execute(command, observe), frame: false);
        return result;
    }

    /// <summary>
    /// As <see cref="Execute(ClusterCommand)"/>, with the head's frame right after the command (taken under the
    /// pump's lock, so no later step slips in): what a caller reports back (the leader then) without reading the live cluster.
    /// </summary>
    public CommandOutcome ExecuteWithFrame(ClusterCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ActionResult result = null!;
        var frame = Act(observe => result = _timeline.Execute(command, observe), frame: true);
        return new CommandOutcome(result, frame!);
    }

    /// <summary>Submits a client operation (forking when the cursor is in the past); the operation lives on the head the page then watches.</summary>
    public ClientOperation Submit(KvCommand command, NodeId? via = null)
    {
        ClientOperation op = null!;
        Act(observe => op = _timeline.Submit(new ClusterCommand.Submit(command, via), observe), frame: false);
        return op;
    }

    /// <summary>
    /// Under the gate: runs a command on the timeline (which hands the events a fork raises to the observer
    /// it is given), follows a fork, publishes at once, and returns the head's frame right after it when asked.
    /// </summary>
    private ClusterFrame? Act(Action<Action<ClusterEvent>> command, bool frame)
    {
        ClusterFrame? after;
        Action<bool>? cancelled = null;
        lock (_gate)
        {
            var forkAt = Cursor;
            var forkEvents = new List<ClusterEvent>();
            command(forkEvents.Add); // the cursor's moment, about to become the head if this succeeds
            var head = _attached;
            AfterCommand(forkAt, forkEvents);
            if (!ReferenceEquals(head, _attached)) cancelled = EndDrive(pause: false); // a fork: the drive's run is not this branch's
            after = frame ? _timeline.Head.Frame() : null;
        }
        cancelled?.Invoke(false);
        Publish(now: true);
        return after;
    }

    /// <summary>
    /// Runs the head on by <paramref name="duration"/> of simulated time at once, taking keyframes on the
    /// way, and publishes: a skip ahead, wherever the cursor is and whether or not the pump is paused.
    /// </summary>
    public void Skip(TimeSpan duration)
    {
        lock (_gate)
        {
            if (duration > TimeSpan.Zero) _timeline.Advance(duration);
            WatchSafety();
            Changed();
        }
        Publish(now: true);
    }

    /// <summary>
    /// Test set-up only (the test project sees internals): runs a function against the head between steps,
    /// bypassing the timeline (no fork, nothing recorded unless the function calls a recorded method), and
    /// publishes. The app itself sends <see cref="ClusterCommand"/>s; ArchitectureTests checks that no page,
    /// hub or endpoint calls this.
    /// </summary>
    internal T ExecuteForTest<T>(Func<Cluster, T> change)
    {
        T result;
        lock (_gate)
        {
            result = change(_timeline.Head);
            Changed();
        }
        Publish();
        return result;
    }

    /// <summary>Reads the head without changing it.</summary>
    public T Read<T>(Func<Cluster, T> query)
    {
        lock (_gate) return query(_timeline.Head);
    }

    /// <summary>Reads the timeline (its scenario, branches, keyframes) without changing it.</summary>
    public T ReadTimeline<T>(Func<Timeline, T> query)
    {
        lock (_gate) return query(_timeline);
    }

    /// <summary>
    /// The events and start state of a window of this run for the space-time diagram (at most
    /// <see cref="SpaceTimeSlice.MaxSpan"/> long): from the head's record when it reaches back that far and
    /// <paramref name="known"/> (an earlier start of this generation) leads to the window's start; otherwise
    /// re-simulated from the nearest keyframe on a clone, never the head. Under the gate, as every read.
    /// </summary>
    public SpaceTimeSlice SpaceTime(TimeSpan from, TimeSpan to, SpaceTimeStart? known = null)
    {
        lock (_gate) return SpaceTimeSlice.Of(_timeline, from, to, known);
    }

    // The shared cursor: a room's presenter moves it for everyone.

    /// <summary>Moves the cursor to the moment right after step <paramref name="step"/> (clamped to the run) and publishes that frame.</summary>
    public ClusterFrame SeekStep(long step) => Seek(t => t.SeekStep(step));
    /// <summary>Moves the cursor to simulated time <paramref name="time"/> (clamped to the run) and publishes that frame.</summary>
    public ClusterFrame SeekTime(TimeSpan time) => Seek(t => t.SeekTime(time));
    /// <summary>One event back from the cursor (from the head when live).</summary>
    public ClusterFrame StepBack() => Seek(t => t.StepBack());
    /// <summary>One event forward; reaching the head goes live.</summary>
    public ClusterFrame StepForward() => Seek(t => t.StepForward());
    /// <summary>Returns the cursor to the head.</summary>
    public ClusterFrame GoLive() => Seek(t => t.Live());

    /// <summary>A frame of this run at a step or a time without moving the shared cursor (a room viewer scrubbing on their own).</summary>
    public ClusterFrame FrameAtStep(long step)
    {
        lock (_gate) return _timeline.FrameAtStep(step);
    }

    public ClusterFrame FrameAtTime(TimeSpan time)
    {
        lock (_gate) return _timeline.FrameAtTime(time);
    }

    private ClusterFrame Seek(Func<Timeline, ClusterFrame> move)
    {
        ClusterFrame frame;
        lock (_gate)
        {
            frame = move(_timeline);
            Cursor = _timeline.Cursor;
            _cursorFrame = Cursor is null ? null : frame;
            Changed();
        }
        Publish(now: true);
        return frame;
    }

    /// <summary>Under the gate after a command: a fork changed the head, so follow it and cut what the abandoned future added.</summary>
    private void AfterCommand(long? forkAt, IReadOnlyList<ClusterEvent> forkEvents)
    {
        if (!ReferenceEquals(_attached, _timeline.Head))
        {
            _attached.EventRaised -= OnEvent;
            if (_timeline.Branches.Count > 0) _branchMarkers[_timeline.Branches[^1]] = _markers.ToList();
            foreach (var gone in _branchMarkers.Keys.Where(b => !_timeline.Branches.Contains(b)).ToArray()) _branchMarkers.Remove(gone);
            var cut = forkAt ?? _timeline.HeadStep;
            _pendingEvents.RemoveAll(e => e.Step > cut);
            _markers.RemoveAll(m => m.Step > cut);
            _violationsSeen = _timeline.Head.Safety.Violations.Count;
            _cutAfterStep = _cutAfterStep is { } earlier ? Math.Min(earlier, cut) : cut;
            _attached = _timeline.Head;
            _attached.EventRaised += OnEvent;
            foreach (var e in forkEvents) OnEvent(e); // the command's own events, raised on the fork before it was the head
        }
        Cursor = _timeline.Cursor;
        if (Cursor is null) _cursorFrame = null;
        Changed();
    }

    /// <summary>
    /// Marks a user's change. A pump that paused itself for idleness runs again at the first one, so a
    /// presenter back after a break is not left wondering why their crash does nothing.
    /// </summary>
    private void Changed()
    {
        _dirty = true;
        LastActivity = _time.GetUtcNow();
        if (!_pausedForIdle) return;
        _pausedForIdle = false;
        IsPaused = false;
        _lastTickStamp = _time.GetTimestamp();
    }

    /// <summary>True while the pump is paused because nobody acted for <see cref="PauseWhenIdleFor"/> (not by a user's pause).</summary>
    private bool _pausedForIdle;

    public void SetSpeed(double speed) => Control(() => Speed = Math.Clamp(speed, MinSpeed, MaxSpeed));
    /// <summary>
    /// Stops simulated time and publishes the frozen snapshot before returning, inside the throttle
    /// window too: otherwise a page rendering meanwhile shows "paused" beside the last publish's
    /// clock, and the clock jumps once more when a later tick publishes where time really stopped.
    /// </summary>
    public void Pause() => Control(() => { IsPaused = true; _pausedForIdle = false; }, publishNow: true);
    public void Resume() => Control(() => { IsPaused = false; _pausedForIdle = false; _lastTickStamp = _time.GetTimestamp(); });

    /// <summary>Processes exactly the next queued event of the head (for single-stepping while paused).</summary>
    public bool StepOnce()
    {
        bool stepped;
        lock (_gate)
        {
            stepped = _timeline.Step();
            Changed();
        }
        Publish();
        return stepped;
    }

    /// <summary>
    /// Starts over with <paramref name="timeline"/> (a reset, an import, a fork): the one reset path.
    /// The generation goes up, so every page watching this pump clears its feed, and a room resends its snapshot.
    /// </summary>
    /// <param name="markers">The markers of the run so far (a replay's, a room's), when it did not run on this pump.</param>
    /// <param name="events">The run's latest events, for the pages' feeds, when it did not run on this pump.</param>
    public void Replace(Timeline timeline, IEnumerable<TimelineMarker>? markers = null, IEnumerable<StampedEvent>? events = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        Action<bool>? cancelled;
        lock (_gate)
        {
            cancelled = EndDrive(pause: false);
            _attached.EventRaised -= OnEvent;
            _pendingEvents.Clear();
            _markers.Clear();
            _branchMarkers.Clear();
            if (markers is not null) _markers.AddRange(markers.TakeLast(MaxMarkers));
            if (events is not null) _pendingEvents.AddRange(events.TakeLast(MaxPendingEvents));
            _cutAfterStep = null;
            _timeline = timeline;
            Generation++;
            Attach();
            Changed();
        }
        cancelled?.Invoke(false);
        Publish(now: true);
    }

    /// <summary>The futures abandoned by acting in the past, oldest first.</summary>
    public IReadOnlyList<BranchInfo> Branches
    {
        get
        {
            lock (_gate)
                return _timeline.Branches.Select((b, i) => new BranchInfo(i, b.ForkedAtStep, b.HeadStep, b.HeadTime,
                    b.Commands.Count, b.Commands.Count > 0 ? b.Commands[^1].Command.ToString() : null)).ToArray();
        }
    }

    /// <summary>
    /// Goes back to abandoned branch <paramref name="index"/> exactly as it was left (the branch left now is
    /// kept in its place), live. Pages start their feed afresh: the generation moves, as on a reset.
    /// </summary>
    public ActionResult SwitchBranch(int index)
    {
        Action<bool>? cancelled;
        lock (_gate)
        {
            if (index < 0 || index >= _timeline.Branches.Count) return ActionResult.Refused("There is no such branch (it may have been dropped: only the newest are kept).");
            cancelled = EndDrive(pause: false);
            var branch = _timeline.Branches[index];
            var leaving = _markers.ToList();
            _timeline.SwitchTo(branch);
            _branchMarkers[_timeline.Branches[index]] = leaving;
            var restored = _branchMarkers.Remove(branch, out var kept) ? kept : [];
            _attached.EventRaised -= OnEvent;
            _pendingEvents.Clear();
            _cutAfterStep = null;
            Generation++;
            Attach();
            _markers.Clear();
            _markers.AddRange(restored);
            Changed();
        }
        cancelled?.Invoke(false);
        Publish(now: true);
        return ActionResult.Done("Back on the branch you left.");
    }

    /// <summary>Starts over with a new cluster from <paramref name="options"/>.</summary>
    public void Reset(ClusterOptions options) => Replace(new Timeline(Kept(options)));

    /// <summary>
    /// The most events a pump's cluster keeps in its own record (<see cref="Cluster.Events"/>). No page
    /// reads that record: pages get the events as they are published, and any earlier moment is rebuilt
    /// from the timeline's keyframes; so a few seconds' worth is plenty, where the core's default of
    /// 200,000 events cost a session most of its memory.
    /// </summary>
    public const int RecordedEvents = 8_192;

    /// <summary><paramref name="options"/> with the event record capped at <see cref="RecordedEvents"/> (it changes no event: the record only keeps them).</summary>
    public static ClusterOptions Kept(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxRecordedEvents > RecordedEvents ? options with { MaxRecordedEvents = RecordedEvents } : options;
    }

    /// <summary>Starts over at <paramref name="cluster"/>'s moment; the timeline cannot seek before it (see <see cref="Timeline.StartingFrom"/>).</summary>
    public void Replace(Cluster cluster) => Replace(Timeline.StartingFrom(cluster));

    /// <summary>Advances simulated time by the wall time since the last tick × speed, then publishes if due.</summary>
    public void Tick()
    {
        Action<bool>? finished = null;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var wall = _time.GetElapsedTime(_lastTickStamp, now);
            _lastTickStamp = now;
            if (!IsPaused && PauseWhenIdleFor is { } limit && _time.GetUtcNow() - LastActivity > limit)
            {
                IsPaused = true;
                _pausedForIdle = true;
                _dirty = true;
            }
            if (!IsPaused)
            {
                var advance = TimeSpan.FromTicks(Math.Min((long)(wall.Ticks * Speed), MaxTickAdvance.Ticks));
                var before = _timeline.HeadStep;
                if (_drive is { } drive)
                {
                    if (drive.Advance(_timeline, advance)) finished = EndDrive();
                }
                else _timeline.Advance(advance);
                _dirty |= _timeline.HeadStep != before || advance > TimeSpan.Zero;
                WatchSafety();
            }
        }
        finished?.Invoke(true);
        Publish(now: finished is not null);
    }

    // A driven run (a lesson's step): instead of plain advancing, each tick hands the timeline and the
    // simulated time the wall clock allows to a drive, which runs event by event and says when it is done.

    private sealed record PumpDrive(Func<Timeline, TimeSpan, bool> Advance, Action<bool> Finished);

    private PumpDrive? _drive;

    /// <summary>True while a <see cref="Drive"/> or <see cref="RunUntil"/> runs the head.</summary>
    public bool IsDriving
    {
        get { lock (_gate) return _drive is not null; }
    }

    /// <summary>
    /// Runs the head by <paramref name="advance"/> from now on (the pump resumes at its speed): every
    /// tick, on the pump's thread and under its lock, it gets the timeline and the simulated time due
    /// and returns true once it is done; the pump then pauses exactly there and calls
    /// <paramref name="finished"/>(true) outside its lock. A reset, a branch switch, a fork or a newer
    /// drive cancels it: <paramref name="finished"/>(false).
    /// </summary>
    public void Drive(Func<Timeline, TimeSpan, bool> advance, Action<bool> finished)
    {
        ArgumentNullException.ThrowIfNull(advance);
        ArgumentNullException.ThrowIfNull(finished);
        Action<bool>? cancelled;
        lock (_gate)
        {
            cancelled = EndDrive();
            _drive = new PumpDrive(advance, finished);
            IsPaused = false;
            _pausedForIdle = false;
            _lastTickStamp = _time.GetTimestamp();
            Changed();
        }
        cancelled?.Invoke(false);
        Publish(now: true);
    }

    /// <summary>
    /// Runs the head until <paramref name="condition"/> holds (checked after every event, so it stops
    /// exactly at the event that made it true) or <paramref name="timeout"/> of simulated time passes,
    /// then pauses; <paramref name="reached"/> says whether it held (false when cancelled).
    /// </summary>
    public void RunUntil(Func<Cluster, bool> condition, TimeSpan timeout, Action<bool> reached)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(reached);
        TimeSpan? deadline = null;
        var held = false;
        Drive((t, budget) =>
        {
            var end = deadline ??= t.HeadTime + timeout;
            if (condition(t.Head)) return held = true;
            var until = budget >= end - t.HeadTime ? end : t.HeadTime + budget;
            while (t.Head.NextEventAt is { } at && at <= until)
            {
                t.Step();
                if (condition(t.Head)) return held = true;
            }
            if (until > t.HeadTime) t.Advance(until - t.HeadTime);
            if (t.HeadTime < end) return false;
            held = condition(t.Head);
            return true;
        }, ok => reached(ok && held));
    }

    /// <summary>Runs the current drive to its end at once (skipping ahead), then pauses; false when nothing was driving.</summary>
    public bool FinishDrive()
    {
        Action<bool>? finished = null;
        lock (_gate)
        {
            if (_drive is not { } drive) return false;
            while (!drive.Advance(_timeline, TimeSpan.MaxValue)) { }
            finished = EndDrive();
            WatchSafety();
            Changed();
        }
        finished?.Invoke(true);
        Publish(now: true);
        return true;
    }

    /// <summary>Cancels the current drive (its callback hears false) and leaves the pump as it is.</summary>
    public void StopDriving()
    {
        Action<bool>? cancelled;
        lock (_gate) cancelled = EndDrive(pause: false);
        cancelled?.Invoke(false);
    }

    /// <summary>Under the gate: forgets the drive (pausing, when it ended by itself) and hands back its callback to call outside.</summary>
    private Action<bool>? EndDrive(bool pause = true)
    {
        if (_drive is not { } drive) return null;
        _drive = null;
        if (pause) IsPaused = true;
        _dirty = true;
        return drive.Finished;
    }

    private void Control(Action change, bool publishNow = false)
    {
        lock (_gate)
        {
            change();
            Changed();
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
            if (Disks is { } disks)
            {
                lock (_gate) disks.Capture(_timeline.Head);
                disks.Flush(); // before anyone hears of the batch: an answer given is on disk
            }
            ClusterFrame snapshot;
            StampedEvent[] events;
            Publication publication;
            HistorySignature history;
            lock (_gate)
            {
                var stamp = _time.GetTimestamp();
                if (!_dirty) return;
                if (!now && _time.GetElapsedTime(_lastPublishStamp, stamp) < PublishInterval) return; // a later tick publishes
                _lastPublishStamp = stamp;
                _dirty = false;
                snapshot = _timeline.Head.Frame();
                events = _pendingEvents.ToArray();
                _pendingEvents.Clear();
                Latest = snapshot;
                FollowRebase();
                publication = new Publication(Frame, events, Generation, _cutAfterStep, IsLive);
                _cutAfterStep = null;
                history = new HistorySignature(_timeline.Head, _clientEvents);
            }
            Published?.Invoke(snapshot, events.Select(e => e.Event).ToArray());
            FramePublished?.Invoke(publication);
            _historyChecker.Note(history); // once per publish, however many pages watch
        }
    }

    /// <summary>
    /// Under the gate: a timeline that bounds its commands rebases itself as it runs (<see cref="TimelineOptions.MaxCommands"/>),
    /// so the range a scrub bar covers starts later, and a cursor before the new start was moved to it.
    /// </summary>
    private void FollowRebase()
    {
        if (StartStep == _timeline.StartStep) return;
        StartStep = _timeline.StartStep;
        StartTime = _timeline.StartTime;
        Cursor = _timeline.Cursor;
        _cursorFrame = Cursor is null ? null : _timeline.Frame;
    }

    /// <summary>Under the gate (or in the constructor): listen to the new timeline's head and show it live.</summary>
    private void Attach()
    {
        _attached = _timeline.Head;
        _attached.EventRaised += OnEvent;
        Latest = _attached.Frame();
        Cursor = _timeline.Cursor;
        _cursorFrame = Cursor is null ? null : _timeline.Frame;
        StartStep = _timeline.StartStep;
        StartTime = _timeline.StartTime;
        _violationsSeen = _attached.Safety.Violations.Count;
    }

    /// <summary>Events waiting for the next publish; beyond this many only the newest are kept.</summary>
    public const int MaxPendingEvents = 5000;

    private void OnEvent(ClusterEvent e)
    {
        var step = _attached.Steps;
        if (_pendingEvents.Count >= MaxPendingEvents) _pendingEvents.RemoveRange(0, MaxPendingEvents / 2);
        _pendingEvents.Add(new StampedEvent(step, e));
        if (e is ClientRequestStarted or ClientRequestAnswered) _clientEvents++;
        if (TimelineMarker.For(step, e) is { } marker) AddMarker(marker);
    }

    /// <summary>The safety monitor reports no event: a new violation is noticed after each tick.</summary>
    private void WatchSafety()
    {
        var violations = _attached.Safety.Violations;
        for (; _violationsSeen < violations.Count; _violationsSeen++)
            AddMarker(new TimelineMarker(_attached.Steps, _attached.Now, MarkerKind.SafetyViolation, $"{violations[_violationsSeen].Property} broken: {violations[_violationsSeen].Description}"));
    }

    private void AddMarker(TimelineMarker marker)
    {
        if (_markers.Count >= MaxMarkers) _markers.RemoveRange(0, MaxMarkers / 10);
        _markers.Add(marker);
    }

    public void Dispose()
    {
        _historyChecker.Dispose();
        _stop.Cancel();
        try { _loop?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
        lock (_gate) _attached.EventRaised -= OnEvent;
    }
}
