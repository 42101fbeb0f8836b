using System.Text.Json;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Sessions;

/// <summary>
/// Where the user dragged the servers travels with an exported run and a share link (scenario
/// format 5), and opening either puts the servers back there; older files still open, on the ring.
/// </summary>
public class ScenarioLayoutTests
{
    private static Scenario Recorded()
    {
        var timeline = new Timeline(new ClusterOptions { NodeCount = 5, Seed = 8 });
        timeline.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeline.Execute(new ClusterCommand.Crash(2)).Ok);
        timeline.Advance(TimeSpan.FromSeconds(0.5));
        return timeline.Scenario;
    }

    private static readonly ServerPosition[] Dragged = [new(1, 412.25, -37.5), new(4, 0.1 + 0.2, 1e4 / 3)];

    [Fact]
    public void A_layout_round_trips_through_the_scenario_json_exactly_and_is_written_as_plain_numbers()
    {
        var scenario = Recorded() with { Layout = Dragged };

        var json = ScenarioJson.Serialize(scenario);
        var back = ScenarioJson.Deserialize(json);

        Assert.Equal(Dragged, back.Layout);
        Assert.Equal(scenario, back);
        Assert.NotEqual(scenario with { Layout = [] }, back); // the layout is part of what a file says
        Assert.Equal(json, ScenarioJson.Serialize(back));
        Assert.Contains("\"version\": 5", json);
        using var doc = JsonDocument.Parse(json);
        var first = doc.RootElement.GetProperty("layout")[0];
        Assert.Equal(1, first.GetProperty("node").GetInt32());
        Assert.Equal(412.25, first.GetProperty("x").GetDouble());
        Assert.Equal(-37.5, first.GetProperty("y").GetDouble());
    }

    [Fact]
    public void A_run_nobody_dragged_has_no_layout_in_its_file_and_a_version_4_file_opens_with_every_server_on_the_ring()
    {
        var scenario = Recorded();
        var json = ScenarioJson.Serialize(scenario);
        Assert.DoesNotContain("\"layout\"", json);

        var version4 = json.Replace("\"version\": 5", "\"version\": 4");
        var old = ScenarioJson.Deserialize(version4);
        Assert.Empty(old.Layout);
        Assert.Equal(scenario.Commands, old.Commands);
        // A version 4 file never had a layout: a property of that name there is a note, not a layout.
        var noted = ScenarioJson.Deserialize(version4.Replace("\"commands\"", "\"layout\": \"mine\", \"commands\""));
        Assert.Empty(noted.Layout);
    }

    [Theory]
    [InlineData("[{\"node\": 3, \"x\": 1, \"y\": 2}, {\"node\": 3, \"x\": 5, \"y\": 5}]", "S3 twice")]
    [InlineData("[{\"node\": 0, \"x\": 1, \"y\": 2}]", "numbered 0")]
    [InlineData("[{\"node\": 2, \"x\": 1e300, \"y\": 2}]", "off the drawing")]
    [InlineData("[null]", "Position 1")]
    [InlineData("{\"node\": 2}", "layout should be a list")]
    [InlineData("[{\"node\": \"<b>2</b>\", \"x\": 1, \"y\": 2}]", "layout should be a list")]
    public void A_damaged_layout_is_refused_with_a_sentence(string layout, string says)
    {
        var json = ScenarioJson.Serialize(Recorded()).Replace("\"commands\"", $"\"layout\": {layout}, \"commands\"");
        var run = SharedRun.FromJson(json, out var problem);
        Assert.Null(run);
        Assert.StartsWith("That is not a RaftVisualizer run", problem);
        Assert.Contains(says, problem);
    }

    [Fact]
    public void A_layout_placing_a_server_the_run_never_has_is_refused()
    {
        var json = ScenarioJson.Serialize(Recorded() with { Layout = [new(9, 1, 2)] });
        Assert.Null(SharedRun.FromJson(json, out var problem));
        Assert.Contains("places S9, but the run never has more than 5 servers", problem);
    }

    [Fact]
    public void An_export_leaves_out_a_server_dragged_in_a_future_the_run_no_longer_has()
    {
        var positions = new Dictionary<int, (double X, double Y)> { [6] = (10, 10), [2] = (300, 40) };
        var run = SharedRun.WithLayout(Recorded(), TimeSpan.FromSeconds(2), positions);
        Assert.Equal([new ServerPosition(2, 300, 40)], run.Scenario.Layout);
        Assert.NotNull(SharedRun.FromJson(run.ToJson(), out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void A_file_and_a_link_opened_on_another_page_put_the_dragged_servers_where_they_were()
    {
        var time = new ManualTime();
        using var pump = new ClusterPump(new ClusterOptions { NodeCount = 5, Seed = 8 }, speed: 1, time);
        using var live = new LiveCluster(pump, ownsPump: false, canControl: true);
        Assert.True(live.MoveServer(3, 520, 140).Ok);
        Assert.True(live.MoveServer(1, -60.5, 75).Ok);
        time.Advance(TimeSpan.FromSeconds(1));
        pump.Tick();
        var exported = pump.ReadTimeline(t => SharedRun.WithLayout(t.Scenario, t.HeadTime, live.Layout.Positions));

        foreach (var opened in new[] { SharedRun.FromJson(exported.ToJson(), out _), SharedRun.FromLinkParameter(exported.ToLinkParameter(out _)!, out _) })
        {
            using var otherPump = new ClusterPump(new ClusterOptions { NodeCount = 3, Seed = 1 }, speed: 1, new ManualTime());
            using var other = new LiveCluster(otherPump, ownsPump: false, canControl: true);
            Assert.True(other.MoveServer(2, 999, 999).Ok); // the page's own arrangement is replaced, not merged
            var before = other.Layout.Version;

            Assert.True(other.Replace(opened!.TryReplay(out var problem)!).Ok, problem);

            Assert.True(other.Layout.Version > before, "the drawing must be told to move the servers");
            Assert.Equal(new Dictionary<int, (double X, double Y)> { [1] = (-60.5, 75), [3] = (520, 140) }, other.Layout.Positions);
        }
    }

    [Fact]
    public void A_watcher_cannot_drag_a_server_and_a_position_off_the_drawing_is_refused()
    {
        using var pump = new ClusterPump(new ClusterOptions { NodeCount = 3, Seed = 1 }, speed: 1, new ManualTime());
        using var watcher = new LiveCluster(pump, ownsPump: false, canControl: false);
        using var presenter = new LiveCluster(pump, ownsPump: false, canControl: true);
        Assert.False(watcher.MoveServer(1, 10, 10).Ok);
        var refused = presenter.MoveServer(1, 1e9, 10);
        Assert.False(refused.Ok);
        Assert.Contains("within 100000 units", refused.Message);
        Assert.Empty(pump.Layout.Positions);
    }
}
