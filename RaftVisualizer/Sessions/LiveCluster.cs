using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Core.SpaceTime;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Sessions;

/// <summary>
/// A live view onto one pump for one page: the frame at the cursor, a bounded feed of recent events,
/// and a change notification. A private session owns its pump; a room viewer shares the room's and
/// sees the moment the presenter chose, unless they scrub on their own (then <see cref="FollowsPump"/>
/// is false until <see cref="FollowPump"/>). Components subscribe with <see cref="Subscribe"/> and dispose of the subscription.
/// </summary>
public sealed class LiveCluster : IDisposable
{
    public const int FeedCapacity = 400;

    private readonly bool _ownsPump;
    private readonly LinkedList<(long Seq, StampedEvent Event)> _news = new();
    private readonly LinkedList<(long Seq, StampedEvent Event)> _traffic = new();
    private long _feedSeq;
    private long _generation;
    /// <summary>A watcher's own moment while they scrub apart from the pump's cursor; null when following it.</summary>
    private volatile ClusterFrame? _ownFrame;
    private readonly object _feedGate = new();
    private event Action? Changed;

    /// <summary>A submit that applies a caller's own limits first (a room's caps); null when refused, with why.</summary>
    public delegate ClientOperation? Submitter(KvCommand command, out string? refusal, NodeId? via);

    private readonly Submitter? _submit;

    /// <param name="submit">How writes reach the cluster when something must check them first (a room's caps); null submits directly.</param>
    public LiveCluster(ClusterPump pump, bool ownsPump, bool canControl, Submitter? submit = null)
    {
        _submit = submit;
        Pump = pump;
        _ownsPump = ownsPump;
        CanControl = canControl;
        _generation = pump.Generation;
        Pump.FramePublished += OnPublished;
    }

    /// <summary>Said to anyone who tries to act without the right to; every control method below checks it.</summary>
    public const string WatchOnly = "Watch-only: the presenter controls this cluster. Fork it to get a copy of your own.";

    public ClusterPump Pump { get; }

    /// <summary>This page, as a viewer who answers a lesson's questions.</summary>
    public string ViewerId { get; } = Guid.NewGuid().ToString("N");
    /// <summary>True on a room's page: each viewer answers a lesson's question and the presenter reveals it.</summary>
    public bool InRoom { get; init; }
    private LessonPlayer? _lessons;
    /// <summary>The lesson on this pump, through the checks of this page's rights.</summary>
    public LessonPlayer Lessons => _lessons ??= new LessonPlayer(this);
    /// <summary>False for a room viewer without the presenter key: they may only watch.</summary>
    public bool CanControl { get; set; }
    /// <summary>The frame at the cursor: the head's latest publish when live, else the moment the cursor (the pump's, or this viewer's own) is at.</summary>
    public ClusterFrame Snapshot => _ownFrame ?? Pump.Frame;
    /// <summary>True when the picture stands still: the pump is paused, or the page shows a moment in the past (the canvas stops animating).</summary>
    public bool IsPaused => Pump.IsPaused || !IsLive;
    /// <summary>True when the head's simulated time is stopped (what Play / Pause toggles).</summary>
    public bool IsHeadPaused => Pump.IsPaused;
    public double Speed => Pump.Speed;

    /// <summary>True when this page shows the head as it runs (not a moment in the past).</summary>
    public bool IsLive => _ownFrame is null && Pump.IsLive;
    /// <summary>False while a watcher scrubs on their own, apart from the room's cursor.</summary>
    public bool FollowsPump => _ownFrame is null;
    /// <summary>The step shown, or null when live.</summary>
    public long? Cursor => _ownFrame is { } own ? own.Steps : Pump.Cursor;
    public long HeadStep => Pump.HeadStep;
    public TimeSpan HeadTime => Pump.HeadTime;
    public long StartStep => Pump.StartStep;
    public TimeSpan StartTime => Pump.StartTime;
    /// <summary>The run's landmarks so far (bounded; see <see cref="ClusterPump.MaxMarkers"/>).</summary>
    public IReadOnlyList<TimelineMarker> Markers => Pump.Markers;

    /// <summary>The pump's latest verdict on the head's client history (one checker per pump, however many pages watch).</summary>
    public HistoryVerdict History => Pump.History;

    /// <summary>Keeps the pump's history checker running while the subscription lives (anyone may).</summary>
    public IDisposable WatchHistory() => Pump.WatchHistory();

    /// <summary>Reads the head without changing it (anyone may).</summary>
    public T Read<T>(Func<Cluster, T> query) => Pump.Read(query);

    /// <summary>A window of the run for the space-time diagram (anyone may read it); see <see cref="ClusterPump.SpaceTime"/>.</summary>
    public SpaceTimeSlice SpaceTime(TimeSpan from, TimeSpan to, SpaceTimeStart? known = null) => Pump.SpaceTime(from, to, known);

    /// <summary>What this page points at from the space-time diagram: a message and a server the canvas draws highlighted.</summary>
    public Highlight Highlight { get; } = new();

    // Moving in time. Whoever may control moves the pump's cursor (a presenter moves the room);
    // a watcher moves a cursor of their own, and FollowPump goes back to the room's.

    public ClusterFrame SeekTime(TimeSpan time) => Move(p => p.SeekTime(time), p => p.FrameAtTime(time));
    public ClusterFrame SeekStep(long step) => Move(p => p.SeekStep(step), p => p.FrameAtStep(step));
    public ClusterFrame StepBack() => Move(p => p.StepBack(), p => p.FrameAtStep((Cursor ?? p.HeadStep) - 1));

    public ClusterFrame StepForward()
    {
        if (CanControl || _ownFrame is not { } own) return Move(p => p.StepForward(), p => p.FrameAtStep(Pump.HeadStep));
        if (own.Steps + 1 >= Pump.HeadStep) return FollowPump();
        return Move(p => p.StepForward(), p => p.FrameAtStep(own.Steps + 1));
    }

    /// <summary>Back to the head (a watcher: back to following the room, which may itself be in the past).</summary>
    public ClusterFrame GoLive() => CanControl ? Move(p => p.GoLive(), p => p.Latest) : FollowPump();

    /// <summary>The futures abandoned by acting in the past (anyone may see them).</summary>
    public IReadOnlyList<BranchInfo> Branches => Pump.Branches;

    /// <summary>Goes back to an abandoned branch exactly as it was left; refused for a watcher.</summary>
    public ActionResult SwitchBranch(int index) => CanControl ? Pump.SwitchBranch(index) : ActionResult.Refused(WatchOnly);

    /// <summary>The nearest marker before the moment shown (the first moment of the run when there is none).</summary>
    public ClusterFrame PreviousMarker()
    {
        var at = Cursor ?? HeadStep;
        var previous = Markers.LastOrDefault(m => m.Step < at);
        return SeekStep(previous?.Step ?? StartStep);
    }

    /// <summary>The nearest marker after the moment shown; live when there is none.</summary>
    public ClusterFrame NextMarker()
    {
        if (Cursor is not { } at) return Snapshot;
        return Markers.FirstOrDefault(m => m.Step > at) is { } next ? SeekStep(next.Step) : GoLive();
    }

    /// <summary>Stops scrubbing on one's own and shows the pump's moment again.</summary>
    public ClusterFrame FollowPump()
    {
        _ownFrame = null;
        Changed?.Invoke();
        return Snapshot;
    }

    private ClusterFrame Move(Func<ClusterPump, ClusterFrame> shared, Func<ClusterPump, ClusterFrame> own)
    {
        if (CanControl)
        {
            _ownFrame = null;
            return shared(Pump); // publishes, which notifies every viewer
        }
        var frame = own(Pump);
        _ownFrame = frame;
        Changed?.Invoke();
        return frame;
    }

    // Every way a page changes the cluster or its pacing goes through one of these, and each checks
    // the right to control here, on the server: a control disabled in the browser is only a hint.

    /// <summary>Carries out a typed command (crash, partition, latency, a gesture such as isolate; forking when the cursor is in the past); refused for a watcher.</summary>
    public ActionResult Act(ClusterCommand command) =>
        CanControl ? Pump.Execute(command) : ActionResult.Refused(WatchOnly);

    /// <summary>Submits a client command (first to <paramref name="via"/>, when given); null (with <paramref name="refusal"/>) for a watcher.</summary>
    public ClientOperation? Submit(KvCommand command, out string? refusal, NodeId? via = null)
    {
        if (!CanControl)
        {
            refusal = WatchOnly;
            return null;
        }
        if (_submit is not null) return _submit(command, out refusal, via);
        refusal = null;
        return Pump.Submit(command, via);
    }

    public ActionResult Pause() => Control(Pump.Pause, "Paused.");
    public ActionResult Resume() => Control(Pump.Resume, "Running.");
    public ActionResult TogglePause() => IsHeadPaused ? Resume() : Pause();

    /// <summary>Pauses if running, then processes exactly the next event.</summary>
    public ActionResult Step() => Control(() =>
    {
        if (!Pump.IsPaused) Pump.Pause();
        Pump.StepOnce();
    }, "Stepped one event.");

    public ActionResult SetSpeed(double speed) =>
        double.IsFinite(speed) && speed > 0
            ? Control(() => Pump.SetSpeed(speed), "Speed changed.")
            : ActionResult.Refused($"Speed must be a positive number ({ClusterPump.MinSpeed}× to {ClusterPump.MaxSpeed}×).");

    /// <summary>The servers' positions on the drawing, as dragged (anyone may read them).</summary>
    public ServerLayout Layout => Pump.Layout;

    /// <summary>Keeps where the user dropped a server for the session; refused for a watcher.</summary>
    public ActionResult MoveServer(NodeId server, double x, double y) =>
        double.IsFinite(x) && double.IsFinite(y) && Math.Abs(x) <= ServerPosition.MaxCoordinate && Math.Abs(y) <= ServerPosition.MaxCoordinate
            ? Control(() => Pump.Layout.Move(server.Value, x, y), $"{server} moved.")
            : ActionResult.Refused($"A position must be a number within {ServerPosition.MaxCoordinate:0} units of the drawing's centre.");

    /// <summary>Puts every server back on the ring; refused for a watcher.</summary>
    public ActionResult ResetLayout() => Control(Pump.Layout.Reset, "Servers back on the ring.");

    /// <summary>Starts over with a new cluster; every page watching the pump forgets its feed (the pump's generation moves).</summary>
    public ActionResult Reset(ClusterOptions options) => Control(() => Pump.Reset(options), "Started a new cluster.");

    /// <summary>Starts over with <paramref name="timeline"/> (an imported run, a link, a fork); every viewer forgets its feed.</summary>
    public ActionResult Replace(Timeline timeline, IEnumerable<TimelineMarker>? markers = null, IEnumerable<StampedEvent>? events = null) =>
        Control(() => Pump.Replace(timeline, markers, events), "Started a new cluster.");

    /// <summary>Starts over with a replayed run (a file, a link), its markers and its latest events; the servers go where the run's layout puts them.</summary>
    public ActionResult Replace(ReplayedRun run) => Control(() =>
    {
        Pump.Replace(run.Timeline, run.Markers, run.Events);
        if (run.Layout is { } layout) Pump.Layout.Restore(layout);
    }, "Started a new cluster.");

    /// <summary>
    /// Starts over as a private copy of <paramref name="source"/>'s head (a room's fork): a clone at this
    /// moment (no replay of its history), its markers and speed, and its servers where they are drawn there.
    /// </summary>
    public ActionResult Fork(ClusterPump source) => Control(() =>
    {
        ArgumentNullException.ThrowIfNull(source);
        Pump.Replace(Timeline.StartingFrom(source.Read(c => c.Clone(keepEvents: 0))), source.Markers);
        Pump.SetSpeed(source.Speed);
        Pump.Layout.CopyFrom(source.Layout);
    }, "Forked: this copy is yours.");

    /// <summary>Starts over at <paramref name="cluster"/>'s moment (it cannot be rewound before it).</summary>
    public ActionResult Replace(Cluster cluster) => Control(() => Pump.Replace(cluster), "Started a new cluster.");

    private ActionResult Control(Action change, string done)
    {
        if (!CanControl) return ActionResult.Refused(WatchOnly);
        change();
        return ActionResult.Done(done);
    }

    /// <summary>
    /// The newest events, oldest first: up to <see cref="FeedCapacity"/> that the feed tells by default
    /// (elections, faults, commits, client answers) and, kept apart, up to as many of the routine
    /// traffic (heartbeats, timer resets), so twenty heartbeats a second never push the news out.
    /// </summary>
    /// <remarks>In the past only the events up to the cursor are given.</remarks>
    public IReadOnlyList<ClusterEvent> RecentEvents
    {
        get
        {
            var upTo = Cursor ?? long.MaxValue;
            lock (_feedGate)
            {
                var merged = new List<ClusterEvent>(_news.Count + _traffic.Count);
                var (n, t) = (_news.First, _traffic.First);
                while (n is not null || t is not null)
                {
                    StampedEvent e;
                    if (t is null || (n is not null && n.Value.Seq < t.Value.Seq)) { e = n!.Value.Event; n = n.Next; }
                    else { e = t.Value.Event; t = t.Next; }
                    if (e.Step <= upTo) merged.Add(e.Event);
                }
                return merged;
            }
        }
    }

    /// <summary>Calls <paramref name="onChange"/> (off the UI thread) after every publish until disposed.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        Changed += onChange;
        return new Unsubscriber(() => Changed -= onChange);
    }

    private void OnPublished(Publication publication)
    {
        lock (_feedGate)
        {
            if (publication.Generation != _generation)
            {
                // A reset or a replay reached this pump, from whichever page: old events no longer belong, nor does a moment of the old run.
                _generation = publication.Generation;
                _news.Clear();
                _traffic.Clear();
                _ownFrame = null;
            }
            if (publication.CutAfterStep is { } cut)
            {
                // A fork: what the abandoned future said is not this branch's story.
                RemoveAfter(_news, cut);
                RemoveAfter(_traffic, cut);
            }
            for (var i = 0; i < publication.Events.Count; i++)
            {
                var list = publication.IsNews(i) ? _news : _traffic;
                list.AddLast((_feedSeq++, publication.Events[i]));
                if (list.Count > FeedCapacity) list.RemoveFirst();
            }
        }
        Changed?.Invoke();
    }

    private static void RemoveAfter(LinkedList<(long Seq, StampedEvent Event)> list, long step)
    {
        while (list.Last is { } last && last.Value.Event.Step > step) list.RemoveLast();
    }

    /// <summary>Forget the feed (after a reset or a replay, old events no longer belong).</summary>
    public void ClearFeed()
    {
        lock (_feedGate)
        {
            _news.Clear();
            _traffic.Clear();
        }
    }

    public void Dispose()
    {
        Pump.FramePublished -= OnPublished;
        if (_ownsPump) Pump.Dispose();
    }

    private sealed class Unsubscriber(Action undo) : IDisposable
    {
        private Action? _undo = undo;
        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
