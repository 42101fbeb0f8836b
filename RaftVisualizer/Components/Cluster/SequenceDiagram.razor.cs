using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Core.SpaceTime;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The live space-time (Lamport) diagram beside the animation: one lane per server, each message an arrow
/// from send to arrival, marks for roles, commits and faults, greyed down spans and shaded partitions, and a
/// cursor at the timeline's moment. It reads the same cursor as every panel: live, the window ends at the
/// head; in the past it is centred on the cursor, so scrubbing scrolls it (after a click inside it, it stays
/// put while the cursor stays in view). Only the visible window is fetched (<see cref="LiveCluster.SpaceTime"/>)
/// and drawn, at most <see cref="MinRefresh"/>-spaced; a click moves the timeline and highlights the same
/// message or server on the canvas (<see cref="LiveCluster.Highlight"/>).
/// </summary>
public partial class SequenceDiagram : IDisposable
{
    /// <summary>The zoom steps: how much simulated time the window shows.</summary>
    internal static readonly TimeSpan[] Spans =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    /// <summary>The diagram is refetched and redrawn at most this often (wall time); the last change is always drawn.</summary>
    internal static readonly TimeSpan MinRefresh = TimeSpan.FromMilliseconds(120);

    /// <summary>At most this long between redraws while the window slides too fast to follow (a high speed, a short window).</summary>
    internal static readonly TimeSpan MaxRefresh = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// How long to wait between redraws: <see cref="MinRefresh"/>, stretched while live when the window turns
    /// over in under two wall seconds (at 10× a 1 s window does so ten times a second), since then every redraw
    /// replaces nearly every arrow and drawing more often only costs the page frames.
    /// </summary>
    private TimeSpan RefreshInterval
    {
        get
        {
            if (!_live || Live.IsHeadPaused) return MinRefresh;
            var turnovers = Live.Speed / Span.TotalSeconds; // windows per wall second
            return TimeSpan.FromTicks(Math.Clamp((long)(MinRefresh.Ticks * turnovers / 2), MinRefresh.Ticks, MaxRefresh.Ticks));
        }
    }

    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Parameter, EditorRequired] public LiveCluster Live { get; set; } = null!;

    /// <summary>The lesson step's highlight (cascaded by the workbench): arrows it names are drawn highlighted.</summary>
    [CascadingParameter] public RaftVisualizer.Core.Lessons.LessonHighlight? LessonHighlight { get; set; }
    private RaftVisualizer.Core.Lessons.LessonHighlight? _litBy;

    private readonly string _clipId = "seq-clip-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private LiveCluster? _subscribed;
    private IDisposable? _subscription;
    private int _spanIndex = 2;
    private bool _hideHeartbeats;
    private NodeId? _only;
    private long? _minTerm;
    private long? _maxTerm;
    private bool _pinned;
    private TimeSpan _viewFrom;
    private TimeSpan _viewTo;
    private TimeSpan _cursor;
    private bool _live = true;
    private long _generation = -1;
    private SpaceTimeStart? _known;
    private SpaceTimeSlice? _slice;
    private (long Generation, TimeSpan From, TimeSpan To) _sliceKey;
    private SequenceLayout? _layout;
    private IReadOnlyList<NodeId> _lanes = [];
    private bool _dirty = true;
    private TimeSpan _lastRefresh = TimeSpan.MinValue;
    private bool _trailing;
    private IJSObjectReference? _download;

    private TimeSpan Span => Spans[_spanIndex];

    private string SpanText => Span.TotalSeconds >= 1
        ? $"{Span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s shown"
        : $"{Span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms shown";

    /// <summary>The filter the controls set.</summary>
    internal SpaceTimeFilter Filter => new(_hideHeartbeats, _only, _minTerm, _maxTerm);

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_litBy, LessonHighlight))
        {
            _litBy = LessonHighlight;
            _dirty = true;
        }
        if (ReferenceEquals(_subscribed, Live)) return;
        _subscription?.Dispose();
        _subscribed = Live;
        _subscription = Live.Subscribe(() => _ = InvokeAsync(OnLiveChanged));
        _known = null;
        Refresh(force: true);
    }

    protected override bool ShouldRender()
    {
        var render = _dirty;
        _dirty = false;
        if (render)
        {
            _arrowClicks.NextRender();
            _markClicks.NextRender();
        }
        return render;
    }

    /// <summary>Each arrow's and mark's click handler, the same from render to render, so a redraw re-sends only what moved.</summary>
    private readonly StableClicks<(long Message, int Copy)> _arrowClicks = new();
    private readonly StableClicks<LaneMark> _markClicks = new();

    private void OnLiveChanged()
    {
        try
        {
            if (_clock.Elapsed - _lastRefresh < RefreshInterval)
            {
                if (!_trailing)
                {
                    _trailing = true;
                    _ = TrailingRefreshAsync();
                }
                return;
            }
            if (Refresh(force: false)) StateHasChanged();
        }
        catch (Exception e)
        {
            _ = DispatchExceptionAsync(e);
        }
    }

    /// <summary>After a skipped publish, draws the latest moment once the refresh interval has passed.</summary>
    private async Task TrailingRefreshAsync()
    {
        await Task.Delay(RefreshInterval);
        try
        {
            await InvokeAsync(() =>
            {
                _trailing = false;
                if (Refresh(force: false)) StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // the page closed meanwhile
        }
    }

    /// <summary>Works out the window from the cursor, fetches it if it moved, and lays it out; true when there is something new to draw.</summary>
    private bool Refresh(bool force)
    {
        _lastRefresh = _clock.Elapsed;
        var snapshot = Live.Snapshot;
        var (start, head, cursor, live) = (Live.StartTime, Live.HeadTime, snapshot.Now, Live.IsLive);
        var span = Span;
        TimeSpan from;
        if (live)
        {
            _pinned = false;
            from = cursor - span;
        }
        else if (_pinned && !_live && cursor >= _viewFrom && cursor <= _viewTo && _viewTo - _viewFrom == span)
        {
            from = _viewFrom;
        }
        else
        {
            _pinned = false;
            from = cursor - span / 2;
            if (from + span > head) from = head - span;
        }
        if (from < start) from = start;
        var to = from + span;

        var generation = Live.Pump.Generation;
        if (generation != _generation)
        {
            _generation = generation;
            _known = null;
            _slice = null;
        }
        var fetchTo = to < head ? to : head;
        var key = (generation, from, fetchTo);
        var changed = force || _slice is null || key != _sliceKey || cursor != _cursor || live != _live;
        if (!changed) return false;
        if (_slice is null || key != _sliceKey)
        {
            _slice = Live.SpaceTime(from, fetchTo, _known);
            _sliceKey = key;
            _known = _slice.Start;
        }
        (_viewFrom, _viewTo, _cursor, _live) = (from, to, cursor, live);
        Layout();
        return true;
    }

    /// <summary>Builds the window through the filter and lays it out (a filter change needs no fetch).</summary>
    private void Layout()
    {
        if (_slice is null) return;
        var window = _slice.Build(Filter);
        _lanes = _slice.Lanes;
        _layout = new SequenceLayout(window, _lanes, _viewFrom, _viewTo, _cursor, Live.StartTime, Live.Highlight.MessageId, Live.Highlight.Server ?? _only, Live.Snapshot.Nodes);
        _dirty = true;
    }

    private void Zoom(int by)
    {
        _spanIndex = Math.Clamp(_spanIndex + by, 0, Spans.Length - 1);
        _pinned = false;
        Refresh(force: true);
    }

    private void OnHideHeartbeats(ChangeEventArgs e)
    {
        _hideHeartbeats = e.Value is true || string.Equals(e.Value?.ToString(), "true", StringComparison.OrdinalIgnoreCase);
        Layout();
    }

    private void OnServer(ChangeEventArgs e)
    {
        _only = int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? new NodeId(id) : null;
        Layout();
    }

    private void OnMinTerm(ChangeEventArgs e)
    {
        _minTerm = Term(e);
        Layout();
    }

    private void OnMaxTerm(ChangeEventArgs e)
    {
        _maxTerm = Term(e);
        Layout();
    }

    private static long? Term(ChangeEventArgs e) =>
        long.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) && t >= 0 ? t : null;

    /// <summary>A click on an arrow: the timeline moves to its send, and the canvas highlights the same message.</summary>
    private void PickArrow(SeqArrow arrow)
    {
        Live.Highlight.Set(arrow.MessageId, arrow.From);
        Seek(arrow.SentAt);
    }

    /// <summary>A click on a mark: the timeline moves to it, and the canvas highlights its server.</summary>
    private void PickMark(LaneMark mark)
    {
        Live.Highlight.Set(null, mark.Node);
        Seek(mark.At);
    }

    /// <summary>A click on a lane's name: only that server's messages (again: all of them).</summary>
    private void PickServer(NodeId server)
    {
        _only = _only == server ? null : server;
        Live.Highlight.Set(null, _only);
        Layout();
    }

    private void Seek(TimeSpan at)
    {
        _pinned = true;
        _live = false;
        Live.SeekTime(at);
        Refresh(force: true);
    }

    /// <summary>The visible part as a standalone SVG document (what Export SVG downloads).</summary>
    internal string ExportSvg()
    {
        if (_layout is null) return SequenceSvg.Render(new SequenceLayout(new SpaceTimeWindow(_viewFrom, _viewTo, [], [], [], [], []), [], _viewFrom, _viewTo, null, _viewFrom), "empty");
        var f = Filter;
        var filters = string.Join(", ", new[]
        {
            f.HideHeartbeats ? "heartbeats hidden" : null,
            f.OnlyServer is { } only ? $"only {only}" : null,
            f.MinTerm is not null || f.MaxTerm is not null ? $"terms {f.MinTerm?.ToString(CultureInfo.InvariantCulture) ?? "…"}–{f.MaxTerm?.ToString(CultureInfo.InvariantCulture) ?? "…"}" : null,
        }.Where(s => s is not null));
        var options = Live.Snapshot.Options;
        string S(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        var caption = $"Raft, {_lanes.Count} servers, seed {options.Seed}: t = {S(_viewFrom)} s to {S(_viewTo)} s" +
                      (filters.Length > 0 ? $" ({filters})" : "") + $", cursor at {S(_cursor)} s";
        return SequenceSvg.Render(_layout, caption);
    }

    private async Task ExportAsync()
    {
        var svg = ExportSvg();
        var name = $"raft-sequence-{SequenceLayout.Ms(_viewFrom).Replace('.', '_')}-{SequenceLayout.Ms(_viewTo).Replace('.', '_')}ms.svg";
        try
        {
            _download ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/download.js");
            await _download.InvokeVoidAsync("save", name, svg, "image/svg+xml");
        }
        catch (JSDisconnectedException)
        {
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
        if (_download is not null) _ = DisposeModuleAsync(_download);
        GC.SuppressFinalize(this);
    }

    private static async Task DisposeModuleAsync(IJSObjectReference module)
    {
        try
        {
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
