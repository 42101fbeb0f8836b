using System.Text;
using RaftVisualizer.Classroom;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Kv;

namespace RaftVisualizer.Api;

/// <summary>
/// <c>POST/GET/DELETE /api/kv/{key}</c>: every request goes through Raft (the log and a majority).
/// The seeds' aliases (<see cref="SeedAliases"/>) run their commands through <see cref="ExecuteAsync"/> too.
/// </summary>
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
        var (body, tooLarge) = await ReadBodyAsync(request, KvLimits.MaxValueBytes, ct);
        return tooLarge is { } size
            ? ApiProblems.BadRequest(ValueTooLarge(size))
            : await Run(cluster, KvCommand.Put(key, Encoding.UTF8.GetString(body)), ct);
    }

    private static async Task<IResult> Run(DefaultCluster cluster, KvCommand command, CancellationToken ct)
    {
        var (response, problem) = await ExecuteAsync(cluster, command, ct);
        return problem ?? Results.Ok(response);
    }

    /// <summary>"The value is 5000 bytes; …": the one sentence for a value over the limit, however it was sent.</summary>
    internal static string ValueTooLarge(string size) => $"The value is {size}; the limit is {KvLimits.MaxValueBytes} bytes (4 KB).";

    /// <summary>
    /// Reads the raw body, refusing (without reading on) anything over <paramref name="limit"/> bytes:
    /// the bytes, or how large the body was said or seen to be ("5000 bytes", "more than 4096 bytes").
    /// </summary>
    internal static async Task<(byte[] Body, string? TooLarge)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return ([], $"{request.ContentLength} bytes");

        var buffer = new byte[limit + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        return total > limit ? ([], $"more than {limit} bytes") : (buffer[..total], null);
    }

    /// <summary>
    /// Validates a KV command, submits it through Raft and waits for its committed answer: the answer, or
    /// the problem details to send instead (bad input 400, no key 404, no leader in time 503).
    /// </summary>
    internal static async Task<(KvResponse? Response, IResult? Problem)> ExecuteAsync(DefaultCluster cluster, KvCommand command, CancellationToken ct)
    {
        if (KvLimits.Validate(command) is { } problem) return (null, ApiProblems.BadRequest(problem));

        var outcome = await OperationAwaiter.SubmitAsync(cluster.Pump, command, ct, cluster.Time);
        var result = outcome.Result;
        var seconds = $"{outcome.Timeout.TotalSeconds:0.#} s";
        var what = command.Kind == KvCommandKind.Get ? "answer the read" : "commit the write";
        if (result is null || result.Status == KvStatus.Timeout)
            return (null, ApiProblems.Unavailable(
                $"no leader could {what} within {seconds}; it may still apply later. " +
                $"The client tried {outcome.Attempts} time(s). Check GET /api/cluster: a majority of nodes must be up and connected."));
        if (result.Status == KvStatus.Rejected) return (null, ApiProblems.BadRequest(result.Message ?? "The request was rejected."));

        var servedBy = outcome.ServedBy?.ToString();
        if (result.Status == KvStatus.NotFound)
            return (null, ApiProblems.NotFound(command.Kind == KvCommandKind.Delete
                ? $"There was no key '{command.Key}' to delete (the delete was committed by {servedBy} and changed nothing)."
                : $"There is no key '{command.Key}' (read through the log by {servedBy})."));

        var value = command.Kind switch
        {
            KvCommandKind.Get => result.Value,
            KvCommandKind.Put => command.Value,
            _ => null,
        };
        return (new KvResponse(command.Key, value, command.Kind == KvCommandKind.Delete ? "deleted" : "ok", servedBy,
            ClassroomMapper.Ms(outcome.Elapsed ?? TimeSpan.Zero), outcome.Attempts, outcome.Operation.Id), null);
    }
}
