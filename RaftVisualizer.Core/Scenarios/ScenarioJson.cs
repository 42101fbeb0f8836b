using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RaftVisualizer.Core.Commands;

namespace RaftVisualizer.Core.Scenarios;

/// <summary>
/// Saves and loads a <see cref="Scenario"/> as versioned JSON (format in docs/scenario-format.md),
/// so a run can be shared, kept as a failing torture seed, or replayed step by step:
/// <c>{"version": 5, "options": {...}, "commands": [{"step": 12, "at": "00:00:00.3000000",
/// "command": {"type": "crash", "node": 2}}, ...], "layout": [{"node": 3, "x": 410, "y": 95}]}</c>.
/// Enums are written by name, node ids as numbers and durations as "hh:mm:ss.fffffff", so the file
/// reads well and round-trips exactly. The layout (where servers were dragged) is written only when
/// some server was; files of versions 2 to 4 have none and load with every server on the ring.
/// A file of version 2 (the same shape, before leadership transfer and the read and leader options)
/// reads as it is; a file of the first format (no version, an "actions" list) is converted on load.
/// </summary>
public static class ScenarioJson
{
    /// <summary>The format this build writes.</summary>
    public const int Version = 5;

    /// <summary>The first format that carries the drawing's layout.</summary>
    public const int LayoutVersion = 5;

    /// <summary>The oldest versioned format this build still reads.</summary>
    public const int OldestVersion = 2;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter(), new NodeIdConverter() },
    };

    public static string Serialize(Scenario scenario) => ToNode(scenario).ToJsonString(Options);

    /// <summary>
    /// The scenario with extra notes at the top level (a torture failure's reproduction line and
    /// first violation, say). <see cref="Deserialize"/> ignores them.
    /// </summary>
    public static string Serialize(Scenario scenario, IReadOnlyDictionary<string, string> notes)
    {
        var node = ToNode(scenario);
        var annotated = new JsonObject();
        foreach (var (key, value) in notes) annotated[key] = value;
        foreach (var (key, value) in node.ToArray())
        {
            node.Remove(key);
            annotated[key] = value;
        }
        return annotated.ToJsonString(Options);
    }

    private static JsonObject ToNode(Scenario scenario)
    {
        var node = new JsonObject
        {
            ["version"] = Version,
            ["options"] = JsonSerializer.SerializeToNode(scenario.Options, Options),
            ["commands"] = JsonSerializer.SerializeToNode(scenario.Commands, Options),
        };
        if (scenario.Layout.Count > 0) node["layout"] = JsonSerializer.SerializeToNode(scenario.Layout, Options);
        return node;
    }

    /// <summary>Reads a scenario; throws <see cref="JsonException"/> with a clear message when the text is not one.</summary>
    public static Scenario Deserialize(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject file)
                throw new JsonException("The file holds no scenario: expected a JSON object with \"version\", \"options\" and \"commands\".");
            var options = file["options"]?.Deserialize<ClusterOptions>(Options) ?? throw new JsonException("The scenario has no options.");
            return file["version"] switch
            {
                null when file["actions"] is JsonArray old => new Scenario(options, FromFirstFormat(old)),
                null => throw new JsonException("The scenario has no \"version\" and no list of commands."),
                JsonValue v when v.TryGetValue(out int version) && version is >= OldestVersion and <= Version =>
                    new Scenario(options, Commands(file)) { Layout = version >= LayoutVersion ? Layout(file) : [] },
                var other => throw new JsonException(
                    $"The scenario is in format version {other.ToJsonString()}; this build reads versions {OldestVersion} to {Version} (and files of the first format, which had no version)."),
            };
        }
        catch (NotSupportedException e)
        {
            throw new JsonException($"The scenario holds something this build cannot read: {e.Message}", e);
        }
    }

    private static TimedCommand[] Commands(JsonObject file)
    {
        var commands = file["commands"]?.Deserialize<TimedCommand?[]>(Options) ?? throw new JsonException("The scenario has no list of commands.");
        for (var i = 0; i < commands.Length; i++)
            if (commands[i]?.Command is null) throw new JsonException($"Command {i + 1} of the scenario is empty.");
        return commands!;
    }

    private static ServerPosition[] Layout(JsonObject file)
    {
        if (file["layout"] is null) return [];
        ServerPosition?[] layout;
        try
        {
            layout = file["layout"].Deserialize<ServerPosition?[]>(Options) ?? [];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"The scenario's layout should be a list like [{{\"node\": 3, \"x\": 410, \"y\": 95}}]: {e.Message}", e);
        }
        for (var i = 0; i < layout.Length; i++)
            if (layout[i] is null) throw new JsonException($"Position {i + 1} of the scenario's layout is empty.");
        var positions = layout!.OrderBy(p => p!.Node.Value).ToArray();
        if (ServerPosition.Problem(positions!) is { } problem) throw new JsonException(problem);
        return positions!;
    }

    public static void Save(Scenario scenario, string path, IReadOnlyDictionary<string, string>? notes = null)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        File.WriteAllText(path, notes is null ? Serialize(scenario) : Serialize(scenario, notes));
    }

    public static Scenario Load(string path) => Deserialize(File.ReadAllText(path));

    /// <summary>The first format: one bag of nullable fields per action, its kind by name.</summary>
    private sealed record FirstFormatAction(string? Kind, TimeSpan At, long AfterStep, int? Node, int? From, int? To,
        int[][]? Groups, TimeSpan? Min, TimeSpan? Max, double? Rate, KvCommand? Command);

    private static TimedCommand[] FromFirstFormat(JsonArray actions)
    {
        var old = actions.Deserialize<FirstFormatAction?[]>(Options) ?? [];
        return old.Select((a, i) =>
        {
            if (a is null) throw new JsonException($"Action {i + 1} of the scenario is empty.");
            NodeId Node() => a.Node ?? throw new JsonException($"Action {i + 1} ({a.Kind}) names no node.");
            ClusterCommand command = a.Kind switch
            {
                "Crash" => new ClusterCommand.Crash(Node()),
                "Restart" => new ClusterCommand.Restart(Node()),
                "ForceTimeout" => new ClusterCommand.ForceTimeout(Node()),
                "Partition" => new ClusterCommand.Partition((a.Groups ?? []).Select(g => (IReadOnlyList<NodeId>)g.Select(n => (NodeId)n).ToArray()).ToArray()),
                "Heal" => new ClusterCommand.Heal(),
                "Cut" => new ClusterCommand.Cut(a.From ?? 0, a.To ?? 0),
                "SetLatency" => new ClusterCommand.SetLatency(a.Min ?? TimeSpan.Zero, a.Max ?? TimeSpan.Zero),
                "SetLinkLatency" => new ClusterCommand.SetLinkLatency(a.From ?? 0, a.To ?? 0, a.Min ?? TimeSpan.Zero, a.Max ?? TimeSpan.Zero),
                "SetLoss" => new ClusterCommand.SetLoss(a.Rate ?? 0),
                "SetDuplication" => new ClusterCommand.SetDuplication(a.Rate ?? 0),
                "Submit" => new ClusterCommand.Submit(a.Command!, a.Node is { } via ? via : null),
                _ => throw new JsonException($"Action {i + 1} of the scenario is of unknown kind \"{a.Kind}\"."),
            };
            return new TimedCommand(a.AfterStep, a.At, command);
        }).ToArray();
    }

    /// <summary>A node id as its number (2, not {"value": 2}).</summary>
    private sealed class NodeIdConverter : JsonConverter<NodeId>
    {
        public override NodeId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetInt32();

        public override void Write(Utf8JsonWriter writer, NodeId value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
    }
}
