using System.Text.Json;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Api;

/// <summary><c>POST /api/network/partition</c> (JSON groups) and <c>POST /api/network/heal</c>.</summary>
public static class NetworkEndpoints
{
    private const string Example = "{\"groups\":[[1,2],[3,4,5]]}";

    public static RouteGroupBuilder MapNetwork(this RouteGroupBuilder api)
    {
        api.MapPost("/network/partition", Partition);
        api.MapPost("/network/heal", (DefaultCluster cluster) =>
        {
            var (result, frame) = cluster.Pump.ExecuteWithFrame(new ClusterCommand.Heal());
            return Results.Ok(new ActionResponse(result.Message, frame.Leader?.ToString()));
        });
        return api;
    }

    private static async Task<IResult> Partition(HttpRequest request, DefaultCluster cluster, CancellationToken ct)
    {
        PartitionRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<PartitionRequest>(request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException e)
        {
            return ApiProblems.BadRequest($"The body must be JSON like {Example}. It could not be read: {e.Message}");
        }
        var groups = body?.Groups?.Where(g => g is { Length: > 0 }).ToArray();
        if (groups is null || groups.Length == 0)
            return ApiProblems.BadRequest($"Give at least one group of node numbers, like {Example}. Nodes in no group stand alone.");

        var count = cluster.Pump.Read(c => c.Nodes.Count);
        var unknown = groups.SelectMany(g => g).Where(n => n < 1 || n > count).Distinct().ToArray();
        if (unknown.Length > 0)
            return ApiProblems.NotFound($"There is no node {string.Join(", ", unknown.Select(n => $"S{n}"))}: this cluster has S1 to S{count}.");

        var partition = new ClusterCommand.Partition(groups.Select(g => (IReadOnlyList<NodeId>)g.Select(n => (NodeId)n).ToArray()).ToArray());
        var (result, frame) = cluster.Pump.ExecuteWithFrame(partition);
        return result.Ok ? Results.Ok(new ActionResponse(result.Message, frame.Leader?.ToString())) : ApiProblems.BadRequest(result.Message);
    }
}
