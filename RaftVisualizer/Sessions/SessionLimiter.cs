namespace RaftVisualizer.Sessions;

/// <summary>Caps how many private clusters run at once, so many tabs cannot exhaust the server.</summary>
public sealed class SessionLimiter(int capacity)
{
    private int _active;

    public int Capacity { get; } = capacity;

    /// <summary>Takes a slot; null when the server is full.</summary>
    public IDisposable? TryAcquire()
    {
        if (Interlocked.Increment(ref _active) <= Capacity) return new Slot(this);
        Interlocked.Decrement(ref _active);
        return null;
    }

    private sealed class Slot(SessionLimiter owner) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Interlocked.Decrement(ref owner._active);
        }
    }
}
