using Microsoft.AspNetCore.SignalR;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Classroom;

/// <summary>
/// The classroom hub at <c>/hubs/cluster</c>. Anyone may join a room and watch (a snapshot on join,
/// then event batches). Commands that change the room's cluster need the room's presenter key.
/// Every refusal is a <see cref="HubException"/> with one short sentence; <see cref="ClusterHubFilter"/>
/// rate-limits each connection and logs refusals briefly.
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

    public string Crash(string code, string key, int node) => Act(code, key, new ClusterCommand.Crash(node));
    public string Restart(string code, string key, int node) => Act(code, key, new ClusterCommand.Restart(node));
    public string Heal(string code, string key) => Act(code, key, new ClusterCommand.Heal());

    public string Partition(string code, string key, int[][] groups)
    {
        var room = Presenter(code, key);
        var ids = room.Pump.Read(c => c.Nodes.Select(n => n.Id.Value).ToArray());
        if (PartitionGroups.Check(groups, ids) is { } problem) throw new HubException(problem);
        return Act(room, new ClusterCommand.Partition(groups.Select(g => (IReadOnlyList<NodeId>)g.Select(n => (NodeId)n).ToArray()).ToArray()));
    }

    /// <summary>Submits a put through Raft; the answer arrives in the event stream (ClientRequestAnswered).</summary>
    public string Put(string code, string key, string kvKey, string value)
    {
        var room = Presenter(code, key);
        var command = KvCommand.Put(kvKey ?? "", value ?? "");
        var op = room.Submit(command, out var refusal) ?? throw new HubException(refusal);
        return $"Submitted {command} as operation #{op.Id}.";
    }

    /// <summary>The presenter closes the room: every viewer gets RoomClosed with the reason, and the room's code stops working.</summary>
    public string CloseRoom(string code, string key)
    {
        var refusal = rooms.CloseAsPresenter(code, key);
        if (refusal is not null) throw new HubException(refusal);
        return $"Room {RoomRegistry.Normalize(code)} is closed.";
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

    /// <summary>
    /// A viewer's answer to the question of the lesson the room plays (no key needed: answering does not
    /// drive the cluster). One per connection per question, a choice that exists; the presenter sees the tally.
    /// </summary>
    public string AnswerPrediction(string code, int ask, int choice)
    {
        var refusal = Sessions.LessonSession.For(Room(code).Pump).Answer("hub:" + Context.ConnectionId, ask, choice);
        if (refusal is not null) throw new HubException(refusal);
        return $"Answer {choice + 1} counted.";
    }

    private string Act(string code, string key, ClusterCommand command) => Act(Presenter(code, key), command);

    private static string Act(Room room, ClusterCommand command)
    {
        var result = room.Pump.Execute(command); // at the room's cursor: in the past it forks, as on the page
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

/// <summary>Checks partition groups before they reach the cluster, with a short answer however long the request.</summary>
internal static class PartitionGroups
{
    private const string Example = "[[1,2],[3,4,5]]";
    /// <summary>How many wrong ids a refusal names before it says "and N more".</summary>
    public const int MaxNamed = 3;

    /// <summary>Null when the groups are usable, else one sentence naming what is wrong.</summary>
    public static string? Check(int[][]? groups, IReadOnlyCollection<int> servers)
    {
        if (groups is null || groups.Length == 0) return $"Give the groups, e.g. {Example}; servers in no group stand alone.";
        for (var i = 0; i < groups.Length; i++)
        {
            if (groups[i] is null) return $"Group {i + 1} is null: each group is a list of server numbers, e.g. {Example}.";
            if (groups[i].Length == 0) return $"Group {i + 1} is empty: each group names at least one server, e.g. {Example}.";
        }
        var all = groups.SelectMany(g => g).ToArray();
        var known = servers.ToHashSet();
        var unknown = all.Where(n => !known.Contains(n)).Distinct().ToArray();
        if (unknown.Length > 0)
            return $"There is no server {Names(unknown)}: this cluster has {Describe(servers)}.";
        var twice = all.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (twice.Length > 0)
            return $"{Names(twice)} {(twice.Length == 1 ? "is" : "are")} named more than once; a server can be in only one group.";
        return null;
    }

    private static string Names(IReadOnlyList<int> ids)
    {
        var named = ids.Take(MaxNamed).Select(n => $"S{n}").ToArray();
        return ids.Count <= MaxNamed
            ? named.Length == 1 ? named[0] : $"{string.Join(", ", named[..^1])} and {named[^1]}"
            : $"{string.Join(", ", named)} and {ids.Count - MaxNamed} more";
    }

    private static string Describe(IReadOnlyCollection<int> servers)
    {
        var sorted = servers.Order().ToArray();
        if (sorted.Length == 0) return "no servers";
        return sorted[^1] - sorted[0] == sorted.Length - 1
            ? $"S{sorted[0]} to S{sorted[^1]}"
            : string.Join(", ", sorted.Select(n => $"S{n}"));
    }
}
