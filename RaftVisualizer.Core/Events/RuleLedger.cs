namespace RaftVisualizer.Core.Events;

/// <summary>
/// The last time each rule was applied in a run, and the rule applied last: what the rules card
/// shows. A cluster keeps one over its whole run (however few events its record keeps) and each
/// frame carries a copy, so a frame at the timeline's cursor shows the rules as they stood then.
/// It holds the events themselves (noting one allocates nothing: the cluster notes every event);
/// <see cref="RuleApplied"/> is built when the card reads it.
/// </summary>
public sealed class RuleLedger : IEquatable<RuleLedger>
{
    private static readonly int RuleCount = Enum.GetValues<RaftRule>().Length;
    private readonly ClusterEvent?[] _latest;
    private ClusterEvent? _last;

    /// <summary>No rule applied yet.</summary>
    public RuleLedger() => _latest = new ClusterEvent?[RuleCount];

    private RuleLedger(RuleLedger source)
    {
        _latest = (ClusterEvent?[])source._latest.Clone();
        _last = source._last;
    }

    /// <summary>The ledger of a list of events, oldest first: the rules they record, as a cluster would have noted them.</summary>
    public static RuleLedger Of(IEnumerable<ClusterEvent> events)
    {
        var ledger = new RuleLedger();
        foreach (var e in events) ledger.Observe(e);
        return ledger;
    }

    /// <summary>The rule applied most recently, or null when none has been.</summary>
    public RuleApplied? Last => RuleApplied.Of(_last);

    /// <summary>The last time <paramref name="rule"/> was applied, or null when it never was.</summary>
    public RuleApplied? Latest(RaftRule rule) => RuleApplied.Of(_latest[(int)rule]);

    /// <summary>Notes the rule an event records, if any (only the cluster that owns the ledger calls this).</summary>
    internal void Observe(ClusterEvent e)
    {
        if (!RuleApplied.TryRead(e, out _, out var cause)) return;
        _latest[(int)cause.Rule] = e;
        _last = e;
    }

    /// <summary>A copy that the owner's later events do not change.</summary>
    public RuleLedger Copy() => new(this);

    /// <summary>Two ledgers are equal when they hold the same applications (frames compare by value).</summary>
    public bool Equals(RuleLedger? other) =>
        other is not null && Equals(_last, other._last) && _latest.AsSpan().SequenceEqual(other._latest);

    public override bool Equals(object? obj) => Equals(obj as RuleLedger);

    public override int GetHashCode() => _last?.Time.GetHashCode() ?? 0; // equal ledgers have the same last event
}
