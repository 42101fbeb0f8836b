using Microsoft.AspNetCore.Components;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Pages;

/// <summary>
/// A shared classroom room: everyone sees the room's one cluster; only a viewer with the presenter key
/// (<c>?key=...</c> or typed in) may drive it. Anyone may fork it into their own private cluster.
/// </summary>
public partial class Room
{
    [Parameter] public string Code { get; set; } = "";
    [SupplyParameterFromQuery(Name = "key")] public string? Key { get; set; }

    [Inject] private RoomRegistry Rooms { get; set; } = null!;
    [Inject] private IServiceProvider Services { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private Classroom.Room? _room;
    private LiveCluster? _live;
    private IDisposable? _viewerSlot;
    private string? _refusal;
    private string? _notice;
    private string? _keyInput;

    protected override void OnParametersSet()
    {
        if (!RendererInfo.IsInteractive || _room is not null || _refusal is not null) return;
        if (!Rooms.TryGet(Code, out var room))
        {
            _refusal = RoomRegistry.NoSuchRoom(Code);
            return;
        }
        _viewerSlot = room.TryAddPageViewer(out _refusal);
        if (_viewerSlot is null) return;
        _room = room;
        _live = new LiveCluster(room.Pump, ownsPump: false, canControl: room.IsPresenter(Key), submit: room.Submit) { InRoom = true }; // the room's caps apply to the page too
        if (Key is { Length: > 0 } && !_live.CanControl) _notice = "That presenter key does not open this room; you are watching.";
        room.Closed += OnRoomClosed;
        _hideKey = _live.CanControl;
    }

    private bool _hideKey;

    protected override void OnAfterRender(bool firstRender)
    {
        // Take the key out of the address bar, so it is not shown on the projector; this page keeps presenting.
        if (!_hideKey) return;
        _hideKey = false;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("key", (string?)null), replace: true);
    }

    private void ApplyKey()
    {
        if (_room is null || _live is null) return;
        if (_room.IsPresenter(_keyInput?.Trim()))
        {
            _live.CanControl = true;
            _notice = null;
        }
        else
        {
            _notice = "That is not this room's presenter key; you are still watching.";
        }
        _keyInput = null;
    }

    /// <summary>Ends the room for everyone; only the presenter may (checked here, not only by the hidden button).</summary>
    private void CloseRoom()
    {
        if (_room is null || _live is null) return;
        if (!_live.CanControl)
        {
            _notice = LiveCluster.WatchOnly;
            return;
        }
        Rooms.Close(_room.Code, "the presenter closed it");
    }

    /// <summary>
    /// Copies the room's head (a clone: no replay of its history) into this tab's private cluster, with the
    /// servers where the presenter put them, then opens it. The copy's timeline starts at this moment; its
    /// scenario still holds the whole run.
    /// </summary>
    private void Fork()
    {
        if (_room is null) return;
        var session = Services.GetRequiredService<PrivateSession>();
        if (session.Live is not { } mine)
        {
            _notice = session.Refusal;
            return;
        }
        mine.Fork(_room.Pump);
        Navigation.NavigateTo("/");
    }

    private void OnRoomClosed(string reason) => _ = InvokeAsync(() =>
    {
        _refusal = $"Room {Code} has closed: {reason}.";
        ReleaseRoom();
        StateHasChanged();
    });

    private void ReleaseRoom()
    {
        if (_room is not null) _room.Closed -= OnRoomClosed;
        _live?.Dispose();
        _live = null;
        _viewerSlot?.Dispose();
        _viewerSlot = null;
    }

    public void Dispose() => ReleaseRoom();
}
