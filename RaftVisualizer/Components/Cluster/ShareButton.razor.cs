using Microsoft.AspNetCore.Components;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Creates a classroom room from the private cluster shown (its scenario replayed to now into the
/// room's own pump) and shows the join code, URL and presenter key. Inside a room it shows the room.
/// </summary>
public partial class ShareButton
{
    [Parameter, EditorRequired] public LiveCluster Live { get; set; } = null!;

    /// <summary>Optional, so a workbench rendered without the classroom services (a bUnit test) simply shows no Share.</summary>
    [Inject] private IServiceProvider Services { get; set; } = null!;

    private RoomRegistry? Rooms => Services.GetService<RoomRegistry>();
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private Classroom.Room? _shared;
    private string? _problem;

    private Classroom.Room? RoomOfThisCluster => Rooms?.Rooms.FirstOrDefault(r => ReferenceEquals(r.Pump, Live.Pump));

    /// <summary>The address of the browser behind this circuit (forwarded headers applied), for the per-client room limit.</summary>
    private string ClientAddress =>
        Services.GetService<IHttpContextAccessor>()?.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "circuit";

    private void Share()
    {
        if (Rooms is null) return;
        if (!Live.CanControl)
        {
            _problem = LiveCluster.WatchOnly;
            return;
        }
        var (scenario, now) = Live.Read(c => (c.Scenario, c.Now));
        var created = Rooms.Create(scenario, now, Live.Speed, ClientAddress);
        _shared = created.Room;
        _problem = created.Refusal;
    }

    private string Absolute(string path) => Navigation.ToAbsoluteUri(path).ToString();

    private static string PresenterUrl(Classroom.Room room) => $"{room.Url}?key={Uri.EscapeDataString(room.PresenterKey)}";
}
