using System.Globalization;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Core.SpaceTime;

namespace RaftVisualizer.Components.Cluster;

/// <summary>One message drawn as an arrow: its path, its head, a cross where it was lost, the text shown on hover.</summary>
public sealed record ArrowShape(SeqArrow Arrow, string Kind, string Css, string Path, string Head, (double X, double Y)? Cross, string Title);

/// <summary>A mark on a lane: where, what it shows (a badge with text, or a glyph), its colours and its hover text.</summary>
public sealed record MarkShape(LaneMark Mark, double X, double Y, string Css, string Glyph, string? Fill, string? Stroke, string Title)
{
    /// <summary>A role badge's box: its left edge and width (laid out by <see cref="RoleBadges"/> so that none overlap).</summary>
    public double BoxX { get; init; }

    public double BoxWidth { get; init; }

    /// <summary>How many role changes a badge stands for (more than one where changes fell too close to draw apart).</summary>
    public int Count { get; init; } = 1;
}

/// <summary>A rectangle behind the lanes: a server down (greyed), a partition's group (shaded), the future past the cursor.</summary>
public sealed record BandShape(double X, double Y, double Width, double Height, string Css, string? Label, string Title);

/// <summary>One stretch of a lane's line: thick for a voter, thin for a learner, dotted while down.</summary>
public sealed record LaneSegment(NodeId Lane, double X1, double X2, double Y, string Css);

public sealed record TickShape(double X, string Label);

/// <summary>A lane's badge: a role letter and term ("L3"), or "down", in the term's colours.</summary>
public sealed record LaneState(string Text, string Fill, string Stroke, string Title);

/// <summary>
/// The space-time diagram's geometry, shared by the page's <see cref="SequenceDiagram"/> and the SVG export
/// (<see cref="SequenceSvg"/>): lanes across, one per server, time from left to right. Coordinates of
/// arrows and marks are absolute in time (<c>x = Left + (t − origin) × scale</c>) and the drawing is shifted
/// by <see cref="Shift"/>, so while the window slides only the shift changes and the page re-sends little.
/// Pure: the same window gives the same shapes.
/// </summary>
public sealed class SequenceLayout
{
    public const double Width = 760;
    public const double Left = 66;
    public const double Right = 10;
    /// <summary>Where each lane's role badge sits in the gutter, after its name.</summary>
    public const double StateX = 27;
    public const double StateWidth = 34;
    public const double Top = 30;
    public const double LaneGap = 40;
    public const double Bottom = 8;
    /// <summary>At most this many arrows are drawn; beyond it the diagram says so (zoom in, or hide heartbeats).</summary>
    public const int MaxArrows = 2000;

    public SequenceLayout(SpaceTimeWindow window, IReadOnlyList<NodeId> lanes, TimeSpan viewFrom, TimeSpan viewTo, TimeSpan? cursor, TimeSpan origin,
        long? pickedMessage = null, NodeId? pickedServer = null, IReadOnlyList<NodeFrame>? atCursor = null)
    {
        States = (atCursor ?? []).Where(n => lanes.Contains(n.Id)).ToDictionary(n => n.Id, StateOf);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(lanes);
        Window = window;
        Lanes = lanes;
        From = viewFrom;
        To = viewTo > viewFrom ? viewTo : viewFrom + TimeSpan.FromMilliseconds(1);
        Origin = origin;
        Cursor = cursor;
        PickedMessage = pickedMessage;
        PickedServer = pickedServer;
        Scale = (Width - Left - Right) / (To - From).TotalMilliseconds;
        Height = Top + Math.Max(1, lanes.Count) * LaneGap + Bottom;
        for (var i = 0; i < lanes.Count; i++) _laneY[lanes[i]] = Top + LaneGap / 2 + i * LaneGap;

        Bands = BuildBands();
        Segments = BuildSegments();
        var arrows = window.Arrows.Where(a => _laneY.ContainsKey(a.From) && _laneY.ContainsKey(a.To)).ToArray();
        ArrowsLeftOut = Math.Max(0, arrows.Length - MaxArrows);
        Arrows = arrows.Take(MaxArrows).Select(ArrowFor).ToArray();
        var marks = window.Marks.Where(m => _laneY.ContainsKey(m.Node)).Select(MarkFor).ToArray();
        Marks = [.. marks.Where(m => m.Mark.Kind != MarkKind.Role), .. RoleBadges.Lay(marks.Where(m => m.Mark.Kind == MarkKind.Role))];
        Ticks = BuildTicks();
    }

    private readonly Dictionary<NodeId, double> _laneY = new();

    /// <summary>Each lane's badge beside its name: the server's role and term at the cursor (its colour), or down.</summary>
    public IReadOnlyDictionary<NodeId, LaneState> States { get; }

    private static LaneState StateOf(NodeFrame n) => !n.IsUp
        ? new LaneState("down", "#eeeeee", "#757575", $"{n.Id} is down at the cursor")
        : new LaneState(n.Role switch { NodeRole.Leader => "L", NodeRole.Candidate => "C", NodeRole.PreCandidate => "P", _ => "F" } + n.Term.ToString(CultureInfo.InvariantCulture),
            TermPalette.Fill(n.Term), TermPalette.Stroke(n.Term), $"{n.Id} at the cursor: {n.Role}, term {n.Term}, commit index {n.CommitIndex}");

    public SpaceTimeWindow Window { get; }
    public IReadOnlyList<NodeId> Lanes { get; }
    public TimeSpan From { get; }
    public TimeSpan To { get; }
    public TimeSpan Origin { get; }
    public TimeSpan? Cursor { get; }
    public long? PickedMessage { get; }
    public NodeId? PickedServer { get; }
    /// <summary>Pixels (SVG units) per simulated millisecond.</summary>
    public double Scale { get; }
    public double Height { get; }
    public double PlotWidth => Width - Left - Right;

    public IReadOnlyList<BandShape> Bands { get; }
    public IReadOnlyList<LaneSegment> Segments { get; }
    public IReadOnlyList<ArrowShape> Arrows { get; }
    public int ArrowsLeftOut { get; }
    public IReadOnlyList<MarkShape> Marks { get; }
    public IReadOnlyList<TickShape> Ticks { get; }

    /// <summary>The x of a moment, before the shift.</summary>
    public double X(TimeSpan t) => Left + (t - Origin).TotalMilliseconds * Scale;

    /// <summary>How far the drawing moves left so that <see cref="From"/> sits at the plot's left edge.</summary>
    public double Shift => -(From - Origin).TotalMilliseconds * Scale;

    public double Y(NodeId lane) => _laneY.TryGetValue(lane, out var y) ? y : Top;

    /// <summary>The cursor's x on the page (after the shift), or null when it is outside the window.</summary>
    public double? CursorX => Cursor is { } c && c >= From && c <= To ? X(c) + Shift : null;

    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A time as a student reads it on the axis: seconds with as many decimals as the tick step needs.</summary>
    public static string Seconds(TimeSpan t, double stepMs) =>
        t.TotalSeconds.ToString(stepMs >= 1000 ? "0" : stepMs >= 100 ? "0.0" : stepMs >= 10 ? "0.00" : "0.000", CultureInfo.InvariantCulture) + " s";

    /// <summary>The kind a student sees on the canvas (the same shapes and colours), with names for the rarer messages.</summary>
    public static string KindOf(RaftMessage m) => m switch
    {
        InstallSnapshot => "snapshot",
        InstallSnapshotReply => "snapshot-reply",
        TimeoutNow => "timeoutnow",
        _ => ClusterCanvas.MessageKind(m),
    };

    private ArrowShape ArrowFor(SeqArrow a)
    {
        var kind = KindOf(a.Message);
        var ok = ClusterCanvas.ReplyOk(a.Message);
        var x1 = X(a.SentAt) + a.Copy * 3;
        var y1 = Y(a.From);
        var yTo = Y(a.To);
        var down = yTo > y1 ? 1.0 : -1.0;
        double x2, y2;
        (double, double)? cross = null;
        switch (a.Fate)
        {
            case ArrowFate.Lost:
                (x2, y2) = (X(a.EndsAt), y1 + (yTo - y1) * 0.62);
                cross = (x2, y2);
                break;
            case ArrowFate.Dropped when a.EndsAt == a.SentAt:
                (x2, y2) = (x1 + 5, y1 + down * 12); // never left the sender: a stub
                cross = (x2, y2);
                break;
            case ArrowFate.Dropped:
                (x2, y2) = (X(a.EndsAt), y1 + (yTo - y1) * 0.85);
                cross = (x2, y2);
                break;
            default:
                (x2, y2) = (X(a.EndsAt), yTo - down * 3);
                break;
        }
        x2 += a.Copy * 3;
        string path;
        double tx, ty; // the direction the head points along
        if (a.IsReply && a.Fate != ArrowFate.Dropped)
        {
            // A reply leans back toward its request: a curve that bows to the earlier side.
            var (cx, cy) = ((x1 + x2) / 2 - Math.Min(14, 4 + Math.Abs(x2 - x1) * 0.4), (y1 + y2) / 2);
            path = $"M{F(x1)},{F(y1)} Q{F(cx)},{F(cy)} {F(x2)},{F(y2)}";
            (tx, ty) = (x2 - cx, y2 - cy);
        }
        else
        {
            path = $"M{F(x1)},{F(y1)} L{F(x2)},{F(y2)}";
            (tx, ty) = (x2 - x1, y2 - y1);
        }
        var head = cross is null ? HeadAt(x2, y2, tx, ty, a.Heartbeat ? 5 : 7) : "";
        var css = $"seq-arrow kind-{kind}{(ok is null ? "" : ok.Value ? " ok" : " fail")} fate-{a.Fate.ToString().ToLowerInvariant()}" +
                  (a.Heartbeat ? " heartbeat" : "") + (a.Copy > 0 ? " copy" : "") + (a.IsReply ? " reply" : "") + (PickedMessage == a.MessageId ? " picked" : "");
        return new ArrowShape(a, kind, css, path, head, cross, Describe(a));
    }

    /// <summary>A filled triangle with its tip at (x, y), pointing along (dx, dy).</summary>
    private static string HeadAt(double x, double y, double dx, double dy, double size)
    {
        var len = Math.Max(0.001, Math.Sqrt(dx * dx + dy * dy));
        var (ux, uy) = (dx / len, dy / len);
        var (bx, by) = (x - ux * size, y - uy * size);
        var (px, py) = (-uy * size * 0.5, ux * size * 0.5);
        return $"M{F(x)},{F(y)} L{F(bx + px)},{F(by + py)} L{F(bx - px)},{F(by - py)} Z";
    }

    /// <summary>What hovering an arrow says: the message's fields, when it was sent and what became of it.</summary>
    public static string Describe(SeqArrow a)
    {
        var what = ClusterCanvas.Describe(new InFlightMessage(a.MessageId, a.Message, a.SentAt, a.EndsAt, Lost: false));
        if (a.Message is AppendEntries { Entries.Count: > 0 } ae)
            what += $"; entries: {string.Join(", ", ae.Entries.Take(4).Select(e => $"{e.Index}:t{e.Term} {e.Command}"))}{(ae.Entries.Count > 4 ? ", …" : "")}";
        var wire = (a.EndsAt - a.SentAt).TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture);
        var fate = a.Fate switch
        {
            ArrowFate.Delivered => $"delivered at {Ms(a.EndsAt)} ms ({wire} ms on the wire)",
            ArrowFate.Lost => $"lost by the network at {Ms(a.EndsAt)} ms",
            ArrowFate.Dropped => $"dropped at {Ms(a.EndsAt)} ms: {a.Why}",
            _ => $"still on the wire, arrives at {Ms(a.EndsAt)} ms",
        };
        return $"#{a.MessageId} {what}\nsent at {Ms(a.SentAt)} ms, {fate}" +
               (a.Copy > 0 ? $"\na duplicate the network made (copy {a.Copy})" : "") +
               (a.ReplyTo is { } q ? $"\nanswers message #{q}" : "") + "\nclick: move the timeline to its send";
    }

    private MarkShape MarkFor(LaneMark m)
    {
        var x = X(m.At);
        var y = Y(m.Node);
        var title = $"{m.Node} at {Ms(m.At)} ms: {m.Text}\nclick: move the timeline here";
        return m.Kind switch
        {
            MarkKind.Role => new MarkShape(m, x, y, "seq-mark role " + RoleWord(m.Text).ToLowerInvariant(), RoleLetter(m.Text) + m.Term.ToString(CultureInfo.InvariantCulture),
                TermPalette.Fill(m.Term), TermPalette.Stroke(m.Term), title),
            MarkKind.Commit => new MarkShape(m, x, y, "seq-mark commit", "", null, null, title),
            MarkKind.Apply => new MarkShape(m, x, y, "seq-mark apply", "", null, null, title),
            MarkKind.Crash => new MarkShape(m, x, y, "seq-mark glyph crash", "✖", null, null, title),
            MarkKind.Restart => new MarkShape(m, x, y, "seq-mark glyph restart", "▲", null, null, title),
            MarkKind.Snapshot => new MarkShape(m, x, y, "seq-mark glyph snapshot", "▣", null, null, title),
            MarkKind.Configuration => new MarkShape(m, x, y, "seq-mark glyph configuration", "⚙", null, null, title),
            _ => new MarkShape(m, x, y, "seq-mark glyph joined", "+", null, null, title),
        };
    }

    private static string RoleWord(string text) => text.Split(' ', 2)[0];

    private static string RoleLetter(string text) => RoleWord(text) switch
    {
        "Leader" => "L",
        "Candidate" => "C",
        "PreCandidate" => "P",
        _ => "F",
    };

    private IReadOnlyList<BandShape> BuildBands()
    {
        var bands = new List<BandShape>();
        var half = LaneGap / 2;
        foreach (var p in Window.Partitions)
        {
            var (from, to) = (Max(p.From, From), Min(p.To ?? To, To));
            if (to <= from) continue;
            var text = string.Join(" | ", p.Groups.Select(g => string.Join(" ", g)));
            // The largest group is the cluster carrying on; the others are shaded, each its own tint.
            var main = p.Groups.Select((g, i) => (g.Count, i)).MaxBy(x => (x.Count, -x.i)).i;
            for (var g = 0; g < p.Groups.Count; g++)
                if (g != main)
                    foreach (var lane in p.Groups[g].Where(_laneY.ContainsKey))
                    bands.Add(new BandShape(X(from), Y(lane) - half, X(to) - X(from), LaneGap, $"seq-band partition group-{(g < main ? g : g - 1) % 4}", null,
                        $"partition {text}: {lane} is cut off from the largest group; messages between groups are dropped"));
            bands.Add(new BandShape(X(from), 0, X(to) - X(from), Top - 16, "seq-band partition-label", "partition " + text, $"partition {text} from {Ms(p.From)} ms"));
        }
        foreach (var s in Window.Spans.Where(s => s.Kind == SpanKind.Down && _laneY.ContainsKey(s.Node)))
        {
            var (from, to) = (Max(s.From, From), Min(s.To ?? To, To));
            if (to <= from) continue;
            bands.Add(new BandShape(X(from), Y(s.Node) - half + 4, X(to) - X(from), LaneGap - 8, "seq-band down", "down",
                $"{s.Node} is down from {Ms(s.From)} ms{(s.To is { } t ? $" to {Ms(t)} ms" : "")}: it sends nothing and every message to it is dropped"));
        }
        if (Cursor is { } c && c < To)
        {
            var from = Max(c, From);
            bands.Add(new BandShape(X(from), Top - 4, X(To) - X(from), Height - Top - Bottom + 4, "seq-band future", null, "after the moment shown: what this run does next"));
        }
        return bands;
    }

    private IReadOnlyList<LaneSegment> BuildSegments()
    {
        var result = new List<LaneSegment>();
        foreach (var lane in Lanes)
        {
            var y = Y(lane);
            // Cut the lane at each learner or down span's ends; each piece takes the look of the spans over it.
            var spans = Window.Spans.Where(s => s.Node == lane).ToArray();
            var cuts = new SortedSet<TimeSpan> { From, To };
            foreach (var s in spans)
            {
                if (s.From > From && s.From < To) cuts.Add(s.From);
                if (s.To is { } e && e > From && e < To) cuts.Add(e);
            }
            var points = cuts.ToArray();
            for (var i = 0; i + 1 < points.Length; i++)
            {
                var mid = points[i] + (points[i + 1] - points[i]) / 2;
                bool In(SpanKind kind) => spans.Any(s => s.Kind == kind && s.From <= mid && (s.To ?? TimeSpan.MaxValue) >= mid);
                var css = In(SpanKind.Down) ? "seq-lane down" : In(SpanKind.Learner) ? "seq-lane learner" : "seq-lane";
                result.Add(new LaneSegment(lane, X(points[i]), X(points[i + 1]), y, css));
            }
        }
        return result;
    }

    private IReadOnlyList<TickShape> BuildTicks()
    {
        var spanMs = (To - From).TotalMilliseconds;
        var step = new[] { 1.0, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 }.FirstOrDefault(s => s >= spanMs / 7, 10000);
        var ticks = new List<TickShape>();
        for (var t = Math.Ceiling(From.TotalMilliseconds / step) * step; t <= To.TotalMilliseconds; t += step)
            ticks.Add(new TickShape(X(TimeSpan.FromMilliseconds(t)), Seconds(TimeSpan.FromMilliseconds(t), step)));
        return ticks;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
