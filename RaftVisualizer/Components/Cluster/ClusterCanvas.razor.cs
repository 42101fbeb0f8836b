using System.Globalization;
using Blazor.Diagrams;
using Blazor.Diagrams.Core.Behaviors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models.Base;
using Blazor.Diagrams.Core.PathGenerators;
using Blazor.Diagrams.Core.Routers;
using Blazor.Diagrams.Options;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The live cluster drawing on Blazor.Diagrams: each server a <see cref="ServerNodeModel"/> drawn by
/// <see cref="ServerNodeWidget"/>, each pair of servers a <see cref="ServerLinkModel"/> drawn by
/// <see cref="ServerLinkWidget"/>, and the messages in flight an overlay in the diagram's SVG layer
/// (so it pans and zooms with it). Everything is drawn from <see cref="LiveCluster.Snapshot"/>, the
/// frame; the server renders on change and wwwroot/js/canvas.js moves message dots, link ends and
/// timer rings every animation frame from the published simulated time and speed. Servers can be
/// dragged (the layout is kept for the session on <see cref="LiveCluster.Layout"/>); links and
/// servers cannot be created or deleted by hand. A partition moves each group into its own island.
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
    private (NodeId A, NodeId B)? _linkMenu;
    private string _menuStyle = "";
    private double? _linkLatencyMs;
    private double? _linkLossPercent;
    private readonly Dictionary<NodeId, ServerNodeModel> _servers = new();
    private readonly Dictionary<(NodeId, NodeId), ServerLinkModel> _links = new();
    private long _appliedLayoutVersion = -1;
    private string _groupsKey = "";
    private bool _islandsMoving;
    private double[] _barriers = [];
    private double _islandTop;
    private double _islandBottom;
    private bool _fitPending = true;
    private bool _glideEnding;
    private double _fittedWidth;
    private double _fittedHeight;
    private MessageOverlay? _overlay;

    /// <summary>The topology: created once per canvas, its models updated in place from each frame.</summary>
    internal BlazorDiagram Diagram { get; } = CreateDiagram();

    /// <summary>Whether this page may act (the widgets ask, to word their tooltips).</summary>
    public bool CanControl => Live.CanControl;
    private InFlightMessage? _selectedMessage;
    private string? _actionMessage;
    private bool _actionOk = true;
    private IJSObjectReference? _module;

    private ClusterFrame Snap => Live.Snapshot;

    private int Count => Math.Max(1, Snap.Nodes.Count);

    /// <summary>Node radius: smaller for bigger clusters so the ring stays readable.</summary>
    internal double NodeRadius => Count <= 3 ? 46 : Count <= 5 ? 42 : 34;

    private double RingRadius => Count <= 3 ? 160 : 190;

    /// <summary>Where the server is drawn now: its centre on the diagram.</summary>
    internal (double X, double Y) Position(NodeId id) =>
        _servers.TryGetValue(id, out var model) ? (model.Centre.X, model.Centre.Y) : RingPosition(id);

    /// <summary>Where node <paramref name="id"/> sits on the ring: S1 at the top, then clockwise.</summary>
    internal (double X, double Y) RingPosition(NodeId id)
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

    /// <summary>Endpoints of a message's path: from the sender's rim to the receiver's, offset sideways so requests and replies use separate lanes.</summary>
    internal (double X1, double Y1, double X2, double Y2) Path(RaftMessage m)
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
        InstallSnapshot => "snapshot",
        InstallSnapshotReply => "snapshot-reply",
        TimeoutNow => "timeoutnow",
        _ => "other",
    };

    /// <summary>Null for a request; true or false for a reply's success.</summary>
    internal static bool? ReplyOk(RaftMessage m) => m switch
    {
        RequestVoteReply r => r.Granted,
        AppendEntriesReply r => r.Success,
        InstallSnapshotReply r => r.LastIndex > 0, // 0: refused for a stale term
        _ => null,
    };

    /// <summary>One line a student reads on hover.</summary>
    internal static string Describe(InFlightMessage f)
    {
        var m = f.Message;
        var what = m switch
        {
            RequestVote rv => $"{rv.Kind} {m.From}→{m.To}, term {m.Term}: \"vote for me\" (my last log entry: index {rv.LastLogIndex}, term {rv.LastLogTerm})",
            RequestVoteReply r => $"{r.Kind} {m.From}→{m.To}, term {m.Term}: {(r.Granted ? "vote granted" : "vote refused")} — {Why(r.Cause, m.From, r.Reason)}",
            AppendEntries { IsHeartbeat: true } ae => $"Heartbeat (AppendEntries, no entries) {m.From}→{m.To}, term {m.Term}, leader commit {ae.LeaderCommit}",
            AppendEntries ae => $"AppendEntries {m.From}→{m.To}, term {m.Term}: {ae.Entries.Count} entr{(ae.Entries.Count == 1 ? "y" : "ies")} after index {ae.PrevLogIndex}, leader commit {ae.LeaderCommit}",
            AppendEntriesReply r => $"AppendEntriesReply {m.From}→{m.To}, term {m.Term}: {(r.Success ? $"success, match index {r.MatchIndex}" : "rejected")} — {Why(r.Cause, m.From, r.Reason)}",
            InstallSnapshot i => $"InstallSnapshot {m.From}→{m.To}, term {m.Term}: the leader's snapshot up to entry {i.Snapshot.LastIndex} (term {i.Snapshot.LastTerm}: {Keys(i.Snapshot.State.Data.Count)}, {i.Snapshot.Config}), sent because the entries {m.To} needs next were compacted away",
            InstallSnapshotReply r => $"InstallSnapshotReply {m.From}→{m.To}, term {m.Term}: " + (r.LastIndex > 0 ? $"{m.From} now holds everything up to entry {r.LastIndex}" : "refused (the sender's term is stale)"),
            TimeoutNow => $"TimeoutNow {m.From}→{m.To}, term {m.Term}: \"start an election now\" (a leadership transfer: {m.To}'s log is up to date)",
            _ => $"{m.Kind} {m.From}→{m.To}",
        };
        return f.Lost ? what + " (the network will lose it)" : what;
    }

    /// <summary>Which rule the replying server applied and why, with the section (the reason in words when a reply has no cause).</summary>
    private static string Why(Cause? cause, NodeId from, string reason) => cause is null ? reason : CauseNarrator.Why(cause, from);

    /// <summary>A reply's cause in the click panel: the rule, its section, and the values it compared.</summary>
    internal static string RuleLine(Cause c) => $"{RuleBook.Statement(c.Rule)} ({RuleBook.Section(c.Rule)}): {CauseNarrator.Comparison(c)}";

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
                IReadOnlyList<LogEntry> entries => entries.Count == 0 ? "[] (heartbeat)" : string.Join(", ", entries.Select(e => $"{e.Index}:t{e.Term} {e.Text}")),
                Cause c => RuleLine(c),
                null => "—",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            yield return (p.Name, text);
        }
        yield return ("Sent at", $"{f.SentAt.TotalMilliseconds:0.#} ms");
        yield return ("Arrives at", $"{f.ArrivesAt.TotalMilliseconds:0.#} ms");
        yield return ("Lost", f.Lost ? "yes: the network drops it" : "no");
    }

    /// <summary>A click on a server (not the end of a drag): opens or closes its menu.</summary>
    internal void OnNodeClick(NodeId id, MouseEventArgs e)
    {
        _menuFor = _menuFor == id ? null : id;
        _linkMenu = null;
        _selectedMessage = null;
        _menuStyle = MenuAt(e);
        StateHasChanged();
    }

    /// <summary>A click on a link: opens its menu with its latency and loss filled in.</summary>
    internal void OnLinkClick(NodeId a, NodeId b, MouseEventArgs e)
    {
        _linkMenu = _linkMenu == (a, b) ? null : (a, b);
        _menuFor = null;
        _selectedMessage = null;
        _menuStyle = MenuAt(e);
        var look = LinkLook.From(Snap, a, b);
        _linkLatencyMs = (look.MaxLatencyAB ?? look.MaxLatencyBA ?? Snap.MaxLatency).TotalMilliseconds;
        _linkLossPercent = Math.Round(Math.Max(look.LossAB, look.LossBA) * 100);
        StateHasChanged();
    }

    /// <summary>Closes every menu and panel over the drawing (a click on empty canvas, or Escape).</summary>
    public void CloseMenus()
    {
        _menuFor = null;
        _linkMenu = null;
        _selectedMessage = null;
        StateHasChanged();
    }

    /// <summary>True while a menu or a message's panel is open.</summary>
    public bool HasOpenMenu => _menuFor is not null || _linkMenu is not null || _selectedMessage is not null;

    /// <summary>A click on a dot: its panel opens (with drop and duplicate for a controller).</summary>
    internal void OnMessageClick(InFlightMessage message)
    {
        _selectedMessage = message;
        _menuFor = null;
        _linkMenu = null;
        StateHasChanged();
    }

    internal long? SelectedMessageId => _selectedMessage?.Id;
    internal IReadOnlyList<double> Barriers => _barriers;
    internal double IslandTop => _islandTop;
    internal double IslandBottom => _islandBottom;

    /// <summary>Places a menu beside the pointer, inside the canvas box.</summary>
    private string MenuAt(MouseEventArgs e)
    {
        var box = Diagram.Container;
        var left = box is null ? 40 : e.ClientX - box.Left + 12;
        var top = box is null ? 40 : e.ClientY - box.Top - 12;
        if (box is not null && left > box.Width - 270) left = Math.Max(0, e.ClientX - box.Left - 280);
        if (box is not null) top = Math.Min(top, Math.Max(0, box.Height - 300));
        return $"left:{F(Math.Max(0, left))}px;top:{F(Math.Max(0, top))}px";
    }

    /// <summary>Sends a menu's typed command through the page's live cluster (which checks the right to control) and shows its outcome.</summary>
    private void Act(ClusterCommand command)
    {
        _menuFor = null;
        _linkMenu = null;
        var result = Live.Act(command);
        _actionOk = result.Ok;
        _actionMessage = result.Message;
    }

    private void AddServer() => Act(new ClusterCommand.AddServer());
    private void RemoveServer(NodeId id) => Act(new ClusterCommand.RemoveServer(id));

    /// <summary>A five-pointed star: TimeoutNow, "start an election now".</summary>
    internal const string StarPath = "M 0.0 -10.0 L 2.6 -3.6 L 9.5 -3.1 L 4.2 1.4 L 5.9 8.1 L 0.0 4.4 L -5.9 8.1 L -4.2 1.4 L -9.5 -3.1 L -2.6 -3.6 Z";

    internal static string Keys(int count) => count == 1 ? "1 key" : $"{count} keys";

    private void Crash(NodeId id) => Act(new ClusterCommand.Crash(id));
    private void Restart(NodeId id) => Act(new ClusterCommand.Restart(id));
    private void Timeout(NodeId id) => Act(new ClusterCommand.ForceTimeout(id));
    private void Isolate(NodeId id) => Act(new ClusterGesture.Isolate(id));

    private void ToggleCut(NodeId from, NodeId to, bool isCut) =>
        Act(isCut ? new ClusterCommand.Uncut(from, to) : new ClusterCommand.Cut(from, to));

    private void CutBoth(NodeId a, NodeId b, bool cut) => Act(new ClusterGesture.CutBothWays(a, b, Restore: !cut));

    private void ApplyLinkSettings(NodeId a, NodeId b)
    {
        var latency = _linkLatencyMs ?? Snap.MaxLatency.TotalMilliseconds;
        var loss = (_linkLossPercent ?? 0) / 100;
        if (!double.IsFinite(latency) || latency < 0 || latency > 5000)
        {
            (_actionOk, _actionMessage) = (false, "Latency must be from 0 to 5000 ms.");
            return;
        }
        if (!double.IsFinite(loss) || loss < 0 || loss > 1)
        {
            (_actionOk, _actionMessage) = (false, "Loss must be from 0 to 100 %.");
            return;
        }
        var max = TimeSpan.FromMilliseconds(latency);
        var min = TimeSpan.FromMilliseconds(Math.Min(latency, Snap.MinLatency.TotalMilliseconds * latency / Math.Max(1, Snap.MaxLatency.TotalMilliseconds)));
        Act(new ClusterGesture.SetLinkBothWays(a, b, min, max, loss));
    }

    private void DropMessage(long id)
    {
        Act(new ClusterCommand.DropMessage(id));
        _selectedMessage = null;
    }

    private void DuplicateMessage(long id) => Act(new ClusterCommand.DuplicateMessage(id));

    private void ResetLayout()
    {
        var r = Live.ResetLayout();
        (_actionOk, _actionMessage) = (r.Ok, r.Message);
    }

    private async Task Zoom(double factor)
    {
        Diagram.SetZoom(Math.Clamp(Diagram.Zoom * factor, 0.3, 3));
        await Task.CompletedTask;
    }

    private void ZoomToFit() => FitAll();

    /// <summary>Fits every server (Blazor.Diagrams fits only the selected ones when any is selected).</summary>
    private void FitAll()
    {
        Diagram.UnselectAll();
        if (Diagram.Container is not { Width: > 0, Height: > 0 } box || _servers.Count == 0) return;
        // Blazor.Diagrams' own ZoomToFit pins the drawing to the top-left corner; this one centres it.
        const double margin = 24;
        var half = ServerNodeModel.Half(NodeRadius);
        var minX = _servers.Values.Min(s => s.Centre.X) - half;
        var maxX = _servers.Values.Max(s => s.Centre.X) + half;
        var minY = _servers.Values.Min(s => s.Centre.Y) - half;
        var maxY = _servers.Values.Max(s => s.Centre.Y) + half + 24; // the name under each server
        if (_barriers.Length > 0) (minY, maxY) = (Math.Min(minY, _islandTop - 24), Math.Max(maxY, _islandBottom));
        var zoom = Math.Clamp(Math.Min((box.Width - 2 * margin) / (maxX - minX), (box.Height - 2 * margin) / (maxY - minY)), 0.3, 1.6);
        Diagram.SetZoom(zoom);
        Diagram.SetPan((box.Width - (maxX - minX) * zoom) / 2 - minX * zoom, (box.Height - (maxY - minY) * zoom) / 2 - minY * zoom);
        (_fittedWidth, _fittedHeight) = (box.Width, box.Height);
    }

    private async Task Details(NodeId id)
    {
        _menuFor = null;
        await OnShowDetails.InvokeAsync(id);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_fitPending && Diagram.Container is { Width: > 0 })
        {
            _fitPending = false;
            FitAll();
        }
        if (_islandsMoving && !_glideEnding)
        {
            // The glide is a CSS transition on the servers' boxes; take it off once it has played,
            // so a drag follows the pointer without lag.
            _glideEnding = true;
            _ = EndGlideAsync();
        }
        if (!firstRender) return;
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/canvas.js");
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task EndGlideAsync()
    {
        await Task.Delay(900);
        try
        {
            await InvokeAsync(() =>
            {
                _islandsMoving = false;
                _glideEnding = false;
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // the page closed during the glide
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watchedLayout is not null) _watchedLayout.Changed -= OnLayoutChanged;
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
