using System.Text.Json;
using RaftVisualizer.Core;

namespace RaftVisualizer.Tests.Torture;

public class ScenarioJsonTests
{
    [Fact]
    public void Every_kind_of_action_and_every_option_round_trips()
    {
        var options = new ClusterOptions
        {
            NodeCount = 5, Seed = ulong.MaxValue - 3, ElectionTimeoutMin = TimeSpan.FromTicks(1_500_001), LossRate = 0.1 + 0.2,
            DuplicateRate = 1.0 / 3, MaxEntriesPerAppend = 1, PreVote = true, ClientTimeout = TimeSpan.FromSeconds(2.5),
            Broken = BrokenRules.ForgetVotedForOnRestart | BrokenRules.ReadsFromAnyNode,
        };
        ScenarioAction At(ScenarioAction a, int ms, long step) => a with { At = TimeSpan.FromTicks(ms * 10_000L + 7), AfterStep = step };
        var scenario = new Scenario(options, [
            At(new(ScenarioActionKind.Crash) { Node = 2 }, 100, 5),
            At(new(ScenarioActionKind.Restart) { Node = 2 }, 150, 9),
            At(new(ScenarioActionKind.ForceTimeout) { Node = 3 }, 151, 9),
            At(new(ScenarioActionKind.Partition) { Groups = [[1, 2], [3, 4, 5]] }, 200, 20),
            At(new(ScenarioActionKind.Heal), 300, 31),
            At(new(ScenarioActionKind.Cut) { From = 1, To = 4 }, 310, 33),
            At(new(ScenarioActionKind.SetLatency) { Min = TimeSpan.FromMilliseconds(1), Max = TimeSpan.FromTicks(7_000_003) }, 320, 34),
            At(new(ScenarioActionKind.SetLinkLatency) { From = 2, To = 5, Min = TimeSpan.Zero, Max = TimeSpan.FromSeconds(1) }, 330, 35),
            At(new(ScenarioActionKind.SetLoss) { Rate = 0.07 }, 340, 36),
            At(new(ScenarioActionKind.SetDuplication) { Rate = 0.3 }, 350, 37),
            At(new(ScenarioActionKind.Submit) { Command = KvCommand.Put("k", "<b>\"v\"</b>") }, 360, 38),
            At(new(ScenarioActionKind.Submit) { Command = KvCommand.Get("k"), Node = 4 }, 361, 38),
            At(new(ScenarioActionKind.Submit) { Command = KvCommand.Delete("k") }, 362, 38),
            At(new(ScenarioActionKind.Submit) { Command = KvCommand.Append("k", "ü") }, 363, 38),
        ]);

        var json = ScenarioJson.Serialize(scenario);
        var back = ScenarioJson.Deserialize(json);

        Assert.Equal(options, back.Options);
        Assert.Equal(scenario.Actions.Count, back.Actions.Count);
        for (var i = 0; i < scenario.Actions.Count; i++)
        {
            var (a, b) = (scenario.Actions[i], back.Actions[i]);
            Assert.Equal(a with { Groups = null }, b with { Groups = null });
            Assert.Equal(a.Groups?.Select(g => string.Join(",", g)), b.Groups?.Select(g => string.Join(",", g)));
        }
        Assert.Equal(json, ScenarioJson.Serialize(back));
        Assert.Contains("\"ForgetVotedForOnRestart, ReadsFromAnyNode\"", json); // readable, not a number
        Assert.Contains("\"kind\": \"Partition\"", json);
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
    [InlineData("[1, 2]")]
    public void Text_that_is_not_a_scenario_is_refused_with_a_json_error(string text)
    {
        Assert.ThrowsAny<JsonException>(() => ScenarioJson.Deserialize(text));
    }

    [Fact]
    public void Notes_sit_beside_the_scenario_and_loading_ignores_them()
    {
        var scenario = new Scenario(new ClusterOptions { Seed = 3 }, [new ScenarioAction(ScenarioActionKind.Heal)]);
        var json = ScenarioJson.Serialize(scenario, new Dictionary<string, string> { ["reproduce"] = "--seed 3" });
        Assert.StartsWith("{\n  \"reproduce\": \"--seed 3\"", json.ReplaceLineEndings("\n"));
        Assert.Equal(ScenarioJson.Serialize(scenario), ScenarioJson.Serialize(ScenarioJson.Deserialize(json)));
    }
}
