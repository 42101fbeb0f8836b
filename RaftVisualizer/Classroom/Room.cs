using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Classroom;

/// <summary>
/// One shared classroom cluster: a pump that every viewer watches, a join code, and a presenter key
/// that alone may drive it. Each publish of the pump becomes one small batch, fanned out off the pump
/// thread to every hub viewer through its own <see cref="ViewerOutbox"/>.
/// </summary>
public sealed class Room : IDisposable
{
    /// <summary>Publishes waiting for the fan-out; beyond this the oldest are dropped (viewers resync from the seq gap).</summary>
    private const int MaxQueuedPublishes = 64;

    private readonly ConcurrentDictionary<string, ViewerOutbox> _hubViewers = new();
    private readonly Channel<(Publication Publication, long PublishedAt)> _publishes =
        Channel.CreateBounded<(Publication, long)>(
            new BoundedChannelOptions(MaxQueuedPublishes) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly object _viewerGate = new();
    private readonly TimeProvider _time;
    private readonly Task _dispatcher;
    private int _pageViewers;
    private long _seq;
    private long _lastViewerLeftTicks;
    private int _closed;

    private readonly Func<IReadOnlyList<string>, EventBatchDto, Task>? _sendShared;
    private readonly RoomOptions _limits;
    private readonly object _writeGate = new();
    private readonly List<ClientOperation> _inFlight = new();
    private long _writtenBytes;

    /// <summary>What each client operation counts against <see cref="RoomOptions.MaxWriteBytesPerRoom"/> besides its key and value.</summary>
    public const int OperationOverheadBytes = 64;

    /// <param name="sendShared">Sends one batch to many connections with one serialization (the hub's); null sends per viewer.</param>
    internal Room(string code, string presenterKey, ClusterPump pump, RoomOptions limits, TimeProvider time,
        Func<IReadOnlyList<string>, EventBatchDto, Task>? sendShared = null, string? creator = null)
    {
        _sendShared = sendShared;
        _limits = limits;
        Code = code;
        PresenterKey = presenterKey;
        Pump = pump;
        MaxViewers = limits.MaxViewersPerRoom;
        Creator = creator;
        _time = time;
        CreatedAt = time.GetUtcNow();
        _lastViewerLeftTicks = CreatedAt.UtcTicks;
        Pump.FramePublished += OnPublished;
        _dispatcher = Task.Run(DispatchAsync);
    }

    public string Code { get; }
    /// <summary>Whoever holds this may drive the room.</summary>
    public string PresenterKey { get; }
    public ClusterPump Pump { get; }
    public int MaxViewers { get; }
    /// <summary>Who asked for the room (an address), or null for the server itself; counted against the per-client limits.</summary>
    public string? Creator { get; }
    /// <summary>Bytes of client operations this room has taken so far (see <see cref="RoomOptions.MaxWriteBytesPerRoom"/>).</summary>
    public long WrittenBytes => Interlocked.Read(ref _writtenBytes);
    public DateTimeOffset CreatedAt { get; }
    public string Url => $"/room/{Code}";
    public bool IsClosed => Volatile.Read(ref _closed) != 0;
    public string? ClosedReason { get; private set; }

    public int HubViewers => _hubViewers.Count;
    public int PageViewers => Volatile.Read(ref _pageViewers);
    public int Viewers => HubViewers + PageViewers;

    /// <summary>The later of the last presenter command (the pump's last change) and the last viewer leaving.</summary>
    public DateTimeOffset LastActivity
    {
        get
        {
            var left = new DateTimeOffset(Interlocked.Read(ref _lastViewerLeftTicks), TimeSpan.Zero);
            return Pump.LastActivity > left ? Pump.LastActivity : left;
        }
    }

    /// <summary>Raised once when the room closes, with the reason.</summary>
    public event Action<string>? Closed;

    /// <summary>True when <paramref name="key"/> is this room's presenter key (compared in constant time).</summary>
    public bool IsPresenter(string? key) =>
        !string.IsNullOrEmpty(key) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(PresenterKey));

    /// <summary>
    /// The full state now (read from the cluster, not the last publish), for a late joiner. A batch
    /// already on its way may be older; a client ignores batches whose NowMs is before the snapshot's.
    /// </summary>
    /// <remarks>With the presenter's cursor in the past it is the frame there; <see cref="RoomSnapshotDto.Generation"/> counts resets.</remarks>
    public RoomSnapshotDto BuildSnapshot() =>
        ClassroomMapper.Snapshot(Code, Pump.IsLive ? Pump.Read(c => c.Frame()) : Pump.Frame, Pump.Speed, Pump.IsPaused,
            _time.GetUtcNow().ToUnixTimeMilliseconds(), Pump.Generation, Pump.IsLive);

    /// <summary>Adds a hub connection; it is sent the full snapshot, then every batch. Null when accepted, else why not.</summary>
    public string? TryAddHubViewer(string connectionId, IClusterClient client)
    {
        ViewerOutbox outbox;
        lock (_viewerGate)
        {
            if (IsClosed) return $"Room {Code} has closed: {ClosedReason}";
            if (_hubViewers.ContainsKey(connectionId)) return null;
            if (Viewers >= MaxViewers) return FullMessage();
            outbox = new ViewerOutbox(connectionId, client, BuildSnapshot);
            _hubViewers[connectionId] = outbox;
        }
        outbox.Start();
        return null;
    }

    public void RemoveHubViewer(string connectionId)
    {
        if (_hubViewers.TryRemove(connectionId, out var outbox))
        {
            outbox.Close();
            ViewerLeft();
        }
    }

    /// <summary>Counts a browser page watching the room; dispose the result when the page goes. Null (with why) when full.</summary>
    public IDisposable? TryAddPageViewer(out string? refusal)
    {
        lock (_viewerGate)
        {
            refusal = IsClosed ? $"Room {Code} has closed: {ClosedReason}" : Viewers >= MaxViewers ? FullMessage() : null;
            if (refusal is not null) return null;
            _pageViewers++;
        }
        return new PageViewer(this);
    }

    /// <summary>
    /// Submits a client operation to the room's cluster unless it breaks a limit of the room: its operations
    /// in flight, its lifetime write budget, its store's keys and bytes. Every write to a room goes through here
    /// (hub and page), so a room holds a bounded amount whoever writes to it.
    /// </summary>
    /// <returns>The operation, or null with a sentence saying why not.</returns>
    public ClientOperation? Submit(KvCommand command, out string? refusal, NodeId? via = null)
    {
        refusal = KvLimits.Validate(command);
        if (refusal is not null) return null;
        lock (_writeGate)
        {
            if (IsClosed)
            {
                refusal = $"Room {Code} has closed: {ClosedReason}";
                return null;
            }
            var cost = Cost(command);
            refusal = Pump.Read(c => CheckLimits(c, command, cost));
            if (refusal is not null) return null;
            var op = Pump.Submit(command, via);
            _inFlight.Add(op);
            Interlocked.Add(ref _writtenBytes, cost);
            return op;
        }
    }

    private static long Cost(KvCommand command) =>
        Encoding.UTF8.GetByteCount(command.Key) + (command.Value is { } v ? Encoding.UTF8.GetByteCount(v) : 0) + OperationOverheadBytes;

    /// <summary>Under the pump's lock (operations complete on the pump's thread).</summary>
    private string? CheckLimits(Cluster cluster, KvCommand command, long cost)
    {
        _inFlight.RemoveAll(o => o.IsCompleted);
        if (_inFlight.Count >= _limits.MaxOperationsInFlightPerRoom)
            return $"Room {Code} already has {_inFlight.Count} operations waiting for an answer, its limit; wait for them to finish.";
        if (WrittenBytes + cost > _limits.MaxWriteBytesPerRoom)
            return $"Room {Code} has taken all the writes it may ({Size(_limits.MaxWriteBytesPerRoom)} in all, to keep its memory bounded). Fork it into your own copy, or share a new room.";
        if (command.Kind is not (KvCommandKind.Put or KvCommandKind.Append)) return null;

        // The store as it will be once every write in flight and this one apply (the fullest server's map).
        var store = new Dictionary<string, string>(cluster.Nodes.Select(n => n.Kv).MaxBy(kv => kv.Count) ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var pending in _inFlight.Select(o => o.Command).Append(command))
        {
            if (pending.Kind == KvCommandKind.Put) store[pending.Key] = pending.Value ?? "";
            else if (pending.Kind == KvCommandKind.Append) store[pending.Key] = (store.GetValueOrDefault(pending.Key) ?? "") + pending.Value;
            else if (pending.Kind == KvCommandKind.Delete) store.Remove(pending.Key);
        }
        if (store.Count > _limits.MaxKeysPerRoom)
            return $"Room {Code}'s store is full: it holds its limit of {_limits.MaxKeysPerRoom} keys. Overwrite or delete an existing key.";
        var bytes = store.Sum(kv => (long)Encoding.UTF8.GetByteCount(kv.Key) + Encoding.UTF8.GetByteCount(kv.Value));
        if (bytes > _limits.MaxKvBytesPerRoom)
            return $"Room {Code}'s store would hold {Size(bytes)}, over its limit of {Size(_limits.MaxKvBytesPerRoom)}. Use a shorter value, or overwrite or delete a key.";
        return null;
    }

    private static string Size(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} bytes";

    private void ViewerLeft() => Interlocked.Exchange(ref _lastViewerLeftTicks, _time.GetUtcNow().UtcTicks);

    /// <summary>The hub connections watching now.</summary>
    public IReadOnlyCollection<string> HubConnectionIds => _hubViewers.Keys.ToArray();

    private string FullMessage() =>
        $"Room {Code} already has its maximum of {MaxViewers} viewers. Ask the presenter to share a new room, or fork this one into your own copy.";

    private void OnPublished(Publication publication)
    {
        // On the pump's thread: only hand over; the dispatcher maps and fans out.
        if (_hubViewers.IsEmpty) return;
        _publishes.Writer.TryWrite((publication, _time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    private async Task DispatchAsync()
    {
        var lastNow = TimeSpan.MinValue;
        var generation = Pump.Generation;
        long? lastShown = null; // the step of the frame last sent while in the past; null while live
        await foreach (var (publication, publishedAt) in _publishes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var snapshot = publication.Frame;
            var live = publication.IsLive;
            if (publication.Generation != generation || snapshot.Now < lastNow || publication.CutAfterStep is not null || (!live && snapshot.Steps != lastShown))
            {
                // A reset, a seek or a fork by the presenter: a batch cannot say that; a snapshot (with the generation) can.
                generation = publication.Generation;
                lastNow = snapshot.Now;
                lastShown = live ? null : snapshot.Steps;
                foreach (var outbox in _hubViewers.Values) outbox.Resync();
                continue;
            }
            if (!live) continue; // the presenter holds a moment in the past: the head runs on unseen
            lastShown = null;
            lastNow = snapshot.Now;
            var events = publication.Events.Select(e => e.Event).ToArray();
            var (dtos, dropped) = ClassroomMapper.Events(events);
            var batch = new EventBatchDto(Code, Interlocked.Increment(ref _seq), ClassroomMapper.Ms(snapshot.Now), snapshot.Leader?.Value,
                ClassroomMapper.Briefs(snapshot), dtos, dropped, publishedAt, Pump.IsPaused, Pump.Speed);
            FanOut(batch);
        }
    }

    /// <summary>
    /// Viewers in step (nothing queued, nothing in flight) get the batch in one shared send; the rest
    /// queue it in their own outbox. Nothing here waits for any client.
    /// </summary>
    private void FanOut(EventBatchDto batch)
    {
        List<ViewerOutbox>? shared = null;
        foreach (var outbox in _hubViewers.Values)
        {
            if (_sendShared is not null && outbox.TryClaimForSharedSend()) (shared ??= new()).Add(outbox);
            else outbox.Post(batch);
        }
        if (shared is null) return;
        Task send;
        try
        {
            send = _sendShared!(shared.Select(o => o.ConnectionId).ToArray(), batch);
        }
        catch (Exception)
        {
            send = Task.FromException(new InvalidOperationException("shared send failed"));
        }
        if (send.IsCompletedSuccessfully)
        {
            foreach (var o in shared) o.SharedSendCompleted(failed: false);
            return;
        }
        _ = send.ContinueWith(t =>
        {
            foreach (var o in shared) o.SharedSendCompleted(failed: false); // a failed connection is removed by OnDisconnected
        }, TaskScheduler.Default);
    }

    /// <summary>Closes the room: viewers are told why, the pump stops.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        ClosedReason = reason;
        Pump.FramePublished -= OnPublished;
        _publishes.Writer.TryComplete();
        foreach (var outbox in _hubViewers.Values) outbox.Close();
        Closed?.Invoke(reason);
    }

    public void Dispose()
    {
        Close("the server is shutting down");
        try { _dispatcher.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        Pump.Dispose();
    }

    private sealed class PageViewer(Room room) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Interlocked.Decrement(ref room._pageViewers);
            room.ViewerLeft();
        }
    }
}
