using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace RaftVisualizer.Components.Cluster;

public partial class MessageOverlay
{
    [CascadingParameter] public ClusterCanvas Canvas { get; set; } = null!;

    /// <summary>What the lesson being played points at, if any: its kinds of message are drawn highlighted.</summary>
    [CascadingParameter] public RaftVisualizer.Core.Lessons.LessonHighlight? Highlight { get; set; }

    private bool Highlighted(RaftVisualizer.Core.RaftMessage m) => Highlight is { Messages.Count: > 0 } h && h.Messages.Contains(m.Kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>What is on the wire (ids and loss), the barriers and the selection: a render when any changes.</summary>
    protected override object ChangeKey() =>
        string.Join(",", Snapshot.Messages.Select(m => m.Lost ? -m.Id : m.Id)) + "|" + string.Join(",", Canvas.Barriers) + "|" + Canvas.SelectedMessageId + "|" + (Highlight is { } h ? string.Join(",", h.Messages) : "");

    /// <summary>Renders now (the canvas moved the barriers while no publish was due, say when paused).</summary>
    internal void Redraw()
    {
        Touch();
        StateHasChanged();
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
}
