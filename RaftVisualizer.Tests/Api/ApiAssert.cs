using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RaftVisualizer.Tests.Api;

/// <summary>Checks on what the API answers: status codes and RFC 7807 problem details.</summary>
internal static class ApiAssert
{
    /// <summary>Asserts a problem+json answer with <paramref name="status"/> and returns its detail.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.GetProperty("detail").GetString()!;
    }

    public static async Task<T> OkAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
    }

    public static Task<HttpResponseMessage> PutTextAsync(this HttpClient client, string key, string value) =>
        client.PostAsync($"api/kv/{key}", new StringContent(value, System.Text.Encoding.UTF8, "text/plain"));

    public static async Task<JsonElement> StatusAsync(this HttpClient client) =>
        await client.GetFromJsonAsync<JsonElement>("api/cluster");

    /// <summary>Asserts a 200 text/plain answer and returns its body exactly as sent.</summary>
    public static async Task<string> TextAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    public static JsonElement Node(this JsonElement status, string id) =>
        status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == id);

    public static string? Leader(this JsonElement status) =>
        status.GetProperty("leader").ValueKind == JsonValueKind.Null ? null : status.GetProperty("leader").GetString();
}
