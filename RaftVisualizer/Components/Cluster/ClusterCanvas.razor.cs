using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;
using ClusterModel = RaftVisualizer.Core.Cluster;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The live cluster drawing: nodes on a ring, messages in flight, cut links, and a click menu per
/// node. The server renders on change; wwwroot/js/canvas.js moves message dots and timer rings
/// every animation frame from the published simulated time and speed.
/// </summary>
public partial class ClusterCanvas : IAsyncDisposable
{
    public const double Width = 640;
    public const double Height = 560;
    private const double CenterX = Width / 2;
    private const double CenterY = 268;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    /// <summary>The cluster to draw and to act on.</summary>
    [Parameter, EditorRequired] public LiveCluster Live { get; set; } = null!;

    /// <summary>Raised when the user picks "Details" in a node's menu.</summary>
    [Parameter] public EventCallback<NodeId> OnShowDetails { get; set; }

    private NodeId? _menuFor;
    private InFlightMessage? _selectedMessage;
    private string? _actionMessage;
    private bool _actionOk = true;
    private IJSObjectReference? _module;

    private ClusterSnapshot Snap => Live.Snapshot;

    private int Count => Math.Max(1, Snap.Nodes.Count);

    /// <summary>Node radius: smaller for bigger clusters so the ring stays readable.</summary>
    internal double NodeRadius => Count <= 3 ? 46 : Count <= 5 ? 42 : 34;

    private double RingRadius => Count <= 3 ? 160 : 190;

    /// <summary>Where node <paramref name="id"/> sits: S1 at the top, then clockwise.</summary>
    internal (double X, double Y) Position(NodeId id)
    {
        var index = id.Value - 1;
        var angle = -Math.PI / 2 + 2 * Math.PI * index / Count;
        return (CenterX + RingRadius * Math.Cos(angle), CenterY + RingRadius * Math.Sin(angle));
    }

    /// <summary>The role a student is taught: a pre-candidate is drawn (and tested) as a candidate.</summary>
    internal static string RoleName(NodeRole role) => role switch
    {
        NodeRole.Leader => "Leader",
        NodeRole.Candidate or NodeRole.PreCandidate => "Candidate",
        _ => "Follower",
    };

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);

    private int Majority => Snap.Nodes.Count / 2 + 1;

    /// <summary>Unordered pairs of nodes that cannot reach each other in at least one direction.</summary>
    private IEnumerable<(NodeId A, NodeId B, bool OneWay)> BrokenLinks()
    {
        var group = new Dictionary<NodeId, int>();
        for (var g = 0; g < Snap.Groups.Count; g++)
            foreach (var n in Snap.Groups[g]) group[n] = g;
        var cuts = Snap.Cuts.ToHashSet();
        var ids = Snap.Nodes.Select(n => n.Id).ToArray();
        for (var i = 0; i < ids.Length; i++)
            for (var j = i + 1; j < ids.Length; j++)
            {
                var a = ids[i];
                var b = ids[j];
                var split = group.GetValueOrDefault(a) != group.GetValueOrDefault(b);
                var ab = cuts.Contains((a, b));
                var ba = cuts.Contains((b, a));
                if (split || ab || ba) yield return (a, b, !split && ab != ba);
            }
    }

    /// <summary>A straight line between two nodes that stops short of both circles.</summary>
    private (double X1, double Y1, double X2, double Y2) RimToRim(NodeId a, NodeId b)
    {
        var (ax, ay) = Position(a);
        var (bx, by) = Position(b);
        var len = Math.Max(1, Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay)));
        var ux = (bx - ax) / len;
        var uy = (by - ay) / len;
        var r = NodeRadius + 12;
        return (ax + ux * r, ay + uy * r, bx - ux * r, by - uy * r);
    }

    /// <summary>Endpoints of a message's path: from the sender's rim to the receiver's, offset sideways so requests and replies use separate lanes.</summary>
    private (double X1, double Y1, double X2, double Y2) Path(RaftMessage m)
    {
        var (ax, ay) = Position(m.From);
        var (bx, by) = Position(m.To);
        var dx = bx - ax;
        var dy = by - ay;
        var len = Math.Max(1, Math.Sqrt(dx * dx + dy * dy));
        var ux = dx / len;
        var uy = dy / len;
        const double lane = 7;
        var ox = -uy * lane;
        var oy = ux * lane;
        var r = NodeRadius + 4;
        return (ax + ux * r + ox, ay + uy * r + oy, bx - ux * r + ox, by - uy * r + oy);
    }

    internal static string MessageKind(RaftMessage m) => m switch
    {
        RequestVote { PreVote: true } => "prevote",
        RequestVote => "requestvote",
        RequestVoteReply => "vote-reply",
        AppendEntries { IsHeartbeat: true } => "heartbeat",
        AppendEntries => "appendentries",
        AppendEntriesReply => "append-reply",
        _ => "other",
    };

    /// <summary>Null for a request; true or false for a reply's success.</summary>
    internal static bool? ReplyOk(RaftMessage m) => m switch
    {
        RequestVoteReply r => r.Granted,
        AppendEntriesReply r => r.Success,
        _ => null,
    };

    /// <summary>One line a student reads on hover.</summary>
    internal static string Describe(InFlightMessage f)
    {
        var m = f.Message;
        var what = m switch
        {
            RequestVote rv => $"{rv.Kind} {m.From}→{m.To}, term {m.Term}: \"vote for me\" (my last log entry: index {rv.LastLogIndex}, term {rv.LastLogTerm})",
            RequestVoteReply r => $"{r.Kind} {m.From}→{m.To}, term {m.Term}: {(r.Granted ? "vote granted" : "vote refused")}{(string.IsNullOrEmpty(r.Reason) ? "" : " — " + r.Reason)}",
            AppendEntries { IsHeartbeat: true } ae => $"Heartbeat (AppendEntries, no entries) {m.From}→{m.To}, term {m.Term}, leader commit {ae.LeaderCommit}",
            AppendEntries ae => $"AppendEntries {m.From}→{m.To}, term {m.Term}: {ae.Entries.Count} entr{(ae.Entries.Count == 1 ? "y" : "ies")} after index {ae.PrevLogIndex}, leader commit {ae.LeaderCommit}",
            AppendEntriesReply r => $"AppendEntriesReply {m.From}→{m.To}, term {m.Term}: {(r.Success ? $"success, match index {r.MatchIndex}" : "rejected")}{(string.IsNullOrEmpty(r.Reason) ? "" : " — " + r.Reason)}",
            _ => $"{m.Kind} {m.From}→{m.To}",
        };
        return f.Lost ? what + " (the network will lose it)" : what;
    }

    /// <summary>Every field of the message record, for the click panel.</summary>
    internal static IEnumerable<(string Name, string Value)> Fields(InFlightMessage f)
    {
        yield return ("Kind", f.Message.Kind);
        // Who, to whom and which term first, then the fields of this kind of message.
        var first = new[] { "From", "To", "Term" };
        foreach (var p in f.Message.GetType().GetProperties().OrderBy(p => Array.IndexOf(first, p.Name) is var i and >= 0 ? i : first.Length))
        {
            if (p.Name is "EqualityContract" or "Kind" || p.GetIndexParameters().Length > 0) continue;
            var value = p.GetValue(f.Message);
            var text = value switch
            {
                IReadOnlyList<LogEntry> entries => entries.Count == 0 ? "[] (heartbeat)" : string.Join(", ", entries.Select(e => $"{e.Index}:t{e.Term} {e.Command}")),
                null => "—",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            yield return (p.Name, text);
        }
        yield return ("Sent at", $"{f.SentAt.TotalMilliseconds:0.#} ms");
        yield return ("Arrives at", $"{f.ArrivesAt.TotalMilliseconds:0.#} ms");
        yield return ("Lost", f.Lost ? "yes: the network drops it" : "no");
    }

    private void OnNodeClick(NodeId id)
    {
        _menuFor = _menuFor == id ? null : id;
        _selectedMessage = null;
    }

    private void CloseOverlays()
    {
        _menuFor = null;
        _selectedMessage = null;
    }

    private void OnMessageClick(InFlightMessage message)
    {
        _selectedMessage = message;
        _menuFor = null;
    }

    /// <summary>Runs a node action from the menu through the pump and shows its outcome.</summary>
    private void Act(Func<ClusterModel, ActionResult> action)
    {
        _menuFor = null;
        var result = Live.Act(action);
        _actionOk = result.Ok;
        _actionMessage = result.Message;
    }

    private void Crash(NodeId id) => Act(c => c.Crash(id));
    private void Restart(NodeId id) => Act(c => c.Restart(id));
    private void Timeout(NodeId id) => Act(c => c.ForceTimeout(id));
    private void Isolate(NodeId id) => Act(c => c.Isolate(id));

    private async Task Details(NodeId id)
    {
        _menuFor = null;
        await OnShowDetails.InvokeAsync(id);
    }

    /// <summary>Menu position as a percentage of the canvas box, so it follows the SVG as it scales.</summary>
    private string MenuStyle(NodeId id)
    {
        var (x, y) = Position(id);
        var left = (x + NodeRadius * 0.6) / Width * 100;
        var top = (y - NodeRadius * 0.2) / Height * 100;
        if (left > 70) left = (x - NodeRadius * 0.6) / Width * 100 - 30;
        return $"left:{F(Math.Max(0, left))}%;top:{F(Math.Min(70, top))}%";
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/canvas.js");
        }
        catch (JSDisconnectedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try
        {
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
        GC.SuppressFinalize(this);
    }
}
