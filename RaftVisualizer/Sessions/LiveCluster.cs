using RaftVisualizer.Core;
using RaftVisualizer.Core.Narration;

namespace RaftVisualizer.Sessions;

/// <summary>
/// A live view onto one pump for one page: the latest snapshot, a bounded feed of recent events,
/// and a change notification. A private session owns its pump; a room viewer shares the room's.
/// Components subscribe with <see cref="Subscribe"/> and dispose of the subscription.
/// </summary>
public sealed class LiveCluster : IDisposable
{
    public const int FeedCapacity = 400;

    private readonly bool _ownsPump;
    private readonly LinkedList<(long Seq, ClusterEvent Event)> _news = new();
    private readonly LinkedList<(long Seq, ClusterEvent Event)> _traffic = new();
    private long _feedSeq;
    private readonly object _feedGate = new();
    private event Action? Changed;

    /// <summary>A submit that applies a caller's own limits first (a room's caps); null when refused, with why.</summary>
    public delegate ClientOperation? Submitter(KvCommand command, out string? refusal);

    private readonly Submitter? _submit;

    /// <param name="submit">How writes reach the cluster when something must check them first (a room's caps); null submits directly.</param>
    public LiveCluster(ClusterPump pump, bool ownsPump, bool canControl, Submitter? submit = null)
    {
        _submit = submit;
        Pump = pump;
        _ownsPump = ownsPump;
        CanControl = canControl;
        Pump.Published += OnPublished;
    }

    /// <summary>Said to anyone who tries to act without the right to; every control method below checks it.</summary>
    public const string WatchOnly = "Watch-only: the presenter controls this cluster. Fork it to get a copy of your own.";

    public ClusterPump Pump { get; }
    /// <summary>False for a room viewer without the presenter key: they may only watch.</summary>
    public bool CanControl { get; set; }
    public ClusterSnapshot Snapshot => Pump.Latest;
    public bool IsPaused => Pump.IsPaused;
    public double Speed => Pump.Speed;

    /// <summary>Reads the cluster without changing it (anyone may).</summary>
    public T Read<T>(Func<Cluster, T> query) => Pump.Read(query);

    // Every way a page changes the cluster or its pacing goes through one of these, and each checks
    // the right to control here, on the server: a control disabled in the browser is only a hint.

    /// <summary>Runs a cluster action (crash, partition, latency, ...); refused for a watcher.</summary>
    public ActionResult Act(Func<Cluster, ActionResult> action) =>
        CanControl ? Pump.Execute(action) : ActionResult.Refused(WatchOnly);

    /// <summary>Submits a client command; null (with <paramref name="refusal"/>) for a watcher.</summary>
    public ClientOperation? Submit(KvCommand command, out string? refusal)
    {
        if (!CanControl)
        {
            refusal = WatchOnly;
            return null;
        }
        if (_submit is not null) return _submit(command, out refusal);
        refusal = null;
        return Pump.Execute(c => c.Submit(command));
    }

    public ActionResult Pause() => Control(Pump.Pause, "Paused.");
    public ActionResult Resume() => Control(Pump.Resume, "Running.");
    public ActionResult TogglePause() => IsPaused ? Resume() : Pause();

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
        double.IsFinite(x) && double.IsFinite(y)
            ? Control(() => Pump.Layout.Move(server.Value, x, y), $"{server} moved.")
            : ActionResult.Refused("A position must be a finite number.");

    /// <summary>Puts every server back on the ring; refused for a watcher.</summary>
    public ActionResult ResetLayout() => Control(Pump.Layout.Reset, "Servers back on the ring.");

    /// <summary>Starts over with <paramref name="cluster"/> (a reset or a replay) and forgets the feed.</summary>
    public ActionResult Replace(Cluster cluster) => Control(() =>
    {
        Pump.Replace(cluster);
        ClearFeed();
    }, "Started a new cluster.");

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
    public IReadOnlyList<ClusterEvent> RecentEvents
    {
        get
        {
            lock (_feedGate)
            {
                var merged = new ClusterEvent[_news.Count + _traffic.Count];
                var (n, t, i) = (_news.First, _traffic.First, 0);
                while (n is not null || t is not null)
                {
                    if (t is null || (n is not null && n.Value.Seq < t.Value.Seq)) { merged[i++] = n!.Value.Event; n = n.Next; }
                    else { merged[i++] = t.Value.Event; t = t.Next; }
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

    private void OnPublished(ClusterSnapshot snapshot, IReadOnlyList<ClusterEvent> events)
    {
        lock (_feedGate)
        {
            foreach (var e in events)
            {
                var list = EventNarrator.IsNews(e) ? _news : _traffic;
                list.AddLast((_feedSeq++, e));
                if (list.Count > FeedCapacity) list.RemoveFirst();
            }
        }
        Changed?.Invoke();
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
        Pump.Published -= OnPublished;
        if (_ownsPump) Pump.Dispose();
    }

    private sealed class Unsubscriber(Action undo) : IDisposable
    {
        private Action? _undo = undo;
        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
