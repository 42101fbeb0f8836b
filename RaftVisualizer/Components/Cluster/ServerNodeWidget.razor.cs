using System.Globalization;
using Blazor.Diagrams.Core.Geometry;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Lessons;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// One server drawn on the diagram with the canvas's look: term colour, role by shape and badge,
/// the election-timer ring (drained by wwwroot/js/canvas.js), vote dots, crashed servers greyed.
/// A click opens the canvas's node menu; a drag (handled by the diagram) does not.
/// </summary>
public partial class ServerNodeWidget
{
    [Parameter, EditorRequired] public ServerNodeModel Node { get; set; } = null!;

    /// <summary>The canvas that owns the menus; absent when the widget is rendered on its own.</summary>
    [CascadingParameter] public ClusterCanvas? Canvas { get; set; }

    /// <summary>What the lesson being played points at, if any.</summary>
    [CascadingParameter] public RaftVisualizer.Core.Lessons.LessonHighlight? Highlight { get; set; }

    private Point? _downAt;

    private void PointerDown(PointerEventArgs _) => _downAt = Node.Position;

    private void Click(MouseEventArgs e)
    {
        // The browser also clicks at the end of a drag; a server that moved was dragged, not clicked.
        var moved = _downAt is { } at && (Math.Abs(at.X - Node.Position.X) > 3 || Math.Abs(at.Y - Node.Position.Y) > 3);
        _downAt = null;
        if (!moved) Canvas?.OnNodeClick(Node.Server, e);
    }

    private static string Shape(NodeFrame n, bool isLeader, bool isCandidate, bool learner) =>
        !n.IsUp ? "crossed" : isLeader ? "square" : isCandidate ? "dashed" : learner ? "hollow" : "circle";

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
}
