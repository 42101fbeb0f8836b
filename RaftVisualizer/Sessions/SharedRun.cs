using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Sessions;

/// <summary>
/// A run to hand on: its scenario (options with the seed, and every command with its step) and how
/// far it ran. An exported file is the scenario JSON (docs/scenario-format.md) with a <c>runUntil</c>
/// note; a share link carries the same JSON, compressed (Brotli) and base64url, in <c>/?run=</c>.
/// Reading checks everything a stranger's file could get wrong and says so in a sentence.
/// </summary>
public sealed record SharedRun(Scenario Scenario, TimeSpan Until)
{
    /// <summary>The largest file an import reads.</summary>
    public const int MaxFileBytes = 1024 * 1024;
    /// <summary>The longest link (the whole address stays well under browsers' and Kestrel's 8 KB request line).</summary>
    public const int MaxLinkChars = 6000;
    public const int MaxCommands = 20_000;
    /// <summary>The longest run replayed (about three seconds of a server core for 5 servers).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);
    private const string UntilNote = "runUntil";

    /// <summary>
    /// The run with the drawing's layout: the dragged servers' centres, in node order, leaving out any
    /// server the run never has (one dragged in a future that the timeline has since forked away from).
    /// </summary>
    public static SharedRun WithLayout(Scenario scenario, TimeSpan until, IReadOnlyDictionary<int, (double X, double Y)> positions)
    {
        var servers = MostServers(scenario);
        var layout = positions
            .Where(p => p.Key >= 1 && p.Key <= servers)
            .OrderBy(p => p.Key)
            .Select(p => new ServerPosition(p.Key, p.Value.X, p.Value.Y))
            .ToArray();
        return new SharedRun(scenario with { Layout = layout }, until);
    }

    /// <summary>How many servers the run can have at most: those it starts with and one per server it adds.</summary>
    private static int MostServers(Scenario scenario) =>
        scenario.Options.NodeCount + scenario.Commands.Count(c => c.Command is ClusterCommand.AddServer);

    /// <summary>The run as a file (indented JSON).</summary>
    public string ToJson() => ScenarioJson.Serialize(Scenario, new Dictionary<string, string>
    {
        ["app"] = "RaftVisualizer",
        [UntilNote] = Until.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>The value of a share link's <c>run</c> parameter, or null (with why) when the run is too long for a link.</summary>
    public string? ToLinkParameter(out string? problem)
    {
        var compact = JsonNode.Parse(ToJson())!.ToJsonString();
        using var packed = new MemoryStream();
        using (var brotli = new BrotliStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            brotli.Write(Encoding.UTF8.GetBytes(compact));
        var text = Convert.ToBase64String(packed.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (text.Length > MaxLinkChars)
        {
            problem = $"This run has too many actions ({Scenario.Commands.Count}) to fit in a link; export it as a file instead.";
            return null;
        }
        problem = null;
        return text;
    }

    /// <summary>A timeline that re-simulates the run to <see cref="Until"/>, every moment seekable, with the run's markers and its latest events for the feed.</summary>
    public ReplayedRun Replay()
    {
        var markers = new Queue<TimelineMarker>();
        var events = new Queue<StampedEvent>();
        var timeline = Timeline.Replay(Scenario with { Options = ClusterPump.Kept(Scenario.Options) }, Until, observe: (step, e) =>
        {
            if (TimelineMarker.For(step, e) is { } marker) Keep(markers, marker, ClusterPump.MaxMarkers);
            Keep(events, new StampedEvent(step, e), ClusterPump.MaxPendingEvents);
        });
        return new ReplayedRun(timeline, markers.ToArray(), events.ToArray()) { Layout = Scenario.Layout };
    }

    private static void Keep<T>(Queue<T> queue, T item, int capacity)
    {
        if (queue.Count >= capacity) queue.Dequeue();
        queue.Enqueue(item);
    }

    /// <summary>Reads an exported file; null with a sentence when it is not a run this build can open.</summary>
    public static SharedRun? FromJson(string json, out string? problem)
    {
        Scenario scenario;
        JsonObject? file;
        try
        {
            file = JsonNode.Parse(json) as JsonObject;
            scenario = ScenarioJson.Deserialize(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
        {
            problem = $"That is not a RaftVisualizer run: {e.Message}";
            return null;
        }
        var until = scenario.Commands.Count > 0 ? scenario.Commands[^1].At : TimeSpan.Zero;
        if (file?[UntilNote] is JsonValue value)
        {
            if (!value.TryGetValue(out string? text) || !TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed < TimeSpan.Zero)
            {
                problem = $"The run's \"{UntilNote}\" should be a duration like 00:00:12.5000000.";
                return null;
            }
            until = parsed > until ? parsed : until;
        }
        problem = Check(scenario, until);
        return problem is null ? new SharedRun(scenario, until) : null;
    }

    /// <summary>Reads a share link's <c>run</c> parameter; null with a sentence when it is damaged or too long.</summary>
    public static SharedRun? FromLinkParameter(string parameter, out string? problem)
    {
        const string damaged = "This link does not hold a run that can be opened (it may have been cut short when it was copied); nothing was changed.";
        if (parameter.Length > MaxLinkChars)
        {
            problem = $"This link is too long to be one of ours ({parameter.Length} characters, at most {MaxLinkChars}); nothing was changed.";
            return null;
        }
        try
        {
            var base64 = parameter.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            using var brotli = new BrotliStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
            using var json = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = brotli.Read(buffer)) > 0)
            {
                json.Write(buffer, 0, read);
                if (json.Length > MaxFileBytes) throw new InvalidDataException("too large");
            }
            var text = Encoding.UTF8.GetString(json.ToArray());
            try
            {
                if (JsonNode.Parse(text) is not JsonObject) throw new InvalidDataException("not an object");
            }
            catch (JsonException)
            {
                throw new InvalidDataException("not JSON");
            }
            var run = FromJson(text, out problem);
            if (problem is not null) problem = $"This link's run cannot be opened. {problem} Nothing was changed.";
            return run;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or InvalidOperationException)
        {
            problem = damaged;
            return null;
        }
    }

    /// <summary>What this server refuses to replay, as a sentence; null when fine.</summary>
    private static string? Check(Scenario scenario, TimeSpan until)
    {
        var o = scenario.Options;
        if (scenario.Commands.Count > MaxCommands) return $"The run has {scenario.Commands.Count} actions; this server replays at most {MaxCommands}.";
        if (until > MaxDuration) return $"The run lasts {until.TotalMinutes:0} simulated minutes; this server replays at most {MaxDuration.TotalMinutes:0}.";
        if (o.MaxRecordedEvents > ClusterOptions.Default.MaxRecordedEvents || o.MaxRecordedEvents < 1)
            return $"The run keeps {o.MaxRecordedEvents} events; this server keeps 1 to {ClusterOptions.Default.MaxRecordedEvents}.";
        if (o.MaxHistory is 0 || o.MaxHistory > ClusterOptions.Default.MaxHistory)
            return $"The run keeps {(o.MaxHistory is 0 ? "every" : o.MaxHistory)} client operations; this server keeps at most {ClusterOptions.Default.MaxHistory}.";
        var servers = MostServers(scenario);
        if (scenario.Layout.FirstOrDefault(p => p.Node.Value > servers) is { } stranger)
            return $"The run's layout places {stranger.Node}, but the run never has more than {servers} servers.";
        return null;
    }

    /// <summary>Replays the run; null with a sentence when the file's options or commands do not fit this simulation.</summary>
    public ReplayedRun? TryReplay(out string? problem)
    {
        try
        {
            problem = null;
            return Replay();
        }
        catch (ArgumentException e)
        {
            problem = $"The run cannot be replayed here: {e.Message.Split(" (Parameter", 2)[0]}";
            return null;
        }
    }
}

/// <summary>A run re-simulated: its timeline, its markers, and its latest events (what the pump hands the pages' feeds); and where its servers were dragged.</summary>
public sealed record ReplayedRun(Timeline Timeline, IReadOnlyList<TimelineMarker> Markers, IReadOnlyList<StampedEvent> Events)
{
    /// <summary>The run's layout, restored on the drawing when the run replaces a cluster (empty: every server on the ring; null: the drawing keeps its own).</summary>
    public IReadOnlyList<ServerPosition>? Layout { get; init; }
}
