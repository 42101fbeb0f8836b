using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Export (a download of the run's scenario JSON), import (an exported file replaces this cluster;
/// anything wrong with it gets a sentence and changes nothing), and a share link that opens the
/// exact run (<c>/?run=</c>, see <see cref="SharedRun"/>). While the run goes on the link is rebuilt
/// every few wall seconds (compressing costs milliseconds), and at once when an action, a reset or a
/// pause or a drag changes what it should hold; paused, it holds exactly the moment shown by the clock.
/// Both carry the drawing's layout (where servers were dragged), and opening one restores it.
/// </summary>
public partial class RunTools : IAsyncDisposable
{
    [Inject] private IJSRuntime JS { get; set; } = null!;

    private IJSObjectReference? _module;
    private string? _link;
    private string? _linkProblem;
    private object? _linkKey;
    private string? _message;
    private bool _messageIsProblem;

    protected override object ChangeKey() => (LinkKey(), _link, _message, Live.CanControl);

    /// <summary>How often a running link is rebuilt.</summary>
    private const long LinkRefreshMs = 3000;

    private (long, int, long, bool, long) LinkKey() =>
        (Live.Pump.Generation, Live.Pump.ReadTimeline(t => t.Commands.Count), Live.Layout.Version, Live.IsHeadPaused,
            Live.IsHeadPaused ? Live.HeadTime.Ticks : Environment.TickCount64 / LinkRefreshMs);

    private ServerLayout? _watchedLayout;

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        if (!ReferenceEquals(_watchedLayout, Live.Layout))
        {
            if (_watchedLayout is not null) _watchedLayout.Changed -= OnLayoutChanged;
            _watchedLayout = Live.Layout;
            _watchedLayout.Changed += OnLayoutChanged;
        }
        RefreshLink();
    }

    /// <summary>A server dragged (even while paused, when nothing is published): the link carries the new layout.</summary>
    private void OnLayoutChanged() => _ = InvokeAsync(() =>
    {
        RefreshLink();
        StateHasChanged();
    });

    protected override void OnLiveChanged() => RefreshLink();

    private void RefreshLink()
    {
        var key = LinkKey();
        if (Equals(key, _linkKey)) return;
        _linkKey = key;
        if (Live.Pump.ReadTimeline(t => t.ExportProblem) is { } cannot)
        {
            (_link, _linkProblem) = (null, cannot);
            return;
        }
        var run = Current();
        _link = run.ToLinkParameter(out _linkProblem) is { } parameter ? "/?run=" + parameter : null;
    }

    /// <summary>The run as it stands, with where the servers were dragged.</summary>
    private SharedRun Current()
    {
        var positions = Live.Layout.Positions;
        return Live.Pump.ReadTimeline(t => SharedRun.WithLayout(t.Scenario, t.HeadTime, positions));
    }

    private async Task<IJSObjectReference> Module() =>
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/download.js");

    private async Task Export()
    {
        if (Live.Pump.ReadTimeline(t => t.ExportProblem) is { } cannot)
        {
            Say(cannot, problem: true);
            return;
        }
        var run = Current();
        var name = $"raft-run-seed{run.Scenario.Options.Seed}-{run.Until.TotalSeconds:0}s.json";
        try
        {
            await (await Module()).InvokeVoidAsync("save", name, run.ToJson());
            Say($"Saved {name}: {run.Scenario.Commands.Count} actions over {run.Until.TotalSeconds:0.#} simulated seconds.", problem: false);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task Import(InputFileChangeEventArgs e)
    {
        if (!Live.CanControl)
        {
            Say(LiveCluster.WatchOnly, problem: true);
            return;
        }
        string text;
        try
        {
            await using var stream = e.File.OpenReadStream(SharedRun.MaxFileBytes);
            using var reader = new StreamReader(stream);
            text = await reader.ReadToEndAsync();
        }
        catch (IOException)
        {
            Say($"{e.File.Name} is {e.File.Size / 1024.0:0} KB; a run file is at most {SharedRun.MaxFileBytes / 1024} KB. Nothing was changed.", problem: true);
            return;
        }
        if (SharedRun.FromJson(text, out var problem) is not { } run || run.TryReplay(out problem) is not { } replayed)
        {
            Say($"{e.File.Name}: {problem} Nothing was changed.", problem: true);
            return;
        }
        var result = Live.Replace(replayed);
        Say(result.Ok ? $"Opened {e.File.Name}: seed {run.Scenario.Options.Seed}, {run.Scenario.Commands.Count} actions, replayed to {run.Until.TotalSeconds:0.###} s." : result.Message,
            problem: !result.Ok);
    }

    private async Task Copy()
    {
        if (_link is null) return;
        try
        {
            var copied = await (await Module()).InvokeAsync<bool>("copy", _link);
            Say(copied ? "Link copied: it opens this run, paused at its latest moment." : "The browser would not copy; right-click Copy link and copy its address.", problem: !copied);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private void Say(string message, bool problem)
    {
        _message = message;
        _messageIsProblem = problem;
        Touch();
    }

    public async ValueTask DisposeAsync()
    {
        if (_watchedLayout is not null) _watchedLayout.Changed -= OnLayoutChanged;
        base.Dispose();
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
