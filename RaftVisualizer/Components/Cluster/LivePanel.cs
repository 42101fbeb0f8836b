using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Base for the side panels that watch a <see cref="LiveCluster"/>. It subscribes to the pump's
/// publishes (at most 30 a second) and re-renders only when <see cref="ChangeKey"/> differs from
/// the last render's, or when the user acted on the panel itself. A parent re-rendering with the
/// same <see cref="Live"/> therefore costs nothing here.
/// </summary>
public abstract class LivePanel : ComponentBase, IHandleEvent, IDisposable
{
    private LiveCluster? _subscribed;
    private IDisposable? _subscription;
    private object? _renderedKey;
    private bool _userActed = true;

    [Parameter, EditorRequired] public LiveCluster Live { get; set; } = null!;

    protected ClusterFrame Snapshot => Live.Snapshot;

    /// <summary>What this panel shows, as a value; the panel renders again only when it changes.</summary>
    protected abstract object ChangeKey();

    /// <summary>Called on the renderer's thread after each publish, before the render decision.</summary>
    protected virtual void OnLiveChanged() { }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_subscribed, Live)) return;
        _subscription?.Dispose();
        _subscribed = Live;
        _subscription = Live.Subscribe(() => _ = InvokeAsync(LiveChanged));
        _userActed = true;
    }

    private void LiveChanged()
    {
        try
        {
            OnLiveChanged();
            StateHasChanged();
        }
        catch (Exception e)
        {
            _ = DispatchExceptionAsync(e);
        }
    }

    protected override bool ShouldRender()
    {
        var key = ChangeKey();
        if (!_userActed && Equals(key, _renderedKey)) return false;
        _userActed = false;
        _renderedKey = key;
        return true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // The first render does not ask ShouldRender, so what it drew is not known as a key: reading
        // ChangeKey here could read a newer state than the one drawn (a check finishing mid-render),
        // and the publish that follows would then be skipped as already shown. Leave the key unset:
        // the first publish renders once more.
        if (firstRender) _userActed = false;
    }

    /// <summary>Forces the next render even when the key is unchanged (a panel's own UI state moved).</summary>
    protected void Touch() => _userActed = true;

    async Task IHandleEvent.HandleEventAsync(EventCallbackWorkItem item, object? arg)
    {
        var task = item.InvokeAsync(arg);
        var sync = task.IsCompleted;
        _userActed = true;
        StateHasChanged();
        if (!sync)
        {
            await task;
            _userActed = true;
            StateHasChanged();
        }
        else await task;
    }

    public virtual void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
        GC.SuppressFinalize(this);
    }
}
