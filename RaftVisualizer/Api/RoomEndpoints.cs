using RaftVisualizer.Classroom;
using RaftVisualizer.Core;

namespace RaftVisualizer.Api;

/// <summary><c>POST /api/rooms</c>: a classroom room from curl (or a script), answered with its join code, URL and presenter key.</summary>
public static class RoomEndpoints
{
    public static RouteGroupBuilder MapRooms(this RouteGroupBuilder api)
    {
        api.MapPost("/rooms", (int? nodes, double? speed, HttpRequest request, RoomRegistry rooms) =>
        {
            if (nodes is { } n && n is not (3 or 5 or 7)) return ApiProblems.BadRequest($"nodes={n} is not offered: a room has 3, 5 or 7 nodes.");
            if (speed is { } s && !(double.IsFinite(s) && s > 0)) return ApiProblems.BadRequest($"speed={s} must be a positive number (0.01 to 10).");
            var options = new ClusterOptions { NodeCount = nodes ?? rooms.Options.NodeCount, Seed = (ulong)Random.Shared.Next(1, 100_000) };
            var created = rooms.Create(options, speed, request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (created.Room is not { } room) return ApiProblems.Unavailable(created.Refusal!, "Room limit reached");
            var url = $"{request.Scheme}://{request.Host}{room.Url}";
            return Results.Created(url, new RoomCreated(room.Code, url, room.PresenterKey, ClusterHub.Path));
        });
        return api;
    }
}

/// <summary>A new room: students open Url; PresenterKey drives it (hub commands, or the page with ?key=).</summary>
public sealed record RoomCreated(string Code, string Url, string PresenterKey, string Hub);
