using Blazor.Diagrams;
using Blazor.Diagrams.Core.Behaviors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models.Base;
using Blazor.Diagrams.Core.PathGenerators;
using Blazor.Diagrams.Core.Routers;
using Blazor.Diagrams.Options;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>Keeping the diagram's models in step with the frame, the layout and the partition.</summary>
public partial class ClusterCanvas
{
    private static BlazorDiagram CreateDiagram()
    {
        var options = new BlazorDiagramOptions
        {
            AllowMultiSelection = false,
            AllowPanning = true,
            // Links and messages above the servers: a dot reaching its server stays in sight and clickable.
            LinksLayerOrder = 2,
            NodesLayerOrder = 1,
            Zoom = { Enabled = true, Minimum = 0.3, Maximum = 3 },
            Links = { DefaultRouter = new NormalRouter(), DefaultPathGenerator = new StraightPathGenerator() },
            Constraints =
            {
                // The topology is the cluster's: nothing is created or deleted by hand.
                ShouldDeleteNode = _ => ValueTask.FromResult(false),
                ShouldDeleteLink = _ => ValueTask.FromResult(false),
                ShouldDeleteGroup = _ => ValueTask.FromResult(false),
            },
        };
        var diagram = new BlazorDiagram(options);
        diagram.UnregisterBehavior<DragNewLinkBehavior>();
        diagram.UnregisterBehavior<KeyboardShortcutsBehavior>();
        diagram.RegisterComponent<ServerNodeModel, ServerNodeWidget>();
        diagram.RegisterComponent<ServerLinkModel, ServerLinkWidget>();
        return diagram;
    }

    protected override void OnInitialized()
    {
        Diagram.PointerClick += (model, _) =>
        {
            if (model is null && HasOpenMenu) CloseMenus(); // a click on empty canvas
        };
        Diagram.ContainerChanged += () =>
        {
            if (Diagram.Container is not { Width: > 0 } box) return;
            // First size, or the canvas grew or shrank (projector mode, a window resize): fit again.
            if (!_fitPending && Math.Abs(box.Width - _fittedWidth) < 40 && Math.Abs(box.Height - _fittedHeight) < 40) return;
            _fitPending = false;
            FitAll();
        };
    }

    private ServerLayout? _watchedLayout;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_watchedLayout, Live.Layout)) return;
        if (_watchedLayout is not null) _watchedLayout.Changed -= OnLayoutChanged;
        _watchedLayout = Live.Layout;
        _watchedLayout.Changed += OnLayoutChanged;
    }

    /// <summary>Someone (this page, or a room's presenter) moved a server or reset the layout.</summary>
    private void OnLayoutChanged() => _ = InvokeAsync(StateHasChanged);

    private bool Partitioned(ClusterFrame snap) => snap.Groups.Count > 1;

    /// <summary>
    /// Brings every model up to the frame: new servers, looks, link states, positions. The frame's
    /// servers can change while running (a server added) and when scrubbing (back before it was
    /// added): models of servers the frame lacks are taken off, and the ring makes room.
    /// </summary>
    private void SyncDiagram(ClusterFrame snap)
    {
        var majority = snap.Majority;
        var radius = NodeRadius;
        var groupsKey = string.Join("|", snap.Groups.Select(g => string.Join(",", g.Select(n => n.Value))));
        var layout = Live.Layout;
        var added = false;
        var barriersBefore = _barriers;
        var hadServers = _servers.Count > 0;
        Diagram.Batch(() =>
        {
            var gone = _servers.Keys.Where(id => snap.Node(id) is null).ToArray();
            foreach (var id in gone)
            {
                foreach (var key in _links.Keys.Where(k => k.Item1 == id || k.Item2 == id).ToArray())
                {
                    Diagram.Links.Remove(_links[key]);
                    _links.Remove(key);
                }
                _servers[id].Moved -= OnServerMoved;
                Diagram.Nodes.Remove(_servers[id]);
                _servers.Remove(id);
            }
            var resized = gone.Length > 0;
            foreach (var n in snap.Nodes)
            {
                var look = new ServerLook(n, snap.Leader == n.Id, majority, radius);
                if (!_servers.TryGetValue(n.Id, out var model))
                {
                    var (x, y) = RingPosition(n.Id);
                    model = new ServerNodeModel(n.Id, look, new Point(x, y)) { Locked = !Live.CanControl };
                    model.Moved += OnServerMoved;
                    _servers[n.Id] = model;
                    Diagram.Nodes.Add(model);
                    added = true;
                }
                else if (model.Look.Key != look.Key)
                {
                    model.Update(look);
                }
                model.Locked = !Live.CanControl;
            }
            var ids = snap.Nodes.Select(n => n.Id).OrderBy(n => n).ToArray();
            for (var i = 0; i < ids.Length; i++)
                for (var j = i + 1; j < ids.Length; j++)
                {
                    var look = LinkLook.From(snap, ids[i], ids[j]);
                    if (!_links.TryGetValue((ids[i], ids[j]), out var link))
                    {
                        link = new ServerLinkModel(_servers[ids[i]], _servers[ids[j]], look) { Locked = true };
                        _links[(ids[i], ids[j])] = link;
                        Diagram.Links.Add(link);
                    }
                    else if (link.Look != look)
                    {
                        link.Look = look;
                        link.Refresh();
                    }
                }

            var regroup = groupsKey != _groupsKey;
            if (regroup && _groupsKey.Length > 0) _islandsMoving = true;
            _groupsKey = groupsKey;
            var reshaped = added || resized;
            if (reshaped && hadServers)
            {
                // A server joined (or the timeline went back before it did): the others glide to make room.
                _islandsMoving = true;
                _fitPending = true;
            }
            if (Partitioned(snap))
            {
                if (regroup || reshaped)
                {
                    PlaceIslands(snap.Groups);
                    _fitPending = true; // the islands may be wider than the ring was
                }
            }
            else
            {
                if (_barriers.Length > 0) _barriers = [];
                if (regroup || reshaped || layout.Version != _appliedLayoutVersion)
                {
                    if (regroup && !added) _fitPending = true;
                    _appliedLayoutVersion = layout.Version;
                    foreach (var (id, (x, y)) in Placement(ids, layout.Positions))
                        Place(_servers[id], x, y);
                }
            }
        });
        if (!ReferenceEquals(barriersBefore, _barriers)) _overlay?.Redraw();
    }

    /// <summary>
    /// Where each server goes outside a partition: where the user dropped it, else its place on the
    /// ring. A ring place too close to a server the user dragged there (a new server's, say, or one
    /// the ring moved to make room) gives way to the nearest free spot, so no server hides another.
    /// </summary>
    internal IEnumerable<(NodeId Id, (double X, double Y) At)> Placement(IReadOnlyList<NodeId> ids, IReadOnlyDictionary<int, (double X, double Y)> dragged)
    {
        var taken = new List<(double X, double Y)>();
        foreach (var id in ids)
            if (dragged.TryGetValue(id.Value, out var p))
            {
                taken.Add(p);
                yield return (id, p);
            }
        if (taken.Count == 0)
        {
            foreach (var id in ids.Where(i => !dragged.ContainsKey(i.Value))) yield return (id, RingPosition(id));
            yield break;
        }
        var apart = 2 * NodeRadius + 40; // a server, its name and a little air
        foreach (var id in ids.Where(i => !dragged.ContainsKey(i.Value)))
        {
            var spot = FreeSpot(RingPosition(id), taken, apart, (CenterX, CenterY), RingRadius);
            taken.Add(spot);
            yield return (id, spot);
        }
    }

    /// <summary>
    /// <paramref name="wanted"/> when nothing in <paramref name="taken"/> is nearer than <paramref name="apart"/>;
    /// otherwise the nearest free spot on the ring, or on wider rings around it.
    /// </summary>
    internal static (double X, double Y) FreeSpot((double X, double Y) wanted, IReadOnlyList<(double X, double Y)> taken,
        double apart, (double X, double Y) centre, double ringRadius)
    {
        bool Free((double X, double Y) p) => taken.All(t => Math.Sqrt((t.X - p.X) * (t.X - p.X) + (t.Y - p.Y) * (t.Y - p.Y)) >= apart);
        if (Free(wanted)) return wanted;
        const int Steps = 36;
        for (var ring = 0; ring < 4; ring++)
        {
            var r = ringRadius + ring * apart;
            var best = ((double X, double Y)?)null;
            var bestDistance = double.MaxValue;
            for (var k = 0; k < Steps; k++)
            {
                var angle = -Math.PI / 2 + 2 * Math.PI * k / Steps;
                var p = (centre.X + r * Math.Cos(angle), centre.Y + r * Math.Sin(angle));
                if (!Free(p)) continue;
                var d = Math.Sqrt((p.Item1 - wanted.X) * (p.Item1 - wanted.X) + (p.Item2 - wanted.Y) * (p.Item2 - wanted.Y));
                if (d < bestDistance) (best, bestDistance) = (p, d);
            }
            if (best is { } found) return found;
        }
        return wanted; // the drawing is full: overlap rather than vanish
    }

    private static void Place(ServerNodeModel model, double x, double y)
    {
        var corner = ServerNodeModel.Offset(new Point(x, y), model.Look.Radius);
        if (Math.Abs(corner.X - model.Position.X) < 0.01 && Math.Abs(corner.Y - model.Position.Y) < 0.01) return;
        model.SetPosition(corner.X, corner.Y);
    }

    /// <summary>Each partition group on its own small ring, the islands side by side with a barrier between each two.</summary>
    private void PlaceIslands(IReadOnlyList<IReadOnlyList<NodeId>> groups)
    {
        var radius = NodeRadius;
        // Neighbours on an island's ring stay a server and its name apart: chord = 2R sin(π/n) ≥ 2r + 110.
        double IslandRadius(int n) => n <= 1 ? 0 : (radius + 55) / Math.Sin(Math.PI / n);
        var widths = groups.Select(g => 2 * (IslandRadius(g.Count) + radius) + 40).ToArray();
        const double gap = 110;
        var total = widths.Sum() + gap * (groups.Count - 1);
        var left = CenterX - total / 2;
        var barriers = new List<double>();
        var tallest = 0.0;
        for (var i = 0; i < groups.Count; i++)
        {
            var cx = left + widths[i] / 2;
            var ring = IslandRadius(groups[i].Count);
            tallest = Math.Max(tallest, ring + radius);
            for (var j = 0; j < groups[i].Count; j++)
            {
                // An even island sits level (a pair side by side, four as a square), so names stay clear.
                var start = groups[i].Count % 2 == 0 ? -Math.PI / 2 + Math.PI / groups[i].Count : -Math.PI / 2;
                var angle = start + 2 * Math.PI * j / groups[i].Count;
                if (_servers.TryGetValue(groups[i][j], out var model))
                    Place(model, cx + ring * Math.Cos(angle), CenterY + ring * Math.Sin(angle));
            }
            left += widths[i];
            if (i < groups.Count - 1) barriers.Add(left + gap / 2);
            left += gap;
        }
        _barriers = barriers.ToArray();
        _islandTop = CenterY - tallest - 40;
        _islandBottom = CenterY + tallest + 50;
    }

    /// <summary>
    /// The end of a drag: the server stays where it was dropped, for the session. The layout's change
    /// comes back here like anyone else's, so a ring server it was dropped onto gives way at once,
    /// as it will on a page that opens this run from a file or a link.
    /// </summary>
    private void OnServerMoved(MovableModel moved)
    {
        if (moved is not ServerNodeModel model || Partitioned(Snap)) return; // islands are not the user's layout
        Live.MoveServer(model.Server, model.Centre.X, model.Centre.Y);
    }
}
