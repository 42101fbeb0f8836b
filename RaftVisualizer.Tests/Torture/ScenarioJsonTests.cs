using System.Text.Json;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;

namespace RaftVisualizer.Tests.Torture;

public class ScenarioJsonTests
{
    [Fact]
    public void Every_kind_of_command_and_every_option_round_trips()
    {
        var options = new ClusterOptions
        {
            NodeCount = 5, Seed = ulong.MaxValue - 3, ElectionTimeoutMin = TimeSpan.FromTicks(1_500_001), LossRate = 0.1 + 0.2,
            DuplicateRate = 1.0 / 3, MaxEntriesPerAppend = 1, PreVote = true, ClientTimeout = TimeSpan.FromSeconds(2.5),
            Broken = BrokenRules.ForgetVotedForOnRestart | BrokenRules.ReadsFromAnyNode, SnapshotThreshold = 7,
        };
        TimedCommand At(ClusterCommand c, int ms, long step) => new(step, TimeSpan.FromTicks(ms * 10_000L + 7), c);
        var scenario = new Scenario(options, [
            At(new ClusterCommand.Crash(2), 100, 5),
            At(new ClusterCommand.Restart(2), 150, 9),
            At(new ClusterCommand.ForceTimeout(3), 151, 9),
            At(new ClusterCommand.Partition([[1, 2], [3, 4, 5]]), 200, 20),
            At(new ClusterCommand.Heal(), 300, 31),
            At(new ClusterCommand.Cut(1, 4), 310, 33),
            At(new ClusterCommand.SetLatency(TimeSpan.FromMilliseconds(1), TimeSpan.FromTicks(7_000_003)), 320, 34),
            At(new ClusterCommand.SetLinkLatency(2, 5, TimeSpan.Zero, TimeSpan.FromSeconds(1)), 330, 35),
            At(new ClusterCommand.SetLoss(0.07), 340, 36),
            At(new ClusterCommand.SetDuplication(0.3), 350, 37),
            At(new ClusterCommand.Submit(KvCommand.Put("k", "<b>\"v\"</b>")), 360, 38),
            At(new ClusterCommand.Submit(KvCommand.Get("k"), 4), 361, 38),
            At(new ClusterCommand.Submit(KvCommand.Delete("k"), Timeout: TimeSpan.FromSeconds(9)), 362, 38),
            At(new ClusterCommand.Submit(KvCommand.Append("k", "ü")), 363, 38),
            At(new ClusterCommand.AddServer(), 400, 41),
            At(new ClusterCommand.RemoveServer(6), 410, 42),
        ]);

        var json = ScenarioJson.Serialize(scenario);
        var back = ScenarioJson.Deserialize(json);

        Assert.Equal(scenario, back);
        Assert.Equal(json, ScenarioJson.Serialize(back));
        Assert.Contains("\"ForgetVotedForOnRestart, ReadsFromAnyNode\"", json); // readable, not a number
        Assert.Contains("\"type\": \"partition\"", json);
        Assert.Contains($"\"version\": {ScenarioJson.Version}", json);
        Assert.Contains("\"node\": 2", json); // a node id is a number
        Assert.Contains("\"snapshotThreshold\": 7", json);
        Assert.Contains("\"type\": \"addServer\"", json);
        Assert.Contains("\"type\": \"removeServer\"", json);
        Assert.Contains("\"node\": 6", json);
    }

    [Fact]
    public void A_run_with_servers_added_and_removed_on_a_compacting_cluster_saved_and_loaded_replays_to_the_same_event_stream()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 12, SnapshotThreshold = 4 });
        Assert.True(cluster.RunUntil(c => c.Leader is not null, TimeSpan.FromSeconds(5)));
        for (var i = 0; i < 6; i++) cluster.Submit(KvCommand.Put($"k{i % 2}", $"{i}"));
        Assert.True(cluster.RunUntil(c => c.AddServer().Ok, TimeSpan.FromSeconds(5)));
        Assert.True(cluster.RunUntil(c => c.Configuration.IsVoter(4), TimeSpan.FromSeconds(5)));
        Assert.True(cluster.RunUntil(c => c.RemoveServer(1).Ok, TimeSpan.FromSeconds(5)));
        cluster.Submit(KvCommand.Append("k0", "+"));
        cluster.RunFor(TimeSpan.FromSeconds(1));
        Assert.Contains(cluster.Events, e => e is SnapshotTaken);
        Assert.Equal(new NodeId[] { 2, 3, 4 }, cluster.Configuration.Voters);

        var json = ScenarioJson.Serialize(cluster.Scenario);
        var loaded = ScenarioJson.Deserialize(json);
        Assert.Equal(cluster.Scenario.Options, loaded.Options);
        Assert.Contains(loaded.Commands, c => c.Command is ClusterCommand.AddServer);
        Assert.Contains(loaded.Commands, c => c.Command == new ClusterCommand.RemoveServer(1));
        var replay = Cluster.Replay(loaded, cluster.Now);
        Assert.Equal(cluster.Events.Select(e => e.ToString()), replay.Events.Select(e => e.ToString()));
        Assert.Equal(cluster.Configuration, replay.Configuration);
    }

    [Fact]
    public void A_file_of_the_first_format_is_converted_on_load()
    {
        const string firstFormat = """
            {
              "reproduce": "--seed 7",
              "options": { "nodeCount": 3, "seed": 7 },
              "actions": [
                { "kind": "Crash", "at": "00:00:00.5000000", "afterStep": 40, "node": 2 },
                { "kind": "Partition", "at": "00:00:00.6000000", "afterStep": 52, "groups": [[1], [2, 3]] },
                { "kind": "SetLoss", "at": "00:00:00.6000000", "afterStep": 52, "rate": 0.2 },
                { "kind": "Submit", "at": "00:00:00.7000000", "afterStep": 60, "command": { "kind": "Put", "key": "x", "value": "1" }, "node": 3 },
                { "kind": "Heal", "at": "00:00:00.8000000", "afterStep": 70 }
              ]
            }
            """;
        var scenario = ScenarioJson.Deserialize(firstFormat);
        Assert.Equal(new ClusterOptions { NodeCount = 3, Seed = 7 }, scenario.Options);
        Assert.Equal([
            new TimedCommand(40, TimeSpan.FromMilliseconds(500), new ClusterCommand.Crash(2)),
            new TimedCommand(52, TimeSpan.FromMilliseconds(600), new ClusterCommand.Partition([[1], [2, 3]])),
            new TimedCommand(52, TimeSpan.FromMilliseconds(600), new ClusterCommand.SetLoss(0.2)),
            new TimedCommand(60, TimeSpan.FromMilliseconds(700), new ClusterCommand.Submit(KvCommand.Put("x", "1"), 3)),
            new TimedCommand(70, TimeSpan.FromMilliseconds(800), new ClusterCommand.Heal()),
        ], scenario.Commands);
        var replay = Cluster.Replay(scenario, TimeSpan.FromSeconds(2));
        Assert.Equal(scenario.Commands.Select(c => (c.Step, c.Command)), replay.Scenario.Commands.Select(c => (c.Step, c.Command)));
    }

    [Theory]
    [InlineData("{\"version\": 6, \"options\": {}, \"commands\": []}", "format version 6")]
    [InlineData("{\"version\": 2, \"options\": {}, \"commands\": [{\"step\": 1, \"command\": {\"type\": \"explode\"}}]}", "explode")]
    [InlineData("{\"options\": {}, \"actions\": [{\"kind\": \"Explode\"}]}", "unknown kind \"Explode\"")]
    public void A_file_this_build_cannot_read_gets_a_clear_message(string text, string expected)
    {
        var error = Assert.ThrowsAny<JsonException>(() => ScenarioJson.Deserialize(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_recorded_run_saved_and_loaded_replays_to_the_same_event_stream()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 5, Seed = 21, LossRate = 0.05 });
        cluster.RunFor(TimeSpan.FromMilliseconds(800));
        cluster.Submit(KvCommand.Put("a", "1"));
        cluster.Network.Cut(1, 2);
        cluster.Network.SetLatency(TimeSpan.Zero, TimeSpan.FromMilliseconds(300));
        cluster.Crash(cluster.Leader ?? 1);
        cluster.RunFor(TimeSpan.FromMilliseconds(900));
        cluster.Submit(KvCommand.Append("a", "2"), 3);
        cluster.Partition(new NodeId[] { 1, 2 }, new NodeId[] { 3, 4, 5 });
        cluster.RunFor(TimeSpan.FromSeconds(1));

        var replay = Cluster.Replay(ScenarioJson.Deserialize(ScenarioJson.Serialize(cluster.Scenario)), cluster.Now);
        Assert.Equal(cluster.Events.Select(e => e.ToString()), replay.Events.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"actions\": []}")]
    [InlineData("{\"options\": {}}")]
    [InlineData("{\"version\": 2, \"options\": {}}")]
    [InlineData("{\"version\": 2, \"options\": {}, \"commands\": [null]}")]
    [InlineData("[1, 2]")]
    public void Text_that_is_not_a_scenario_is_refused_with_a_json_error(string text)
    {
        Assert.ThrowsAny<JsonException>(() => ScenarioJson.Deserialize(text));
    }

    [Fact]
    public void Notes_sit_beside_the_scenario_and_loading_ignores_them()
    {
        var scenario = new Scenario(new ClusterOptions { Seed = 3 }, [new TimedCommand(0, TimeSpan.Zero, new ClusterCommand.Heal())]);
        var json = ScenarioJson.Serialize(scenario, new Dictionary<string, string> { ["reproduce"] = "--seed 3" });
        Assert.StartsWith("{\n  \"reproduce\": \"--seed 3\"", json.ReplaceLineEndings("\n"));
        Assert.Equal(ScenarioJson.Serialize(scenario), ScenarioJson.Serialize(ScenarioJson.Deserialize(json)));
    }
}
