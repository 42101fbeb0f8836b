using System.Xml.Linq;
using RaftVisualizer.Core;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The space-time diagram as a standalone SVG file (for slides): the same <see cref="SequenceLayout"/> the page
/// draws, with the same stylesheet embedded, a white background and a caption. Built as XML, so it is always
/// well-formed, whatever a message's text holds.
/// </summary>
public static class SequenceSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>
    /// The look of the diagram, used inline by the page and embedded in every export. Every rule is scoped
    /// by <c>.seq-svg</c>, so it touches nothing else on the page. Colours follow the canvas's messages.
    /// </summary>
    public const string Css = """
        .seq-svg { font-family: system-ui, -apple-system, Roboto, sans-serif; font-size: 12px; }
        .seq-svg .seq-bg { fill: #ffffff; }
        .seq-svg .seq-tick line { stroke: #eceff1; stroke-width: 1; }
        .seq-svg .seq-tick text { fill: #607d8b; font-size: 11px; }
        .seq-svg .seq-lane { stroke: #455a64; stroke-width: 2.5; }
        .seq-svg .seq-lane.learner { stroke: #78909c; stroke-width: 0.9; stroke-dasharray: 5 3; }
        .seq-svg .seq-lane.down { stroke: #9e9e9e; stroke-width: 1.5; stroke-dasharray: 2 3; }
        .seq-svg .seq-lane-label { fill: #263238; font-weight: 700; font-size: 13px; cursor: pointer; }
        .seq-svg .seq-lane-label.picked { fill: #d84315; text-decoration: underline; }
        .seq-svg .seq-band.down { fill: #9e9e9e; opacity: 0.28; }
        .seq-svg .seq-band-text { fill: #616161; font-size: 10px; font-style: italic; }
        .seq-svg .seq-band.partition.group-0 { fill: #ffcdd2; opacity: 0.6; }
        .seq-svg .seq-band.partition.group-1 { fill: #ffe0b2; opacity: 0.7; }
        .seq-svg .seq-band.partition.group-2 { fill: #e1bee7; opacity: 0.6; }
        .seq-svg .seq-band.partition.group-3 { fill: #c8e6c9; opacity: 0.6; }
        .seq-svg .seq-state rect { stroke-width: 1.4; }
        .seq-svg .seq-state text { font-size: 10px; font-weight: 700; }
        .seq-svg .seq-band.partition-label { fill: none; }
        .seq-svg .seq-partition-text { fill: #b71c1c; font-size: 10.5px; font-weight: 700; }
        .seq-svg .seq-band.future { fill: #eceff1; opacity: 0.55; pointer-events: none; }
        .seq-svg .seq-arrow { cursor: pointer; }
        .seq-svg .seq-arrow .line { fill: none; stroke-width: 1.6; }
        .seq-svg .seq-arrow .hit { fill: none; stroke: transparent; stroke-width: 9; pointer-events: stroke; }
        .seq-svg .seq-arrow.kind-requestvote .line { stroke: #e07b12; stroke-width: 2; }
        .seq-svg .seq-arrow.kind-requestvote .head { fill: #e07b12; }
        .seq-svg .seq-arrow.kind-prevote .line { stroke: #b35806; stroke-dasharray: 4 2; }
        .seq-svg .seq-arrow.kind-prevote .head { fill: #b35806; }
        .seq-svg .seq-arrow.kind-appendentries .line { stroke: #2f6fb0; stroke-width: 2.2; }
        .seq-svg .seq-arrow.kind-appendentries .head { fill: #2f6fb0; }
        .seq-svg .seq-arrow.kind-heartbeat .line { stroke: #6fa8dc; stroke-width: 1.1; }
        .seq-svg .seq-arrow.kind-heartbeat .head { fill: #6fa8dc; }
        .seq-svg .seq-arrow.ok .line { stroke: #2e7d32; }
        .seq-svg .seq-arrow.ok .head { fill: #2e7d32; }
        .seq-svg .seq-arrow.fail .line { stroke: #c62828; }
        .seq-svg .seq-arrow.fail .head { fill: #c62828; }
        .seq-svg .seq-arrow.heartbeat.ok .line { stroke: #81c784; stroke-width: 1.1; }
        .seq-svg .seq-arrow.heartbeat.ok .head { fill: #81c784; }
        .seq-svg .seq-arrow.kind-snapshot .line, .seq-svg .seq-arrow.kind-timeoutnow .line, .seq-svg .seq-arrow.kind-other .line { stroke: #6a1b9a; stroke-width: 2; }
        .seq-svg .seq-arrow.kind-snapshot .head, .seq-svg .seq-arrow.kind-timeoutnow .head, .seq-svg .seq-arrow.kind-other .head { fill: #6a1b9a; }
        .seq-svg .seq-arrow.kind-snapshot-reply .line { stroke: #6a1b9a; }
        .seq-svg .seq-arrow.fate-inflight .line { stroke-dasharray: 3 3; }
        .seq-svg .seq-arrow.fate-lost .line, .seq-svg .seq-arrow.fate-dropped .line { stroke-dasharray: 2 2; }
        .seq-svg .seq-arrow .cross { stroke: #c62828; stroke-width: 2.2; }
        .seq-svg .seq-arrow.fate-dropped .cross { stroke: #616161; }
        .seq-svg .seq-arrow.copy .line { stroke-width: 1.2; stroke-dasharray: 6 2 1 2; }
        .seq-svg .seq-arrow:hover .line { stroke-width: 3.2; }
        .seq-svg .seq-arrow.picked .line { stroke: #000; stroke-width: 3.4; stroke-dasharray: none; }
        .seq-svg .seq-arrow.picked .head { fill: #000; }
        .seq-svg .seq-mark { cursor: pointer; }
        .seq-svg .seq-mark.role rect { stroke-width: 1.4; }
        .seq-svg .seq-mark.role.leader rect { stroke-width: 2.6; }
        .seq-svg .seq-mark.role text { font-size: 10px; font-weight: 700; }
        .seq-svg .seq-mark.commit line { stroke: #2e7d32; stroke-width: 2; }
        .seq-svg .seq-mark.apply circle { fill: #7b1fa2; }
        .seq-svg .seq-mark.glyph text { font-size: 15px; font-weight: 700; }
        .seq-svg .seq-mark.crash text { fill: #c62828; }
        .seq-svg .seq-mark.restart text { fill: #2e7d32; }
        .seq-svg .seq-mark.snapshot text { fill: #6d4c41; }
        .seq-svg .seq-mark.configuration text, .seq-svg .seq-mark.joined text { fill: #6a1b9a; }
        .seq-svg .seq-mark .hit { fill: transparent; }
        .seq-svg .seq-mark:hover rect, .seq-svg .seq-mark:hover line { stroke-width: 3; }
        .seq-svg .seq-cursor line { stroke: #d32f2f; stroke-width: 2; }
        .seq-svg .seq-cursor text { fill: #d32f2f; font-size: 11px; font-weight: 700; }
        .seq-svg .seq-caption { fill: #546e7a; font-size: 11px; }
        """;

    /// <summary>The visible part of the diagram as a standalone SVG document.</summary>
    public static string Render(SequenceLayout layout, string caption)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var height = layout.Height + 18;
        var root = new XElement(Svg + "svg",
            new XAttribute("width", SequenceLayout.F(SequenceLayout.Width)), new XAttribute("height", SequenceLayout.F(height)),
            new XAttribute("viewBox", $"0 0 {SequenceLayout.F(SequenceLayout.Width)} {SequenceLayout.F(height)}"),
            new XAttribute("class", "seq-svg"),
            new XElement(Svg + "title", caption),
            new XElement(Svg + "style", Css),
            new XElement(Svg + "defs", new XElement(Svg + "clipPath", new XAttribute("id", "seq-plot"),
                Rect(SequenceLayout.Left, 0, layout.PlotWidth, layout.Height, null))),
            Rect(0, 0, SequenceLayout.Width, height, "seq-bg"));

        var plot = new XElement(Svg + "g", new XAttribute("transform", $"translate({SequenceLayout.F(layout.Shift)},0)"));
        foreach (var t in layout.Ticks)
            plot.Add(new XElement(Svg + "g", new XAttribute("class", "seq-tick"),
                Line(t.X, SequenceLayout.Top - 6, t.X, layout.Height - SequenceLayout.Bottom, null),
                Text(t.X + 3, 11, t.Label, null)));
        foreach (var b in layout.Bands)
        {
            var g = new XElement(Svg + "g", Rect(b.X, b.Y, b.Width, b.Height, b.Css), new XElement(Svg + "title", b.Title));
            if (b.Label is { } label) g.Add(Text(b.X + 3, b.Y + (b.Css.Contains("partition-label", StringComparison.Ordinal) ? 25 : 11), label, b.Css.Contains("partition", StringComparison.Ordinal) ? "seq-partition-text" : "seq-band-text"));
            plot.Add(g);
        }
        foreach (var s in layout.Segments) plot.Add(Line(s.X1, s.Y, s.X2, s.Y, s.Css));
        foreach (var a in layout.Arrows)
        {
            var g = new XElement(Svg + "g", new XAttribute("class", a.Css), new XElement(Svg + "title", a.Title),
                Path(a.Path, "line"));
            if (a.Head.Length > 0) g.Add(Path(a.Head, "head"));
            if (a.Cross is { } c) g.Add(Path(CrossPath(c.X, c.Y), "cross"));
            plot.Add(g);
        }
        foreach (var m in layout.Marks) plot.Add(Mark(m));
        root.Add(new XElement(Svg + "g", new XAttribute("clip-path", "url(#seq-plot)"), plot));

        foreach (var lane in layout.Lanes)
        {
            root.Add(Text(6, layout.Y(lane) + 4, lane.ToString(), "seq-lane-label"));
            if (layout.States.TryGetValue(lane, out var state)) root.Add(State(state, layout.Y(lane)));
        }
        if (layout.CursorX is { } x)
            root.Add(new XElement(Svg + "g", new XAttribute("class", "seq-cursor"),
                Line(x, SequenceLayout.Top - 8, x, layout.Height - SequenceLayout.Bottom, null)));
        root.Add(Text(SequenceLayout.Left, layout.Height + 12, caption, "seq-caption"));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root.ToString(SaveOptions.None);
    }

    /// <summary>The two strokes of a cross centred on (x, y).</summary>
    public static string CrossPath(double x, double y, double r = 4.5) =>
        $"M{SequenceLayout.F(x - r)},{SequenceLayout.F(y - r)} L{SequenceLayout.F(x + r)},{SequenceLayout.F(y + r)} M{SequenceLayout.F(x - r)},{SequenceLayout.F(y + r)} L{SequenceLayout.F(x + r)},{SequenceLayout.F(y - r)}";

    private static XElement Mark(MarkShape m)
    {
        var g = new XElement(Svg + "g", new XAttribute("class", m.Css), new XElement(Svg + "title", m.Title));
        if (m.Css.Contains("role", StringComparison.Ordinal))
        {
            var r = Rect(m.BoxX, m.Y - RoleBadges.Height / 2, m.BoxWidth, RoleBadges.Height, null);
            r.Add(new XAttribute("rx", "4"), new XAttribute("fill", m.Fill ?? "#eee"), new XAttribute("stroke", m.Stroke ?? "#333"));
            g.Add(r);
            var t = Text(m.BoxX + m.BoxWidth / 2, m.Y + 3.5, m.Glyph, null);
            t.Add(new XAttribute("text-anchor", "middle"), new XAttribute("fill", m.Stroke ?? "#333"));
            g.Add(t);
        }
        else if (m.Css.Contains("commit", StringComparison.Ordinal)) g.Add(Line(m.X, m.Y - 9, m.X, m.Y - 2, null));
        else if (m.Css.Contains("apply", StringComparison.Ordinal)) g.Add(new XElement(Svg + "circle", new XAttribute("cx", SequenceLayout.F(m.X)), new XAttribute("cy", SequenceLayout.F(m.Y + 6)), new XAttribute("r", "2")));
        else
        {
            var t = Text(m.X, m.Y - 7, m.Glyph, null);
            t.Add(new XAttribute("text-anchor", "middle"));
            g.Add(t);
        }
        return g;
    }

    private static XElement State(LaneState state, double y)
    {
        var r = Rect(SequenceLayout.StateX, y - 8, SequenceLayout.StateWidth, 16, null);
        r.Add(new XAttribute("rx", "4"), new XAttribute("fill", state.Fill), new XAttribute("stroke", state.Stroke));
        var t = Text(SequenceLayout.StateX + SequenceLayout.StateWidth / 2, y + 3.5, state.Text, null);
        t.Add(new XAttribute("text-anchor", "middle"), new XAttribute("fill", state.Stroke));
        return new XElement(Svg + "g", new XAttribute("class", "seq-state"), new XElement(Svg + "title", state.Title), r, t);
    }

    private static XElement Rect(double x, double y, double w, double h, string? css)
    {
        var e = new XElement(Svg + "rect", new XAttribute("x", SequenceLayout.F(x)), new XAttribute("y", SequenceLayout.F(y)),
            new XAttribute("width", SequenceLayout.F(Math.Max(0, w))), new XAttribute("height", SequenceLayout.F(Math.Max(0, h))));
        if (css is not null) e.Add(new XAttribute("class", css));
        return e;
    }

    private static XElement Line(double x1, double y1, double x2, double y2, string? css)
    {
        var e = new XElement(Svg + "line", new XAttribute("x1", SequenceLayout.F(x1)), new XAttribute("y1", SequenceLayout.F(y1)),
            new XAttribute("x2", SequenceLayout.F(x2)), new XAttribute("y2", SequenceLayout.F(y2)));
        if (css is not null) e.Add(new XAttribute("class", css));
        return e;
    }

    private static XElement Path(string d, string css) => new(Svg + "path", new XAttribute("d", d), new XAttribute("class", css));

    private static XElement Text(double x, double y, string text, string? css)
    {
        var e = new XElement(Svg + "text", new XAttribute("x", SequenceLayout.F(x)), new XAttribute("y", SequenceLayout.F(y)), text);
        if (css is not null) e.Add(new XAttribute("class", css));
        return e;
    }
}
