using RaftVisualizer.Core;

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
    private readonly LinkedList<ClusterEvent> _feed = new();
    private readonly object _feedGate = new();
    private event Action? Changed;

    public LiveCluster(ClusterPump pump, bool ownsPump, bool canControl)
    {
        Pump = pump;
        _ownsPump = ownsPump;
        CanControl = canControl;
        Pump.Published += OnPublished;
    }

    public ClusterPump Pump { get; }
    /// <summary>False for a room viewer without the presenter key: they may only watch.</summary>
    public bool CanControl { get; set; }
    public ClusterSnapshot Snapshot => Pump.Latest;

    /// <summary>The newest events, oldest first, at most <see cref="FeedCapacity"/>.</summary>
    public IReadOnlyList<ClusterEvent> RecentEvents
    {
        get { lock (_feedGate) return _feed.ToArray(); }
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
                _feed.AddLast(e);
                if (_feed.Count > FeedCapacity) _feed.RemoveFirst();
            }
        }
        Changed?.Invoke();
    }

    /// <summary>Forget the feed (after a reset or a replay, old events no longer belong).</summary>
    public void ClearFeed()
    {
        lock (_feedGate) _feed.Clear();
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
