using Microsoft.AspNetCore.SignalR;
using RaftVisualizer.Core;

namespace RaftVisualizer.Classroom;

/// <summary>
/// The classroom hub at <c>/hubs/cluster</c>. Anyone may join a room and watch (a snapshot on join,
/// then event batches). Commands that change the room's cluster need the room's presenter key.
/// </summary>
public sealed class ClusterHub(RoomRegistry rooms, IHubContext<ClusterHub, IClusterClient> hub) : Hub<IClusterClient>
{
    public const string Path = "/hubs/cluster";
    public const string WatchOnly = "This room is watch-only without the presenter key.";

    /// <summary>Starts watching a room: the caller gets the full snapshot, then every batch.</summary>
    public JoinResultDto JoinRoom(string code)
    {
        var refusal = rooms.Join(code, Context.ConnectionId, hub.Clients.Client(Context.ConnectionId));
        if (refusal is not null) throw new HubException(refusal);
        rooms.TryGet(code, out var room);
        return new JoinResultDto(room.Code, room.Viewers, room.MaxViewers);
    }

    public void LeaveRoom() => rooms.Leave(Context.ConnectionId);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        rooms.Leave(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>True when the key drives the room (a client may check before showing controls).</summary>
    public bool CheckPresenterKey(string code, string key) => Room(code).IsPresenter(key);

    public string Crash(string code, string key, int node) => Act(code, key, c => c.Crash(node));
    public string Restart(string code, string key, int node) => Act(code, key, c => c.Restart(node));
    public string Heal(string code, string key) => Act(code, key, c => c.Heal());

    public string Partition(string code, string key, int[][] groups)
    {
        if (groups is null || groups.Length == 0) throw new HubException("Give the groups, e.g. [[1,2],[3,4,5]].");
        return Act(code, key, c => c.Partition(groups.Select(g => (g ?? []).Select(n => (NodeId)n)).ToArray()));
    }

    /// <summary>Submits a put through Raft; the answer arrives in the event stream (ClientRequestAnswered).</summary>
    public string Put(string code, string key, string kvKey, string value)
    {
        var room = Presenter(code, key);
        var command = KvCommand.Put(kvKey ?? "", value ?? "");
        if (KvLimits.Validate(command) is { } problem) throw new HubException(problem);
        var op = room.Pump.Execute(c => c.Submit(command));
        return $"Submitted {command} as operation #{op.Id}.";
    }

    public string SetSpeed(string code, string key, double speed)
    {
        var room = Presenter(code, key);
        if (double.IsNaN(speed) || speed <= 0)
            throw new HubException($"Speed must be a positive number ({Sessions.ClusterPump.MinSpeed}× to {Sessions.ClusterPump.MaxSpeed}×).");
        room.Pump.SetSpeed(speed);
        return $"Speed is now {room.Pump.Speed}×.";
    }

    public string Pause(string code, string key)
    {
        Presenter(code, key).Pump.Pause();
        return "Paused.";
    }

    public string Resume(string code, string key)
    {
        Presenter(code, key).Pump.Resume();
        return "Running.";
    }

    private string Act(string code, string key, Func<Cluster, ActionResult> action)
    {
        var result = Presenter(code, key).Pump.Execute(action);
        if (!result.Ok) throw new HubException(result.Message);
        return result.Message;
    }

    private Room Presenter(string code, string key)
    {
        var room = Room(code);
        if (!room.IsPresenter(key)) throw new HubException(WatchOnly);
        return room;
    }

    private Room Room(string code) =>
        rooms.TryGet(code, out var room) ? room : throw new HubException(RoomRegistry.NoSuchRoom(code));
}
