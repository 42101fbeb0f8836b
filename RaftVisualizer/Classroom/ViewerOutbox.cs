using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Classroom;

/// <summary>
/// What is waiting to go to one hub connection. At most one send is in flight per connection;
/// batches queue behind it up to <see cref="MaxQueuedBatches"/>. A client that falls further
/// behind loses its queue and gets a fresh snapshot instead, so it never holds the room back and
/// never shows a wrong state.
/// </summary>
internal sealed class ViewerOutbox(string connectionId, IClusterClient client, Func<RoomSnapshotDto> snapshot)
{
    public const int MaxQueuedBatches = 16;

    private readonly object _gate = new();
    private readonly Queue<EventBatchDto> _queue = new();
    private bool _sending;
    private bool _resync = true; // the first thing a viewer gets is the full state
    private bool _closed;

    public string ConnectionId { get; } = connectionId;
    /// <summary>How many times this client fell behind and was sent a snapshot instead.</summary>
    public int Resyncs { get; private set; }

    /// <summary>Sends the join snapshot.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_sending) return;
            _sending = true;
        }
        _ = SendLoopAsync();
    }

    public void Post(EventBatchDto batch)
    {
        lock (_gate)
        {
            if (_closed || _resync) return; // the coming snapshot covers it
            if (_queue.Count >= MaxQueuedBatches)
            {
                _queue.Clear();
                _resync = true;
                Resyncs++;
            }
            else
            {
                _queue.Enqueue(batch);
            }
            if (_sending) return;
            _sending = true;
        }
        _ = SendLoopAsync();
    }

    /// <summary>Drops what is queued and sends a fresh snapshot instead (the room's cluster was reset).</summary>
    public void Resync()
    {
        lock (_gate)
        {
            if (_closed) return;
            _queue.Clear();
            _resync = true;
            if (_sending) return;
            _sending = true;
        }
        _ = SendLoopAsync();
    }

    /// <summary>
    /// Claims this viewer for a shared send (one serialization for every in-step viewer) when it has
    /// nothing queued and nothing in flight. The caller then reports <see cref="SharedSendCompleted"/>.
    /// </summary>
    public bool TryClaimForSharedSend()
    {
        lock (_gate)
        {
            if (_closed || _sending || _resync || _queue.Count > 0) return false;
            _sending = true;
            return true;
        }
    }

    public void SharedSendCompleted(bool failed)
    {
        if (failed) Close();
        lock (_gate)
        {
            if (_closed || (_queue.Count == 0 && !_resync))
            {
                _sending = false;
                return;
            }
        }
        _ = SendLoopAsync(); // batches queued behind the shared send go out one by one
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _queue.Clear();
        }
    }

    private async Task SendLoopAsync()
    {
        await Task.Yield(); // never send on the caller's thread (the room's dispatcher)
        while (true)
        {
            Task send;
            lock (_gate)
            {
                if (_closed)
                {
                    _sending = false;
                    return;
                }
                if (_resync)
                {
                    _resync = false;
                    _queue.Clear();
                    send = client.Snapshot(snapshot());
                }
                else if (_queue.TryDequeue(out var batch))
                {
                    send = client.Events(batch);
                }
                else
                {
                    _sending = false;
                    return;
                }
            }
            try
            {
                await send.ConfigureAwait(false);
            }
            catch (Exception)
            {
                Close(); // the connection went away; OnDisconnected removes it from the room
                lock (_gate) _sending = false;
                return;
            }
        }
    }
}
