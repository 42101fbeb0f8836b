using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Classroom;

/// <summary>A new room, or why none was made.</summary>
public sealed record RoomCreation(Room? Room, string? Refusal)
{
    public bool Ok => Room is not null;
}

/// <summary>
/// All open classroom rooms (a singleton). Creates rooms with a short join code and a presenter key,
/// enforces the room cap and the per-client limits, tracks which room each hub connection watches,
/// and closes idle rooms.
/// </summary>
public sealed class RoomRegistry : IDisposable
{
    /// <summary>No 0/O, 1/I/L: a code read off a projector cannot be mistyped into another.</summary>
    public const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int CodeLength = 6;

    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _connectionRoom = new(StringComparer.Ordinal);
    private readonly object _createGate = new();
    /// <summary>When each client created its recent rooms (under <see cref="_createGate"/>), for the per-client creation rate.</summary>
    private readonly Dictionary<string, Queue<DateTimeOffset>> _creations = new(StringComparer.Ordinal);
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
    /// <param name="client">Who asks (the caller's address, e.g. <c>HttpContext.Connection.RemoteIpAddress</c>), so one client
    /// cannot take every room; null for the server itself (not counted).</param>
    public RoomCreation Create(ClusterOptions? options = null, double? speed = null, string? client = null) =>
        Create(() => NewPump(options ?? new ClusterOptions { NodeCount = Options.NodeCount, Seed = (ulong)Random.Shared.Next(1, 100_000) }, speed),
            client);

    /// <summary>A room whose cluster is <paramref name="scenario"/> replayed up to <paramref name="until"/>: the exact state it was shared from.</summary>
    /// <param name="client">Who asks (see the other overload); null for the server itself.</param>
    public RoomCreation Create(Scenario scenario, TimeSpan until, double? speed = null, string? client = null) =>
        Create(() => NewPump(Timeline.Replay(scenario, until), speed), client);

    private ClusterPump NewPump(ClusterOptions options, double? speed) => NewPump(new Timeline(options, TimelineOptions.Room), speed);

    private ClusterPump NewPump(Timeline timeline, double? speed) =>
        new(timeline, speed ?? Options.Speed, _time) { PauseWhenIdleFor = Options.PauseWhenIdleFor };

    private RoomCreation Create(Func<ClusterPump> makePump, string? client)
    {
        Room room;
        lock (_createGate)
        {
            if (_rooms.Count >= Options.MaxRooms)
                return new RoomCreation(null,
                    $"The server already runs its maximum of {Options.MaxRooms} shared rooms. Close one, or wait until an idle room is closed (after {Options.IdleTimeout.TotalMinutes:0} minutes without viewers).");
            if (client is not null && ClientRefusal(client) is { } refusal) return new RoomCreation(null, refusal);
            string code;
            do code = NewCode(); while (_rooms.ContainsKey(code));
            room = new Room(code, NewPresenterKey(), makePump(), Options, _time,
                _hub is null ? null : (ids, batch) => _hub.Clients.Clients(ids).Events(batch), client);
            _rooms[code] = room;
            if (client is not null) _creations[client].Enqueue(_time.GetUtcNow());
        }
        room.Pump.Start();
        return new RoomCreation(room, null);
    }

    /// <summary>Under <see cref="_createGate"/>: why <paramref name="client"/> may not create a room now, or null.</summary>
    private string? ClientRefusal(string client)
    {
        var open = _rooms.Values.Count(r => r.Creator == client && !r.IsClosed);
        if (open >= Options.MaxOpenRoomsPerClient)
            return $"You already have {open} shared rooms open, the most one address may. Close one you no longer need (the presenter can close a room), then share again.";
        var now = _time.GetUtcNow();
        if (!_creations.TryGetValue(client, out var times)) _creations[client] = times = new Queue<DateTimeOffset>();
        while (times.Count > 0 && now - times.Peek() >= Options.RoomCreationWindow) times.Dequeue();
        if (times.Count >= Options.MaxRoomCreationsPerClient)
        {
            var wait = times.Peek() + Options.RoomCreationWindow - now;
            return $"You have created {times.Count} rooms in the last {Minutes(Options.RoomCreationWindow)}, the most one address may. Try again in {Minutes(wait)}.";
        }
        return null;
    }

    private static string Minutes(TimeSpan t) => t.TotalMinutes <= 1 ? "1 minute" : $"{Math.Ceiling(t.TotalMinutes):0} minutes";

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

    public const string ClosedByPresenter = "the presenter closed it";

    /// <summary>
    /// The presenter closes their room (the page's and the hub's "close"): viewers are told why. Null when closed,
    /// else a sentence saying why not (no such room, or not the presenter key).
    /// </summary>
    public string? CloseAsPresenter(string? code, string? presenterKey)
    {
        if (!TryGet(code, out var room)) return NoSuchRoom(code);
        if (!room.IsPresenter(presenterKey)) return ClusterHub.WatchOnly;
        return Close(room.Code, ClosedByPresenter) ? null : NoSuchRoom(code);
    }

    /// <summary>
    /// Closes every room with no viewers and no presenter activity for <see cref="RoomOptions.IdleTimeout"/>, and every
    /// room with no presenter activity for <see cref="RoomOptions.PresenterIdleTimeout"/> even while viewers watch.
    /// Forgets creation times older than the per-client window. Returns how many rooms closed.
    /// </summary>
    public int SweepIdle()
    {
        var now = _time.GetUtcNow();
        var closed = 0;
        foreach (var room in _rooms.Values)
        {
            var reason =
                now - room.Pump.LastActivity >= Options.PresenterIdleTimeout ? $"nobody presented for {Minutes(Options.PresenterIdleTimeout)}" :
                room.Viewers == 0 && now - room.LastActivity >= Options.IdleTimeout ? $"it was idle for {Options.IdleTimeout.TotalMinutes:0.#} minutes (no viewers, no presenter activity)" :
                null;
            if (reason is not null && Close(room.Code, reason)) closed++;
        }
        lock (_createGate)
        {
            foreach (var (client, times) in _creations.ToArray())
            {
                while (times.Count > 0 && now - times.Peek() >= Options.RoomCreationWindow) times.Dequeue();
                if (times.Count == 0) _creations.Remove(client);
            }
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
