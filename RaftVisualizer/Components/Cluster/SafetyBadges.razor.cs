using System.Diagnostics;
using System.Globalization;
using MudBlazor;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Correctness the student can see: the Figure 3 properties, green while the safety monitor finds
/// them holding, and whether the client history so far is linearizable. The history check runs
/// off the render path, at most once a second of wall time, and again when the history changed.
/// A violation (only possible with a broken-rule switch) says what happened, when, and which rule.
/// </summary>
public partial class SafetyBadges
{
    private static readonly SafetyProperty[] Figure3 =
    [
        SafetyProperty.ElectionSafety, SafetyProperty.LeaderAppendOnly, SafetyProperty.LogMatching,
        SafetyProperty.LeaderCompleteness, SafetyProperty.StateMachineSafety,
    ];
    private static readonly SafetyProperty[] Extra = [.. Enum.GetValues<SafetyProperty>().Except(Figure3)];

    /// <summary>The least wall time between two history checks.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    /// <summary>How long one check may search before it says "undecided".</summary>
    public static readonly TimeSpan CheckBudget = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly Stopwatch _sinceCheck = new();
    private object? _checkedSignature;
    private object? _wantedSignature;
    private bool _running;
    private bool _disposed;
    private LinearizabilityResult? _result;
    private int _checkedOps;
    private long _droppedOps;
    private int _resultVersion;
    private TimeSpan _lastDuration;

    private bool Safe => Snapshot.Violations.Count == 0;
    private bool Holds(SafetyProperty p) => Snapshot.Violations.All(v => v.Property != p);
    private IEnumerable<SafetyViolation> FirstPerProperty => Snapshot.Violations.GroupBy(v => v.Property).Select(g => g.First()).Take(3);

    protected override object ChangeKey() => (Snapshot.Violations.Count, _resultVersion, _running && _result is null);

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        RequestCheck();
    }

    protected override void OnLiveChanged() => RequestCheck();

    /// <summary>Notes what the history looks like now and starts the checker if it is not running.</summary>
    private void RequestCheck()
    {
        var signature = Live.Pump.Read(Signature);
        lock (_gate)
        {
            if (_checkedSignature is ValueTuple<Core.Cluster, HistoryCut, int, int> old && !ReferenceEquals(old.Item1, signature.Item1))
            {
                _result = null; // a new cluster: the old verdict no longer applies
                _resultVersion++;
            }
            _wantedSignature = signature;
            if (_running || Equals(_wantedSignature, _checkedSignature)) return;
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
                // at most once a second, and never more than a third of the time when checks get long
                var gap = CheckInterval > 2 * _lastDuration ? CheckInterval : 2 * _lastDuration;
                if (_sinceCheck.IsRunning && _sinceCheck.Elapsed < gap)
                    await Task.Delay(gap - _sinceCheck.Elapsed).ConfigureAwait(false);
                var live = Live;
                lock (_gate)
                {
                    if (_disposed || Equals(_wantedSignature, _checkedSignature)) { _running = false; return; }
                }
                _sinceCheck.Restart();
                // The history is bounded: what was dropped is behind the cut, which the check starts from.
                var (signature, history, cut) = live.Pump.Read(c => ((object)Signature(c), ClusterHistoryAdapter.FromCluster(c.History), c.HistoryCut));
                var result = LinearizabilityChecker.Check(history, CheckBudget, cut);
                _lastDuration = _sinceCheck.Elapsed;
                lock (_gate)
                {
                    if (_disposed) { _running = false; return; }
                    _checkedSignature = signature;
                    _result = result;
                    _checkedOps = history.Count;
                    _droppedOps = cut.DroppedOperations;
                    _resultVersion++;
                }
                await InvokeAsync(StateHasChanged).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            lock (_gate) _running = false;
            await DispatchExceptionAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>What the history looks like now: the cut changes when old operations are dropped.</summary>
    private static (Core.Cluster, HistoryCut, int, int) Signature(Core.Cluster c) =>
        (c, c.HistoryCut, c.History.Count, c.History.Count(o => o.IsCompleted));

    private string HistoryState => _result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => "linearizable",
        LinearizabilityVerdict.NotLinearizable => "violation",
        LinearizabilityVerdict.Unknown => "unknown",
        _ => "checking",
    };

    private string HistoryCss => _result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => "ok",
        LinearizabilityVerdict.NotLinearizable => "broken",
        _ => "pending",
    };

    private string HistoryMark => _result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => "✓",
        LinearizabilityVerdict.NotLinearizable => "✗",
        _ => "· checking",
    };

    private string HistoryIcon => _result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => Icons.Material.Filled.CheckCircle,
        LinearizabilityVerdict.NotLinearizable => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.HourglassTop,
    };

    private string HistoryDetail => _result?.Verdict switch
    {
        null => "Checking the client operations so far…",
        LinearizabilityVerdict.Linearizable when _checkedOps == 0 => "No client operations yet: write a key to test it.",
        LinearizabilityVerdict.Linearizable when _droppedOps > 0 =>
            $"{_checkedOps + _droppedOps} operations can be put in one order that respects real time and gives every read its value " +
            $"(the oldest {_droppedOps} were checked as they were dropped from the kept history).",
        LinearizabilityVerdict.Linearizable =>
            $"{_checkedOps} operation{(_checkedOps == 1 ? "" : "s")} can be put in one order that respects real time and gives every read its value.",
        LinearizabilityVerdict.NotLinearizable => $"No order of the operations on key \"{_result.FailingKey}\" explains what the clients saw.",
        _ => $"Undecided: {_checkedOps} operations did not finish checking within {CheckBudget.TotalSeconds:0} s; it tries again as the history grows.",
    };

    private static string Describe(KvHistoryOp op)
    {
        if (op.ClientId == HistoryCut.CarriedClientId)
            return $"{op.Key} = {(string.IsNullOrEmpty(op.Input) ? "nothing" : $"\"{op.Input}\"")}, as the older, dropped operations left it";
        var what = op.Kind switch
        {
            KvOpKind.Get => $"get {op.Key} → {(op.Output is null ? "not found" : $"\"{op.Output}\"")}",
            KvOpKind.Put => $"put {op.Key}={op.Input}",
            KvOpKind.Append => $"append {op.Key}={op.Input}",
            _ => $"delete {op.Key}",
        };
        var call = Ms(op.Call);
        return op.Return is { } ret ? $"{what}, from {call} to {Ms(ret)}" : $"{what}, from {call}, never answered (may or may not have happened)";
    }

    private static string Ms(long ticks) => TimeSpan.FromTicks(ticks).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>"LeaderCompleteness" → "Leader Completeness".</summary>
    private static string Title(SafetyProperty p) => p switch
    {
        SafetyProperty.LeaderAppendOnly => "Leader Append-Only",
        SafetyProperty.IndexOrder => "Index order",
        SafetyProperty.OneVotePerTerm => "One vote per term",
        SafetyProperty.TermsNeverDecrease => "Terms never decrease",
        _ => string.Concat(p.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + ch : ch.ToString())),
    };

    public override void Dispose()
    {
        lock (_gate) _disposed = true;
        base.Dispose();
    }
}
