using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Narration;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Figure 2 of the Raft paper, compact: the receiver rules of RequestVote and AppendEntries and
/// the rules for servers, plus the thesis's extensions. Each rule shows the last time a server
/// applied it, with the values it compared, and the rule applied last (at the timeline's cursor:
/// it reads the events the views get, never the live cluster) lights up.
/// </summary>
public partial class RulesCard
{
    /// <summary>The events up to the cursor, oldest first (as <c>LiveCluster.RecentEvents</c> gives them).</summary>
    [Parameter, EditorRequired] public IReadOnlyList<ClusterEvent> Events { get; set; } = [];

    private static readonly IReadOnlyList<(RuleBox Box, RaftRule[] Rules)> Boxes =
        RuleBook.All.GroupBy(RuleBook.Box).OrderBy(g => g.Key).Select(g => (g.Key, g.ToArray())).ToArray();

    private Dictionary<RaftRule, RuleApplied> _latest = new();
    private RuleApplied? _last;
    private (int Count, ClusterEvent? Last) _read;

    protected override void OnParametersSet()
    {
        var now = (Events.Count, Events.Count > 0 ? Events[^1] : null);
        if (now.Item1 == _read.Count && ReferenceEquals(now.Item2, _read.Last)) return;
        _read = now;
        var latest = new Dictionary<RaftRule, RuleApplied>();
        RuleApplied? last = null;
        for (var i = Events.Count - 1; i >= 0 && latest.Count < RuleBook.All.Count; i--)
        {
            if (CauseNarrator.Applied(Events[i]) is not { } applied || latest.ContainsKey(applied.Rule)) continue;
            latest[applied.Rule] = applied;
            last ??= applied;
        }
        (_latest, _last) = (latest, last);
    }

    private bool IsLit(RaftRule rule) => _last is { } last && last.Rule == rule;

    private static string Values(RuleApplied a) => $"{a.Node} at {EventNarrator.Clock(a.Time)}: {CauseNarrator.Comparison(a.Cause)}";
}
