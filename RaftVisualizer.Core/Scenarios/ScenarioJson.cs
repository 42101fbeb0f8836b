using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RaftVisualizer.Core;

/// <summary>
/// Saves and loads a <see cref="Scenario"/> (options with the seed, and the timed actions) as
/// JSON, so a run can be shared, kept as a failing torture seed, or replayed step by step.
/// Enums are written by name and durations as "hh:mm:ss.fffffff", so the file reads well and
/// round-trips exactly.
/// </summary>
public static class ScenarioJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(Scenario scenario) => JsonSerializer.Serialize(scenario, Options);

    /// <summary>
    /// The scenario with extra notes at the top level (a torture failure's reproduction line and
    /// first violation, say). <see cref="Deserialize"/> ignores them.
    /// </summary>
    public static string Serialize(Scenario scenario, IReadOnlyDictionary<string, string> notes)
    {
        var node = JsonSerializer.SerializeToNode(scenario, Options)!.AsObject();
        var annotated = new JsonObject();
        foreach (var (key, value) in notes) annotated[key] = value;
        foreach (var (key, value) in node.ToArray())
        {
            node.Remove(key);
            annotated[key] = value;
        }
        return annotated.ToJsonString(Options);
    }

    /// <summary>Reads a scenario; throws <see cref="JsonException"/> with a clear message when the text is not one.</summary>
    public static Scenario Deserialize(string json)
    {
        var scenario = JsonSerializer.Deserialize<Scenario>(json, Options)
            ?? throw new JsonException("The file holds no scenario.");
        if (scenario.Options is null) throw new JsonException("The scenario has no options.");
        if (scenario.Actions is null) throw new JsonException("The scenario has no list of actions.");
        return scenario;
    }

    public static void Save(Scenario scenario, string path, IReadOnlyDictionary<string, string>? notes = null)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        File.WriteAllText(path, notes is null ? Serialize(scenario) : Serialize(scenario, notes));
    }

    public static Scenario Load(string path) => Deserialize(File.ReadAllText(path));
}
