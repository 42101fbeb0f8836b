using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Every node's log as a row of boxes coloured by term, aligned by index so the rows can be
/// compared. Committed entries are solid, uncommitted ones dashed; configuration entries are
/// white with the members they name. Each row marks its commit index, and a follower's row
/// carries the leader's nextIndex and matchIndex for it. A server that compacted its log shows
/// its snapshot as one block before the entries (last index, term, keys, configuration). Long
/// logs show the last <see cref="MaxColumns"/> indexes with an "… N earlier" marker.
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
        var last = Snapshot.Nodes.Max(n => n.LastLogIndex);
        if (LeaderNode is not null) last = Math.Max(last, LeaderNode.NextIndex.Values.DefaultIfEmpty(0).Max());
        // The snapshot block stands for the compacted entries: start after the leader's snapshot (without a
        // leader, the oldest snapshot), and a server behind it shows "… N earlier" and, when its next
        // entry is gone, the InstallSnapshot it is due.
        var compacted = LeaderNode?.SnapshotIndex
            ?? Snapshot.Nodes.Where(n => n.SnapshotIndex > 0).Select(n => n.SnapshotIndex).DefaultIfEmpty(0).Min();
        var first = Math.Max(1, Math.Max(last - MaxColumns + 1, Math.Min(compacted + 1, last)));
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
        hash.Add(Snapshot.Nodes.Count);
        hash.Add(Highlight);
        foreach (var n in Snapshot.Nodes)
        {
            hash.Add(n.IsUp);
            hash.Add(n.Role);
            hash.Add(n.Membership);
            hash.Add(n.CommitIndex);
            hash.Add(n.LastLogIndex);
            hash.Add(n.SnapshotIndex);
            hash.Add(n.Snapshot);
            foreach (var index in Window) hash.Add(n.Entry(index));
            if (LeaderNode is not null && LeaderNode.NextIndex.TryGetValue(n.Id, out var next)) hash.Add(next);
            if (LeaderNode is not null && LeaderNode.MatchIndex.TryGetValue(n.Id, out var match)) hash.Add(match);
        }
        return hash.ToHashCode();
    }

    private RowInfo RowOf(NodeFrame node)
    {
        var css = !node.IsUp ? "down" : node.Membership == Membership.Removed ? "removed" : node.Role == NodeRole.Leader ? "leader" : "";
        var role = !node.IsUp ? "down" : node.Role switch
        {
            NodeRole.Leader => "leader",
            NodeRole.Candidate => "candidate",
            NodeRole.PreCandidate => "pre-candidate",
            _ => "follower",
        };
        if (node.Membership == Membership.Learner) role = node.IsUp ? "learner" : "learner, down";
        if (node.Membership == Membership.Removed) role = "removed";
        // Entries this log still holds that fall before the window.
        var earlier = Window.Count > 0 ? Math.Max(0, Math.Min(Window[0] - 1, node.LastLogIndex) - node.SnapshotIndex) : 0;
        long? next = null, match = null;
        if (LeaderNode is not null && node.Id != LeaderNode.Id)
        {
            if (LeaderNode.NextIndex.TryGetValue(node.Id, out var n)) next = n;
            if (LeaderNode.MatchIndex.TryGetValue(node.Id, out var m) && m > 0) match = m;
        }
        var nextCompacted = next is { } x && LeaderNode is not null && x <= LeaderNode.SnapshotIndex && (Window.Count == 0 || x < Window[0]);
        return new RowInfo(css, role, earlier, next, match, nextCompacted);
    }

    /// <summary>"put x=1", cut to fit a box; the full text is in the tooltip.</summary>
    private static string Short(KvCommand command)
    {
        var text = command.ToString();
        return text.Length <= 14 ? text : text[..13] + "…";
    }

    /// <summary>A configuration in a box's width: voters in runs (<c>S1–S3</c>), learners after + (<c>S1–S3 +S4</c>).</summary>
    internal static string Members(Configuration config)
    {
        var runs = new List<string>();
        var voters = config.Voters.Select(v => v.Value).ToArray();
        for (var i = 0; i < voters.Length;)
        {
            var j = i;
            while (j + 1 < voters.Length && voters[j + 1] == voters[j] + 1) j++;
            runs.Add(j - i >= 2 ? $"S{voters[i]}–S{voters[j]}" : string.Join(" ", voters[i..(j + 1)].Select(v => $"S{v}")));
            i = j + 1;
        }
        runs.AddRange(config.Learners.Select(l => $"+{l}"));
        return runs.Count == 0 ? "nobody" : string.Join(" ", runs);
    }

    private static string EntryTitle(long index, LogEntry entry, bool committed)
    {
        var state = committed ? " (committed)" : " (not committed)";
        return entry.Config is { } config
            ? $"entry {index}, term {entry.Term}: {config} (voters {string.Join(" ", config.Voters)}{(config.Learners.Count > 0 ? $"; learners {string.Join(" ", config.Learners)}" : "")}, a majority is {config.Majority}){state}. {Concepts.ConfigurationEntry}"
            : $"entry {index}, term {entry.Term}: {entry.Command}{state}";
    }

    private static string SnapshotTitle(NodeFrame node, Snapshot snap)
    {
        var keys = snap.State.Data.OrderBy(p => p.Key, StringComparer.Ordinal).Take(6).Select(p => $"{p.Key}={p.Value}").ToList();
        if (snap.State.Data.Count > keys.Count) keys.Add("…");
        var held = snap.State.Data.Count == 0 ? "an empty KV map" : $"{ClusterCanvas.Keys(snap.State.Data.Count)} ({string.Join(", ", keys)})";
        return $"{node.Id}'s snapshot: its state after entry {snap.LastIndex} (term {snap.LastTerm}): {held}, " +
               $"{snap.State.Sessions.Count} client session{(snap.State.Sessions.Count == 1 ? "" : "s")} and {snap.Config}. " +
               $"Entries 1–{snap.LastIndex} are no longer in the log; a follower that needs them gets this snapshot (InstallSnapshot).";
    }

    private sealed record RowInfo(string Css, string RoleText, long Earlier, long? Next, long? Match, bool NextCompacted);
}
