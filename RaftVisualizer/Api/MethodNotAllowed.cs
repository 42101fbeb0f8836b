using Microsoft.AspNetCore.Routing.Template;

namespace RaftVisualizer.Api;

/// <summary>
/// A 405 answer for a path the app serves, but not with the method asked for (<c>PUT /api/kv/x</c>,
/// <c>DELETE /api/cluster</c>, <c>PUT /set</c>): problem details, with an <c>Allow</c> header naming the methods
/// that work. The /api fallback and the aliases' catch-alls ask it before answering 404.
/// </summary>
internal static class MethodNotAllowed
{
    /// <summary>Marks the catch-all endpoints themselves, so they are not counted as serving a path.</summary>
    internal sealed class CatchAll;

    /// <summary>The 405 for this request, or null when no endpoint serves its path at all.</summary>
    public static IResult? For(HttpContext http)
    {
        var path = http.Request.Path;
        var allowed = http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Order != int.MaxValue && e.Metadata.GetMetadata<CatchAll>() is null) // fallbacks (MapFallback) serve no path of their own
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .Where(e => new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary(e.RoutePattern.Defaults))
                .TryMatch(path, new RouteValueDictionary()))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (allowed.Length == 0) return null;

        http.Response.Headers.Allow = string.Join(", ", allowed);
        var methods = allowed.Length == 1 ? allowed[0] : string.Join(", ", allowed[..^1]) + " or " + allowed[^1];
        return ApiProblems.MethodNotAllowed(
            $"{ClusterEndpoints.Shorten(path)} does not take {ClusterEndpoints.Shorten(http.Request.Method)}: use {methods}. See docs/curl.md for the endpoints.");
    }
}
