using System.Globalization;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

public partial class MessageOverlay
{
    [CascadingParameter] public ClusterCanvas Canvas { get; set; } = null!;

    /// <summary>What the lesson being played points at, if any: the messages it names (kinds, senders, receivers) are drawn highlighted.</summary>
    [CascadingParameter] public LessonHighlight? Highlight { get; set; }

    /// <summary>The same test as the space-time diagram's arrows: <see cref="LessonHighlight.Lights"/>.</summary>
    private bool Highlighted(RaftMessage m) => Highlight?.Lights(m.Kind, m.From, m.To) == true;

    /// <summary>What of the highlight decides which dots are lit.</summary>
    private static string Key(LessonHighlight? h) =>
        h is null ? "" : string.Join(",", h.Messages) + ">" + string.Join(",", h.From.Select(n => n.Value)) + ">" + string.Join(",", h.To.Select(n => n.Value));

    /// <summary>What is on the wire (ids and loss), the barriers and the selection: a render when any changes.</summary>
    protected override object ChangeKey() =>
        string.Join(",", Snapshot.Messages.Select(m => m.Lost ? -m.Id : m.Id)) + "|" + string.Join(",", Canvas.Barriers) + "|" + Canvas.SelectedMessageId + "|" + Live.Highlight.MessageId + "|" + Live.Highlight.Server + "|" + Key(Highlight);

    private Highlight? _highlight;

    /// <summary>Each dot's click handler, the same while the dot is on the wire, so a render re-sends only the dots that came or went.</summary>
    private readonly StableClicks<(long Id, bool Lost)> _clicks = new();

    protected override bool ShouldRender()
    {
        var render = base.ShouldRender();
        if (render) _clicks.NextRender();
        return render;
    }

    /// <summary>The space-time diagram's pick can change without a publish (a lane's name clicked): draw it then too.</summary>
    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        if (ReferenceEquals(_highlight, Live.Highlight)) return;
        if (_highlight is not null) _highlight.Changed -= OnHighlight;
        _highlight = Live.Highlight;
        _highlight.Changed += OnHighlight;
    }

    private void OnHighlight() => _ = InvokeAsync(Redraw);

    public override void Dispose()
    {
        if (_highlight is not null) _highlight.Changed -= OnHighlight;
        base.Dispose();
    }

    /// <summary>Renders now (the canvas moved the barriers while no publish was due, say when paused).</summary>
    internal void Redraw()
    {
        Touch();
        StateHasChanged();
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
}
