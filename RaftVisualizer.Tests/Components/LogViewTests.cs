using Bunit;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Tests.Components;

public class LogViewTests : ClusterComponentTest
{
    private IRenderedComponent<LogView> RenderLog() => Render<LogView>(p => p.Add(v => v.Snapshot, Pump.Latest));

    private static string[] Classes(IRenderedComponent<LogView> view, NodeId node) =>
        view.FindAll($"[data-testid=log-{node.Value}] .entry")
            .Select(e => $"{e.GetAttribute("data-index")}:{(e.ClassList.Contains("committed") ? "committed" : e.ClassList.Contains("uncommitted") ? "uncommitted" : "?")}")
            .ToArray();

    private void Put(string key, string value, NodeId via)
    {
        var op = Drive(c => c.Submit(KvCommand.Put(key, value), via));
        Drive(c => c.RunUntil(_ => op.IsCompleted, TimeSpan.FromSeconds(3)));
        Assert.Equal(KvStatus.Ok, Pump.Read(_ => op.Result!.Status));
    }

    [Fact]
    public void A_leader_cut_off_in_a_minority_shows_its_new_entry_dashed_and_the_majority_commits_without_it()
    {
        StartCluster(nodes: 5, seed: 5);
        var old = ElectLeader();
        Put("x", "1", old);
        RunFor(200);
        var buddy = Pump.Read(c => c.Nodes.First(n => n.Id != old).Id);
        var majority = Pump.Read(c => c.Nodes.Select(n => n.Id).Where(id => id != old && id != buddy).ToArray());
        Drive(c => c.Partition(new[] { old, buddy }, majority));
        Drive(c => c.Submit(KvCommand.Put("y", "2"), old));
        RunFor(120); // reaches the buddy, cannot reach a majority

        Assert.Equal(NodeRole.Leader, Pump.Latest.Node(old)!.Role);
        var view = RenderLog();

        // entries 1 (no-op) and 2 (put x=1) are committed; 3 (put y=2) is on two of five nodes only
        Assert.Equal(new[] { "1:committed", "2:committed", "3:uncommitted" }, Classes(view, old));
        Assert.Equal(new[] { "1:committed", "2:committed", "3:uncommitted" }, Classes(view, buddy));
        Assert.Equal(new[] { "1:committed", "2:committed" }, Classes(view, majority[0]));
        Assert.Contains("put y=2", view.Find($"[data-testid=log-{old.Value}] .entry[data-index='3']").TextContent);
        Assert.Equal("2", view.Find($"[data-testid=log-{old.Value}]").GetAttribute("data-commit"));
        Assert.NotNull(view.Find($"[data-testid=log-{old.Value}] [data-testid=commit-{old.Value}]"));

        // the majority elects a leader of a later term and commits its own no-op; the old leader's entry stays dashed
        Drive(c => c.RunUntil(x => x.Leader is { } l && l != old, TimeSpan.FromSeconds(3)));
        RunFor(300);
        view.Render(p => p.Add(v => v.Snapshot, Pump.Latest));
        Assert.Equal(new[] { "1:committed", "2:committed", "3:committed" }, Classes(view, majority[0]));
        Assert.Equal("3:uncommitted", Classes(view, old)[2]);
        Assert.NotEqual(Pump.Latest.Node(old)!.Log[2].Term, Pump.Latest.Node(majority[0])!.Log[2].Term);
    }

    [Fact]
    public void Entries_are_coloured_by_term_and_show_their_command()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        Put("x", "1", leader);
        RunFor(200);
        var view = RenderLog();

        var entry = view.Find($"[data-testid=log-{leader.Value}] .entry[data-index='2']");
        var term = Pump.Latest.Node(leader)!.Term;
        Assert.Equal(term.ToString(), entry.GetAttribute("data-term"));
        Assert.Contains($"background:{TermPalette.Fill(term)}", entry.GetAttribute("style"));
        Assert.Contains($"border-color:{TermPalette.Stroke(term)}", entry.GetAttribute("style"));
        Assert.Equal($"t{term}put x=1", entry.TextContent.Replace(" ", "").Replace("\n", "").Replace("putx=1", "put x=1"));
    }

    [Fact]
    public void Follower_rows_carry_the_leaders_next_and_match_index()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        Put("x", "1", leader);
        RunFor(200);
        var follower = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        var view = RenderLog();

        var row = $"[data-testid=log-{follower.Value}]";
        Assert.Equal("2", view.Find($"{row} [data-testid=match-{follower.Value}]").Closest(".cell")!.QuerySelector(".entry")!.GetAttribute("data-index"));
        Assert.Null(view.Find($"{row} [data-testid=next-{follower.Value}]").Closest(".cell")!.QuerySelector(".entry")); // index 3: the next new entry
        Assert.Empty(view.FindAll($"[data-testid=log-{leader.Value}] .marker.next"));
    }

    [Fact]
    public void A_crashed_node_is_greyed_and_a_long_log_shows_how_many_entries_are_hidden()
    {
        StartCluster(nodes: 3, seed: 1);
        var leader = ElectLeader();
        for (var i = 0; i < 40; i++) Drive(c => c.Submit(KvCommand.Put("k", i.ToString()), leader));
        RunFor(3000);
        var down = Pump.Read(c => c.Nodes.First(n => n.Id != leader).Id);
        Drive(c => c.Crash(down));
        var view = RenderLog();

        var length = Pump.Latest.Node(leader)!.Log.Count;
        // 30 columns: the last 29 entries and the empty slot the followers' nextIndex points at
        Assert.Equal(LogView.MaxColumns - 1, view.FindAll($"[data-testid=log-{leader.Value}] .entry").Count);
        Assert.Contains($"… {length + 1 - LogView.MaxColumns} earlier", view.Markup);
        Assert.Contains("down", view.Find($"[data-testid=log-{down.Value}]").ClassList);
        Assert.Equal("false", view.Find($"[data-testid=log-{down.Value}]").GetAttribute("data-up"));
    }

    [Fact]
    public void Re_rendering_with_an_unchanged_snapshot_is_skipped()
    {
        StartCluster(nodes: 3, seed: 1);
        ElectLeader();
        var view = RenderLog();
        var renders = view.RenderCount;

        view.Render(p => p.Add(v => v.Snapshot, Pump.Latest));
        Assert.Equal(renders, view.RenderCount);
        view.Render(p => p.Add(v => v.Snapshot, Pump.Latest));
        Assert.Equal(renders, view.RenderCount);

        Drive(c => c.Submit(KvCommand.Put("a", "b")));
        RunFor(500);
        view.Render(p => p.Add(v => v.Snapshot, Pump.Latest));
        Assert.Equal(renders + 1, view.RenderCount);
    }
}
