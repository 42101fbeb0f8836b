using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Every node's log as a row of boxes coloured by term, aligned by index so the rows can be
/// compared. Committed entries are solid, uncommitted ones dashed; each row marks its commit
/// index, and a follower's row carries the leader's nextIndex and matchIndex for it. Long logs
/// show the last <see cref="MaxColumns"/> indexes with an "… N earlier" marker.
/// </summary>
public partial class LogView
{
    public const int MaxColumns = 30;
    private long _renderedSignature;
    private bool _rendered;

    [Parameter, EditorRequired] public ClusterFrame Snapshot { get; set; } = null!;

    /// <summary>What the lesson being played points at, if any: its servers' rows and its log indexes are highlighted.</summary>
    [CascadingParameter] public RaftVisualizer.Core.Lessons.LessonHighlight? Highlight { get; set; }

    private IReadOnlyList<long> Window { get; set; } = [];
    private NodeFrame? LeaderNode { get; set; }

    protected override void OnParametersSet()
    {
        LeaderNode = Snapshot.Leader is { } id ? Snapshot.Node(id)
            : Snapshot.Nodes.Where(n => n.IsUp && n.Role == NodeRole.Leader).MaxBy(n => n.Term);
        // One column past the longest log, so a nextIndex pointing at "the next new entry" has a place.
        var last = Snapshot.Nodes.Max(n => (long)n.Log.Count);
        if (LeaderNode is not null) last = Math.Max(last, LeaderNode.NextIndex.Values.DefaultIfEmpty(0).Max());
        var first = Math.Max(1, last - MaxColumns + 1);
        Window = last == 0 ? [] : Enumerable.Range(0, (int)(last - first + 1)).Select(i => first + i).ToArray();
    }

    protected override bool ShouldRender()
    {
        var signature = Signature();
        if (_rendered && signature == _renderedSignature) return false;
        _rendered = true;
        _renderedSignature = signature;
        return true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender || _rendered) return; // the first render does not ask ShouldRender
        _rendered = true;
        _renderedSignature = Signature();
    }

    /// <summary>A hash of everything this view draws: cheap to compute at 30 publishes a second.</summary>
    private long Signature()
    {
        var hash = new HashCode();
        hash.Add(Window.Count > 0 ? Window[0] : 0);
        hash.Add(Window.Count);
        hash.Add(LeaderNode?.Id);
        hash.Add(Highlight);
        foreach (var n in Snapshot.Nodes)
        {
            hash.Add(n.IsUp);
            hash.Add(n.Role);
            hash.Add(n.CommitIndex);
            hash.Add(n.Log.Count);
            foreach (var index in Window)
                if (index <= n.Log.Count) hash.Add(n.Log[(int)index - 1]);
            if (LeaderNode is not null && LeaderNode.NextIndex.TryGetValue(n.Id, out var next)) hash.Add(next);
            if (LeaderNode is not null && LeaderNode.MatchIndex.TryGetValue(n.Id, out var match)) hash.Add(match);
        }
        return hash.ToHashCode();
    }

    private RowInfo RowOf(NodeFrame node)
    {
        var css = !node.IsUp ? "down" : node.Role == NodeRole.Leader ? "leader" : "";
        var role = !node.IsUp ? "down" : node.Role switch
        {
            NodeRole.Leader => "leader",
            NodeRole.Candidate => "candidate",
            NodeRole.PreCandidate => "pre-candidate",
            _ => "follower",
        };
        var earlier = Window.Count > 0 ? Math.Min(Window[0] - 1, node.Log.Count) : 0;
        long? next = null, match = null;
        if (LeaderNode is not null && node.Id != LeaderNode.Id)
        {
            if (LeaderNode.NextIndex.TryGetValue(node.Id, out var n)) next = n;
            if (LeaderNode.MatchIndex.TryGetValue(node.Id, out var m) && m > 0) match = m;
        }
        return new RowInfo(css, role, earlier, next, match);
    }

    /// <summary>"put x=1", cut to fit a box; the full text is in the tooltip.</summary>
    private static string Short(KvCommand command)
    {
        var text = command.ToString();
        return text.Length <= 14 ? text : text[..13] + "…";
    }

    private sealed record RowInfo(string Css, string RoleText, long Earlier, long? Next, long? Match);
}
