using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// What happened and why, in plain words, newest first. Chips filter by category and by node;
/// the "messages" chip also lets through the routine traffic (heartbeats, timer resets).
/// </summary>
public partial class EventFeed
{
    /// <summary>The most lines drawn at once; older ones stay in the filter's reach but off the page.</summary>
    public const int MaxLines = 150;
    private static readonly EventCategory[] Categories = Enum.GetValues<EventCategory>();
    /// <summary>Narration and a stable render key per event object (records with equal values can repeat).</summary>
    private static readonly ConditionalWeakTable<ClusterEvent, Narrated> Cache = new();
    private static long _nextKey;

    private readonly HashSet<EventCategory> _categories = [.. Categories.Where(c => c != EventCategory.Messages)];
    private NodeId? _node;
    private IReadOnlyList<NodeId> _nodes = [];
    private IReadOnlyList<Line> _lines = [];
    private (int Count, ClusterEvent? Last, int Filter) _shown;
    private int _filterVersion;

    /// <summary>The events to tell, oldest first (as <c>LiveCluster.RecentEvents</c> gives them).</summary>
    [Parameter, EditorRequired] public IReadOnlyList<ClusterEvent> Events { get; set; } = [];

    /// <summary>How many nodes the node filter offers; taken from the events when not set.</summary>
    [Parameter] public int NodeCount { get; set; }

    protected override void OnParametersSet() => Rebuild();

    protected override bool ShouldRender()
    {
        var now = (Events.Count, Events.Count > 0 ? Events[^1] : null, _filterVersion);
        if (now.Item1 == _shown.Count && ReferenceEquals(now.Item2, _shown.Last) && now._filterVersion == _shown.Filter && _hasRendered) return false;
        _shown = now;
        _hasRendered = true;
        return true;
    }

    private bool _hasRendered;

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _shown = (Events.Count, Events.Count > 0 ? Events[^1] : null, _filterVersion);
        _hasRendered = true;
    }

    private void Toggle(EventCategory category)
    {
        if (!_categories.Remove(category)) _categories.Add(category);
        _filterVersion++;
        Rebuild();
    }

    private void SetNode(NodeId? node)
    {
        _node = node;
        _filterVersion++;
        Rebuild();
    }

    private void Rebuild()
    {
        var count = NodeCount > 0 ? NodeCount : Events.SelectMany(EventNarrator.NodesOf).Select(n => n.Value).DefaultIfEmpty(0).Max();
        if (_nodes.Count != count) _nodes = Enumerable.Range(1, count).Select(i => new NodeId(i)).ToArray();
        var verbose = _categories.Contains(EventCategory.Messages);
        var lines = new List<Line>(Math.Min(MaxLines, Events.Count));
        // A server's futile elections are folded (see CampaignFolding); picking the server shows each.
        var (folded, folds) = _node is null ? CampaignFolding.Plan(Events) : ([], []);
        var summaries = folds.ToDictionary(f => f.SummaryAt);
        for (var i = Events.Count - 1; i >= 0 && lines.Count < MaxLines; i--)
        {
            var e = Events[i];
            if (summaries.TryGetValue(i, out var fold) && _categories.Contains(EventCategory.Elections))
                lines.Add(new Line(-1 - i - 1_000_000L * fold.Node.Value, EventNarrator.Clock(e.Time), CampaignFolding.Describe(fold), "elections folded", "Elections"));
            if (folded.Contains(i)) continue;
            var told = Cache.GetValue(e, Tell);
            if (!_categories.Contains(told.Category)) continue;
            if (_node is { } node && !told.Nodes.Contains(node)) continue;
            var text = verbose ? told.Verbose : told.Text;
            if (text is null) continue;
            lines.Add(new Line(told.Key, told.Time, text, told.Category.ToString().ToLowerInvariant(), told.Category.ToString()));
        }
        _lines = lines;
    }

    private static Narrated Tell(ClusterEvent e) => new(
        Interlocked.Increment(ref _nextKey), EventNarrator.Clock(e.Time), EventNarrator.Describe(e),
        EventNarrator.Describe(e, verbose: true), EventNarrator.Categorize(e), EventNarrator.NodesOf(e).ToArray());

    private static string Label(EventCategory c) => c.ToString().ToLowerInvariant();

    private static Color ColorOf(EventCategory c) => c switch
    {
        EventCategory.Elections => Color.Warning,
        EventCategory.Replication => Color.Primary,
        EventCategory.Messages => Color.Secondary,
        EventCategory.Client => Color.Success,
        EventCategory.Membership => Color.Info,
        _ => Color.Error,
    };

    private sealed record Narrated(long Key, string Time, string? Text, string? Verbose, EventCategory Category, NodeId[] Nodes);

    private sealed record Line(long Key, string Time, string Text, string Css, string Category);
}
