using System.Diagnostics;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Sessions;

/// <summary>
/// What the linearizability checker last said about one cluster's client history: null
/// <see cref="Result"/> while the first check of this cluster is still running.
/// <see cref="Version"/> moves with every new verdict, so a page re-renders only then.
/// </summary>
public sealed record HistoryVerdict(LinearizabilityResult? Result, int CheckedOperations, long DroppedOperations, long Version)
{
    public static readonly HistoryVerdict Checking = new(null, 0, 0, 0);
}

/// <summary>
/// The one history checker of a <see cref="ClusterPump"/>: however many pages watch the cluster, its
/// client history is checked once per change, off the pump's thread and the renderers', at most once a
/// second of wall time (and never more than a third of the time when checks get long). It checks only
/// while somebody watches (<see cref="Watch"/>), so a cluster nobody looks at costs nothing. The pump
/// tells it after each publish whether the history changed (<see cref="Note"/>); a new verdict is
/// published like any other change.
/// </summary>
internal sealed class HistoryChecker(ClusterPump pump) : IDisposable
{
    /// <summary>The least wall time between two checks.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    /// <summary>How long one check may search before it says "undecided".</summary>
    public static readonly TimeSpan CheckBudget = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly Stopwatch _sinceCheck = new();
    private TimeSpan _lastDuration;
    private int _watchers;
    private bool _running;
    private bool _disposed;
    /// <summary>The history the pump has now, and the one the verdict is about: the head and its count of client events.</summary>
    private HistorySignature? _wanted, _checked;
    private HistoryVerdict _verdict = HistoryVerdict.Checking;
    private long _checks;

    public HistoryVerdict Verdict
    {
        get { lock (_gate) return _verdict; }
    }

    /// <summary>How many checks this pump has run.</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>Starts checking while the returned subscription lives (a badge on a page).</summary>
    public IDisposable Watch()
    {
        lock (_gate) _watchers++;
        StartIfDue();
        return new Unwatch(this);
    }

    /// <summary>Called by the pump with what its history looks like now (cheap: no copy).</summary>
    public void Note(HistorySignature now)
    {
        lock (_gate)
        {
            if (_wanted is { } before && !ReferenceEquals(before.Head, now.Head) && _verdict.Result is not null)
                _verdict = HistoryVerdict.Checking with { Version = _verdict.Version + 1 }; // a new cluster: the old verdict no longer applies
            _wanted = now;
        }
        StartIfDue();
    }

    private void StartIfDue()
    {
        lock (_gate)
        {
            if (_disposed || _running || _watchers == 0 || _wanted is null || _wanted == _checked) return;
            _running = true;
        }
        _ = Task.Run(CheckLoop);
    }

    private async Task CheckLoop()
    {
        try
        {
            while (true)
            {
                var gap = CheckInterval > 2 * _lastDuration ? CheckInterval : 2 * _lastDuration;
                if (_sinceCheck.IsRunning && _sinceCheck.Elapsed < gap)
                    await Task.Delay(gap - _sinceCheck.Elapsed).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_disposed || _watchers == 0 || _wanted == _checked) { _running = false; return; }
                }
                _sinceCheck.Restart();
                // The history is bounded: what was dropped is behind the cut, which the check starts from.
                var (signature, history, cut) = pump.CopyHistory();
                var result = LinearizabilityChecker.Check(history, CheckBudget, cut);
                _lastDuration = _sinceCheck.Elapsed;
                Interlocked.Increment(ref _checks);
                lock (_gate)
                {
                    if (_disposed) { _running = false; return; }
                    _checked = signature;
                    if (_wanted is { } wanted && !ReferenceEquals(wanted.Head, signature.Head)) continue; // the cluster was replaced meanwhile
                    _verdict = new HistoryVerdict(result, history.Count, cut.DroppedOperations, _verdict.Version + 1);
                }
                pump.HistoryChecked();
            }
        }
        catch (Exception)
        {
            lock (_gate) _running = false;
            throw;
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
    }

    private sealed class Unwatch(HistoryChecker checker) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            lock (checker._gate) checker._watchers--;
        }
    }
}

/// <summary>What a cluster's client history looks like at a moment: which cluster, and how many client requests were started and answered in it.</summary>
internal readonly record struct HistorySignature(Cluster Head, long ClientEvents);
