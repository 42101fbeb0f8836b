using System.Globalization;
using MudBlazor;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Correctness the student can see: the Figure 3 properties, green while the safety monitor finds
/// them holding, and whether the client history so far is linearizable. Both come from the pump:
/// the violations with each frame, the history's verdict from the pump's one checker (see
/// <see cref="ClusterPump.History"/>), which this badge keeps running while it is on the page.
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

    private LiveCluster? _watched;
    private IDisposable? _watch;

    private bool Safe => Snapshot.Violations.Count == 0;
    private bool Holds(SafetyProperty p) => Snapshot.Violations.All(v => v.Property != p);
    private IEnumerable<SafetyViolation> FirstPerProperty => Snapshot.Violations.GroupBy(v => v.Property).Select(g => g.First()).Take(3);

    private HistoryVerdict Verdict => Live.History;
    private LinearizabilityResult? Result => Verdict.Result;
    private int CheckedOps => Verdict.CheckedOperations;
    private long DroppedOps => Verdict.DroppedOperations;

    protected override object ChangeKey() => (Snapshot.Violations.Count, Verdict.Version);

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        if (ReferenceEquals(_watched, Live)) return;
        _watch?.Dispose();
        _watched = Live;
        _watch = Live.WatchHistory();
    }

    private string HistoryState => Result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => "linearizable",
        LinearizabilityVerdict.NotLinearizable => "violation",
        LinearizabilityVerdict.Unknown => "unknown",
        _ => "checking",
    };

    private string HistoryCss => Result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => "ok",
        LinearizabilityVerdict.NotLinearizable => "broken",
        _ => "pending",
    };

    private string HistoryMark => Result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => "✓",
        LinearizabilityVerdict.NotLinearizable => "✗",
        _ => "· checking",
    };

    private string HistoryIcon => Result?.Verdict switch
    {
        LinearizabilityVerdict.Linearizable => Icons.Material.Filled.CheckCircle,
        LinearizabilityVerdict.NotLinearizable => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.HourglassTop,
    };

    private string HistoryDetail => Result?.Verdict switch
    {
        null => "Checking the client operations so far…",
        LinearizabilityVerdict.Linearizable when CheckedOps == 0 => "No client operations yet: write a key to test it.",
        LinearizabilityVerdict.Linearizable when DroppedOps > 0 =>
            $"{CheckedOps + DroppedOps} operations can be put in one order that respects real time and gives every read its value " +
            $"(the oldest {DroppedOps} were checked as they were dropped from the kept history).",
        LinearizabilityVerdict.Linearizable =>
            $"{CheckedOps} operation{(CheckedOps == 1 ? "" : "s")} can be put in one order that respects real time and gives every read its value.",
        LinearizabilityVerdict.NotLinearizable => $"No order of the operations on key \"{Result.FailingKey}\" explains what the clients saw.",
        _ => $"Undecided: {CheckedOps} operations did not finish checking within {HistoryChecker.CheckBudget.TotalSeconds:0} s; it tries again as the history grows.",
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
        _watch?.Dispose();
        _watch = null;
        base.Dispose();
    }
}
