using RaftVisualizer.Core.Scenarios;

namespace RaftVisualizer.Sessions;

/// <summary>
/// Where the user dragged each server on the drawing, kept for the session and shared by every
/// page on the same pump (a room's viewers see the presenter's layout). Positions are the centres
/// of the servers in drawing units. <see cref="Version"/> moves on every change, so a view applies
/// the layout only when someone changed it, never in the middle of its own drag.
/// </summary>
public sealed class ServerLayout
{
    private readonly object _gate = new();
    private Dictionary<int, (double X, double Y)> _positions = new();

    public long Version { get; private set; }

    /// <summary>Raised (off the UI thread, outside the lock) after every change, so every page redraws at once, paused or not.</summary>
    public event Action? Changed;

    /// <summary>The dragged servers' centres; a server never dragged is absent and sits on the ring.</summary>
    public IReadOnlyDictionary<int, (double X, double Y)> Positions
    {
        get { lock (_gate) return _positions; }
    }

    internal void Move(int server, double x, double y)
    {
        lock (_gate)
        {
            _positions = new Dictionary<int, (double X, double Y)>(_positions) { [server] = (x, y) };
            Version++;
        }
        Changed?.Invoke();
    }

    /// <summary>Puts the servers where a run says (an imported file, a share link); the others go back on the ring.</summary>
    internal void Restore(IEnumerable<RaftVisualizer.Core.Scenarios.ServerPosition> layout)
    {
        lock (_gate)
        {
            _positions = layout.ToDictionary(p => p.Node.Value, p => (p.X, p.Y));
            Version++;
        }
        Changed?.Invoke();
    }

    /// <summary>Takes <paramref name="other"/>'s positions, every server where it is there (a fork of a room opens with the presenter's layout).</summary>
    internal void CopyFrom(ServerLayout other)
    {
        var positions = other.Positions; // never changed in place: every change swaps in a new dictionary
        lock (_gate)
        {
            _positions = new Dictionary<int, (double X, double Y)>(positions);
            Version++;
        }
        Changed?.Invoke();
    }

    internal void Reset()
    {
        lock (_gate)
        {
            _positions = new();
            Version++;
        }
        Changed?.Invoke();
    }
}
