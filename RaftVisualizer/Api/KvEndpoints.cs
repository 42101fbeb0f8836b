using System.Text;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;

namespace RaftVisualizer.Api;

/// <summary><c>POST/GET/DELETE /api/kv/{key}</c>: every request goes through Raft (the log and a majority).</summary>
public static class KvEndpoints
{
    public static RouteGroupBuilder MapKv(this RouteGroupBuilder api)
    {
        api.MapPost("/kv/{key}", Put); // any content type: the raw body is the value
        api.MapGet("/kv/{key}", (string key, DefaultCluster cluster, CancellationToken ct) => Run(cluster, KvCommand.Get(key), ct));
        api.MapDelete("/kv/{key}", (string key, DefaultCluster cluster, CancellationToken ct) => Run(cluster, KvCommand.Delete(key), ct));
        return api;
    }

    private static async Task<IResult> Put(string key, HttpRequest request, DefaultCluster cluster, CancellationToken ct)
    {
        if (KvLimits.Validate(KvCommand.Get(key)) is { } keyProblem) return ApiProblems.BadRequest(keyProblem);
        var (value, problem) = await ReadValueAsync(request, ct);
        return problem is not null ? ApiProblems.BadRequest(problem) : await Run(cluster, KvCommand.Put(key, value!), ct);
    }

    /// <summary>Reads the raw body as UTF-8, refusing (without reading on) anything over the value limit.</summary>
    private static async Task<(string? Value, string? Problem)> ReadValueAsync(HttpRequest request, CancellationToken ct)
    {
        const int limit = KvLimits.MaxValueBytes;
        string TooLarge(string size) => $"The value is {size}; the limit is {limit} bytes (4 KB).";
        if (request.ContentLength > limit) return (null, TooLarge($"{request.ContentLength} bytes"));

        var buffer = new byte[limit + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        if (total > limit) return (null, TooLarge($"more than {limit} bytes"));
        return (Encoding.UTF8.GetString(buffer, 0, total), null);
    }

    private static async Task<IResult> Run(DefaultCluster cluster, KvCommand command, CancellationToken ct)
    {
        if (KvLimits.Validate(command) is { } problem) return ApiProblems.BadRequest(problem);

        var outcome = await OperationAwaiter.SubmitAsync(cluster.Pump, command, ct, cluster.Time);
        var result = outcome.Result;
        var seconds = $"{outcome.Timeout.TotalSeconds:0.#} s";
        var what = command.Kind == KvCommandKind.Get ? "answer the read" : "commit the write";
        if (result is null || result.Status == KvStatus.Timeout)
            return ApiProblems.Unavailable(
                $"no leader could {what} within {seconds}; it may still apply later. " +
                $"The client tried {outcome.Attempts} time(s). Check GET /api/cluster: a majority of nodes must be up and connected.");
        if (result.Status == KvStatus.Rejected) return ApiProblems.BadRequest(result.Message ?? "The request was rejected.");

        var servedBy = outcome.ServedBy?.ToString();
        if (result.Status == KvStatus.NotFound)
            return ApiProblems.NotFound(command.Kind == KvCommandKind.Delete
                ? $"There was no key '{command.Key}' to delete (the delete was committed by {servedBy} and changed nothing)."
                : $"There is no key '{command.Key}' (read through the log by {servedBy}).");

        var value = command.Kind switch
        {
            KvCommandKind.Get => result.Value,
            KvCommandKind.Put => command.Value,
            _ => null,
        };
        return Results.Ok(new KvResponse(command.Key, value, command.Kind == KvCommandKind.Delete ? "deleted" : "ok", servedBy,
            ClassroomMapper.Ms(outcome.Elapsed ?? TimeSpan.Zero), outcome.Attempts, outcome.Operation.Id));
    }
}
