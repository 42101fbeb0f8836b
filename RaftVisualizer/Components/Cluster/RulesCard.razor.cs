using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Narration;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Figure 2 of the Raft paper, compact: the receiver rules of RequestVote and AppendEntries and
/// the rules for servers, plus the thesis's extensions and client interaction. Each rule shows the
/// last time a server applied it, with the values it compared, and the rule applied last lights
/// up. It reads the frame's <see cref="RuleLedger"/> (at the timeline's cursor, over the whole run
/// up to it), never the live cluster.
/// </summary>
public partial class RulesCard
{
    /// <summary>The rules applied up to the moment shown (<c>ClusterFrame.Rules</c>).</summary>
    [Parameter, EditorRequired] public RuleLedger Rules { get; set; } = new();

    private static readonly IReadOnlyList<(RuleBox Box, RaftRule[] Rules)> Boxes =
        RuleBook.All.GroupBy(RuleBook.Box).OrderBy(g => g.Key).Select(g => (g.Key, g.ToArray())).ToArray();

    private RuleLedger? _shown;

    protected override bool ShouldRender() => !Rules.Equals(_shown);

    protected override void OnAfterRender(bool firstRender) => _shown = Rules;

    private RuleApplied? Last => Rules.Last;

    private bool IsLit(RaftRule rule) => Last is { } last && last.Rule == rule;

    private static string Values(RuleApplied a) => $"{a.Node} at {EventNarrator.Clock(a.Time)}: {CauseNarrator.Comparison(a.Cause)}";
}
