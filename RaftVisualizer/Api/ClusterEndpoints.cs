using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Api;

/// <summary>
/// <c>GET /api/cluster</c>, the node faults <c>POST /api/nodes/{id}/crash|restart</c>, and
/// membership: <c>POST /api/servers</c> adds the next server, <c>DELETE /api/servers/{id}</c> removes one.
/// </summary>
public static class ClusterEndpoints
{
    /// <summary>The newest log entries shown per node; older ones are counted in LogOmitted.</summary>
    public const int MaxLogEntriesShown = 50;

    public static RouteGroupBuilder MapClusterStatus(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", (DefaultCluster cluster) => Results.Ok(Status(cluster)));
        api.MapPost("/nodes/{id}/crash", (string id, DefaultCluster cluster) => NodeAction(cluster, id, n => new ClusterCommand.Crash(n)));
        api.MapPost("/nodes/{id}/restart", (string id, DefaultCluster cluster) => NodeAction(cluster, id, n => new ClusterCommand.Restart(n)));
        api.MapPost("/servers", (DefaultCluster cluster) => Act(cluster, new ClusterCommand.AddServer()));
        api.MapDelete("/servers/{id}", (string id, DefaultCluster cluster) => NodeAction(cluster, id, n => new ClusterCommand.RemoveServer(n)));
        return api;
    }

    public static ClusterStatus Status(DefaultCluster cluster)
    {
        var s = cluster.Pump.Read(c => c.Frame());
        var nodes = s.Nodes.Select(n => new NodeStatus(
            n.Id.ToString(), n.IsUp, n.IsUp ? n.Role.ToString() : "Down", n.Term, n.VotedFor?.ToString(), n.CommitIndex, n.LastApplied,
            n.Log.Count, n.LastLogIndex, n.Log.Skip(Math.Max(0, n.Log.Count - MaxLogEntriesShown)).Select(e => e.ToString()).ToArray(),
            Math.Max(0, n.Log.Count - MaxLogEntriesShown), n.Kv)
        {
            Membership = n.Membership.ToString(), SnapshotIndex = n.SnapshotIndex,
        }).ToArray();
        var partitioned = s.Groups.Count > 1 || s.Cuts.Count > 0;
        var network = new NetworkStatus(partitioned,
            s.Groups.Select(g => (IReadOnlyList<string>)g.Select(n => n.ToString()).ToArray()).ToArray(),
            s.Cuts.Select(c => $"{c.From}→{c.To}").ToArray());
        var term = s.Leader is { } l ? s.Node(l)!.Term : s.Nodes.Max(n => n.Term);
        return new ClusterStatus(s.Leader?.ToString(), term, ClassroomMapper.Ms(s.Now), cluster.Pump.Speed, nodes, network);
    }

    /// <summary>A command on one node named in the URL ("3", "S3"): 404 for a node this cluster does not have.</summary>
    private static IResult NodeAction(DefaultCluster cluster, string id, Func<NodeId, ClusterCommand> command)
    {
        var count = cluster.Pump.Read(c => c.Nodes.Count);
        if (ParseNode(id, count) is not { } node)
            return ApiProblems.NotFound($"There is no node '{Shorten(id)}': this cluster has S1 to S{count} (write 3 or S3).");
        return Act(cluster, command(node));
    }

    /// <summary>Carries out a typed command on the default cluster: 200 with the leader of the frame it produced, or 409 with why it was refused.</summary>
    private static IResult Act(DefaultCluster cluster, ClusterCommand command)
    {
        var (result, frame) = cluster.Pump.ExecuteWithFrame(command);
        return result.Ok ? Results.Ok(new ActionResponse(result.Message, frame.Leader?.ToString())) : ApiProblems.Conflict(result.Message);
    }

    /// <summary>"3", "S3" or "s3" → node 3, when the cluster has it.</summary>
    public static NodeId? ParseNode(string? text, int nodeCount)
    {
        var t = text?.Trim() ?? "";
        if (t.StartsWith('S') || t.StartsWith('s')) t = t[1..];
        return int.TryParse(t, System.Globalization.NumberStyles.None, null, out var n) && n >= 1 && n <= nodeCount ? n : null;
    }

    internal static string Shorten(string? s) => s is null ? "" : s.Length > 40 ? s[..40] + "…" : s;
}
