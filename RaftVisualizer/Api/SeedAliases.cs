using System.Text.Json;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Kv;

namespace RaftVisualizer.Api;

/// <summary>
/// The seed projects' own curl lines, outside /api, on the same default shared cluster:
/// <c>POST /set</c> with <c>{"key":"k","value":"v"}</c> (whatever the content type: <c>curl -d</c> says form),
/// <c>GET /set?key=k&amp;val=v</c>, <c>GET /get?key=k</c> (the bare value), <c>GET /del?key=k</c> and <c>GET /status</c>.
/// They answer plain text for a terminal, or the main API's JSON with <c>?format=json</c> or
/// <c>Accept: application/json</c>. Every command runs through <see cref="KvEndpoints.ExecuteAsync"/>, so the
/// limits, the problem details and the rate limit are the main API's.
/// </summary>
public static class SeedAliases
{
    /// <summary>The most a <c>POST /set</c> body may hold: room for a 4 KB value even when every character is escaped.</summary>
    public const int MaxSetBodyBytes = 32 * 1024;

    private const string Example = "{\"key\":\"hello\",\"value\":\"world\"}";
    private static readonly string[] Paths = ["/set", "/get", "/del", "/status"];

    public static IEndpointRouteBuilder MapSeedAliases(this IEndpointRouteBuilder app)
    {
        var seeds = app.MapGroup("").RequireRateLimiting(RaftApi.RateLimitPolicy).DisableAntiforgery();
        seeds.MapPost("/set", SetFromBody);
        seeds.MapGet("/set", (HttpRequest request, DefaultCluster cluster, CancellationToken ct) => SetFromQuery(request, cluster, ct));
        seeds.MapGet("/get", (HttpRequest request, DefaultCluster cluster, CancellationToken ct) =>
            WithKey(request, "/get?key=hello", key => Run(request, cluster, KvCommand.Get(key), ct)));
        seeds.MapMethods("/del", [HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete], (HttpRequest request, DefaultCluster cluster, CancellationToken ct) =>
            WithKey(request, "/del?key=hello", key => Run(request, cluster, KvCommand.Delete(key), ct)));
        seeds.MapGet("/status", (HttpRequest request, DefaultCluster cluster) => WantsJson(request)
            ? Results.Ok(ClusterEndpoints.Status(cluster))
            : Results.Text(StatusText.Render(ClusterEndpoints.Status(cluster)), "text/plain; charset=utf-8"));

        // Any other method on these paths: a 405 problem with Allow, not the page router's not-found page.
        foreach (var path in Paths)
            seeds.Map(path, (HttpContext http) => MethodNotAllowed.For(http) ?? ApiProblems.NotFound($"There is no endpoint {http.Request.Method} {path}."))
                .WithOrder(1).WithMetadata(new MethodNotAllowed.CatchAll());
        return app;
    }

    private static async Task<IResult> SetFromBody(HttpRequest request, DefaultCluster cluster, CancellationToken ct)
    {
        var (body, tooLarge) = await KvEndpoints.ReadBodyAsync(request, MaxSetBodyBytes, ct);
        if (tooLarge is { } size)
            return ApiProblems.BadRequest($"The body is {size}; the limit is {MaxSetBodyBytes} bytes, for JSON like {Example} with a value of at most {KvLimits.MaxValueBytes} bytes (4 KB).");
        if (body.Length == 0)
            return request.Query.ContainsKey("key")
                ? await SetFromQuery(request, cluster, ct)
                : ApiProblems.BadRequest($"The body is empty: send JSON like {Example}, or use /set?key=hello&val=world.");

        var (key, value, problem) = ParseSet(body);
        return problem is not null ? ApiProblems.BadRequest(problem) : await Run(request, cluster, KvCommand.Put(key!, value!), ct);
    }

    private static Task<IResult> SetFromQuery(HttpRequest request, DefaultCluster cluster, CancellationToken ct) =>
        WithKey(request, "/set?key=hello&val=world", key =>
        {
            var value = request.Query.TryGetValue("val", out var val) ? val[0] : request.Query.TryGetValue("value", out var v) ? v[0] : null;
            return value is null
                ? Task.FromResult(ApiProblems.BadRequest("A put needs a value (it may be empty): /set?key=hello&val=world (or value=world)."))
                : Run(request, cluster, KvCommand.Put(key, value), ct);
        });

    /// <summary>Runs with the query's <c>key=</c>, or answers a problem when there is none; an empty or bad key is KvLimits' to judge.</summary>
    private static Task<IResult> WithKey(HttpRequest request, string example, Func<string, Task<IResult>> run) =>
        request.Query.TryGetValue("key", out var key) && key[0] is { } k
            ? run(k)
            : Task.FromResult(ApiProblems.BadRequest($"Give the key in the query: {example}."));

    private static async Task<IResult> Run(HttpRequest request, DefaultCluster cluster, KvCommand command, CancellationToken ct)
    {
        var (response, problem) = await KvEndpoints.ExecuteAsync(cluster, command, ct);
        if (problem is not null) return problem;
        if (WantsJson(request)) return Results.Ok(response);
        var by = $"(committed by {response!.ServedBy})";
        return command.Kind switch
        {
            KvCommandKind.Get => Results.Text(response.Value ?? "", "text/plain; charset=utf-8"), // the bare value, nothing added
            KvCommandKind.Delete => Results.Text($"OK deleted {command.Key} {by}\n", "text/plain; charset=utf-8"),
            _ => Results.Text($"OK set {command.Key} {by}\n", "text/plain; charset=utf-8"),
        };
    }

    /// <summary><c>?format=json</c>, or an Accept header naming application/json; otherwise plain text.</summary>
    private static bool WantsJson(HttpRequest request) =>
        request.Query.TryGetValue("format", out var format)
            ? string.Equals(format[0], "json", StringComparison.OrdinalIgnoreCase)
            : request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads <c>{"key":"k","value":"v"}</c> (names in any case; <c>val</c> for value; a number or true/false as its text).</summary>
    private static (string? Key, string? Value, string? Problem) ParseSet(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return (null, null, $"The body must be a JSON object like {Example}.");
            if (Field(json.RootElement, "key") is not { } key) return (null, null, $"The JSON has no \"key\": send {Example}.");
            if (Text(key) is not { } k) return (null, null, $"\"key\" must be a string, like {Example}.");
            if ((Field(json.RootElement, "value") ?? Field(json.RootElement, "val")) is not { } value)
                return (null, null, $"A put needs a \"value\" (it may be empty): send {Example}.");
            if (Text(value) is not { } v) return (null, null, $"\"value\" must be a string, like {Example}.");
            return (k, v, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, null, $"The body must be JSON like {Example}. It could not be read: {e.Message}");
        }
    }

    private static JsonElement? Field(JsonElement obj, string name) =>
        obj.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault();

    private static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => null,
    };
}
