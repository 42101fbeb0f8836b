using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RaftVisualizer.Core;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Classroom;

/// <summary>A new room, or why none was made.</summary>
public sealed record RoomCreation(Room? Room, string? Refusal)
{
    public bool Ok => Room is not null;
}

/// <summary>
/// All open classroom rooms (a singleton). Creates rooms with a short join code and a presenter key,
/// enforces the room cap, tracks which room each hub connection watches, and closes idle rooms.
/// </summary>
public sealed class RoomRegistry : IDisposable
{
    /// <summary>No 0/O, 1/I/L: a code read off a projector cannot be mistyped into another.</summary>
    public const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int CodeLength = 6;

    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _connectionRoom = new(StringComparer.Ordinal);
    private readonly object _createGate = new();
    private readonly IHubContext<ClusterHub, IClusterClient>? _hub;
    private readonly TimeProvider _time;

    public RoomRegistry(IOptions<RoomOptions> options, IHubContext<ClusterHub, IClusterClient>? hub = null, TimeProvider? time = null)
    {
        Options = options.Value;
        _hub = hub;
        _time = time ?? TimeProvider.System;
    }

    public RoomOptions Options { get; }
    public IReadOnlyCollection<Room> Rooms => _rooms.Values.ToArray();
    public int Count => _rooms.Count;

    /// <summary>A room with a fresh cluster (<paramref name="options"/>, or the configured node count with a random seed).</summary>
    public RoomCreation Create(ClusterOptions? options = null, double? speed = null) =>
        Create(() => new ClusterPump(options ?? new ClusterOptions { NodeCount = Options.NodeCount, Seed = (ulong)Random.Shared.Next(1, 100_000) },
            speed ?? Options.Speed, _time));

    /// <summary>A room whose cluster is <paramref name="scenario"/> replayed up to <paramref name="until"/>: the exact state it was shared from.</summary>
    public RoomCreation Create(Scenario scenario, TimeSpan until, double? speed = null) =>
        Create(() =>
        {
            var pump = new ClusterPump(scenario.Options, speed ?? Options.Speed, _time);
            pump.Replace(Cluster.Replay(scenario, until));
            return pump;
        });

    private RoomCreation Create(Func<ClusterPump> makePump)
    {
        Room room;
        lock (_createGate)
        {
            if (_rooms.Count >= Options.MaxRooms)
                return new RoomCreation(null,
                    $"The server already runs its maximum of {Options.MaxRooms} shared rooms. Close one, or wait until an idle room is closed (after {Options.IdleTimeout.TotalMinutes:0} minutes without viewers).");
            string code;
            do code = NewCode(); while (_rooms.ContainsKey(code));
            room = new Room(code, NewPresenterKey(), makePump(), Options.MaxViewersPerRoom, _time,
                _hub is null ? null : (ids, batch) => _hub.Clients.Clients(ids).Events(batch));
            _rooms[code] = room;
        }
        room.Pump.Start();
        return new RoomCreation(room, null);
    }

    /// <summary>Finds an open room; codes are case-insensitive and may be typed with spaces or dashes.</summary>
    public bool TryGet(string? code, out Room room)
    {
        room = null!;
        var normal = Normalize(code);
        return normal is not null && _rooms.TryGetValue(normal, out room!) && !room.IsClosed;
    }

    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 32) return null;
        var chars = code.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray();
        return chars.Length == CodeLength ? new string(chars) : null;
    }

    /// <summary>Adds a hub connection to a room (leaving any other it watched). Null when accepted, else why not.</summary>
    public string? Join(string? code, string connectionId, IClusterClient client)
    {
        if (!TryGet(code, out var room)) return NoSuchRoom(code);
        Leave(connectionId);
        var refusal = room.TryAddHubViewer(connectionId, client);
        if (refusal is null) _connectionRoom[connectionId] = room.Code;
        return refusal;
    }

    public void Leave(string connectionId)
    {
        if (_connectionRoom.TryRemove(connectionId, out var code) && _rooms.TryGetValue(code, out var room))
            room.RemoveHubViewer(connectionId);
    }

    public static string NoSuchRoom(string? code) =>
        $"There is no open room '{Truncate(code)}'. Check the 6-character code on the projector; the room may have closed.";

    private static string Truncate(string? s) => s is null ? "" : s.Length > 32 ? s[..32] + "…" : s;

    /// <summary>Closes a room, tells its hub viewers why, and stops its pump.</summary>
    public bool Close(string code, string reason)
    {
        if (!_rooms.TryRemove(code, out var room)) return false;
        var viewers = room.HubConnectionIds;
        room.Close(reason); // stops the fan-out, so RoomClosed is the last message viewers get
        room.Dispose();
        foreach (var id in viewers) _connectionRoom.TryRemove(id, out _);
        if (_hub is not null && viewers.Count > 0)
            _ = _hub.Clients.Clients(viewers.ToArray()).RoomClosed($"Room {code} was closed: {reason}");
        return true;
    }

    /// <summary>Closes every room with no viewers and no presenter activity for <see cref="RoomOptions.IdleTimeout"/>. Returns how many.</summary>
    public int SweepIdle()
    {
        var now = _time.GetUtcNow();
        var closed = 0;
        foreach (var room in _rooms.Values)
        {
            if (room.Viewers == 0 && now - room.LastActivity >= Options.IdleTimeout &&
                Close(room.Code, $"it was idle for {Options.IdleTimeout.TotalMinutes:0.#} minutes (no viewers, no presenter activity)"))
                closed++;
        }
        return closed;
    }

    private static string NewCode() =>
        string.Create(CodeLength, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
        });

    /// <summary>20 URL-safe characters (120 random bits).</summary>
    private static string NewPresenterKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        foreach (var code in _rooms.Keys.ToArray()) Close(code, "the server is shutting down");
    }
}
