using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;

namespace RaftVisualizer.Tests.Lessons;

/// <summary>
/// The lesson "figure-7-e-f" rebuilds Figure 7's followers (e) and (f) on S3 and S2 and its leader
/// on S1, by driving the real cluster, then lets the leader repair them. The figure comes from the
/// shared data file, not from this test.
/// </summary>
public class FigureSevenEfLessonTests
{
    private static readonly NodeId Leader = new(1), F = new(2), E = new(3);

    private static readonly PaperFigure7 Figure = PaperFigure7.Load();

    private static Lesson TheLesson() =>
        BuiltInLessons.Find("figure-7-e-f") ?? throw new InvalidOperationException("the catalogue has no lesson figure-7-e-f");

    private static long[] Terms(Cluster cluster, NodeId id) => cluster.Node(id)!.Log.Select(e => e.Term).ToArray();

    /// <summary>Plays the lesson up to the step before the repair begins (its last two steps repair (e), then (f)).</summary>
    private static LessonRun PlayToTheNewLeader()
    {
        var lesson = TheLesson();
        var run = new LessonRun(lesson);
        while (run.NextStep < lesson.Steps.Count - 2)
            Assert.True(run.PlayNext().Passed, $"step {run.NextStep} failed: {string.Join("; ", run.Outcomes[^1].Problems)}");
        return run;
    }

    [Fact]
    public void Before_the_repair_the_new_leader_and_followers_e_and_f_hold_exactly_figure_7s_logs()
    {
        var cluster = PlayToTheNewLeader().Cluster;

        Assert.Equal(Leader, cluster.Leader);
        Assert.Equal(Figure.LeaderTerm, cluster.Node(Leader)!.Term);
        Assert.Equal(Figure.Leader, Terms(cluster, Leader));
        Assert.Equal(Figure.Followers['e'], Terms(cluster, E));
        Assert.Equal(Figure.Followers['f'], Terms(cluster, F));
        // Each extra entry of (e) and (f) is uncommitted: no live server and not the leader has it.
        Assert.Equal(Figure.Leader.Count, cluster.Node(Leader)!.CommitIndex);
        var others = cluster.Nodes.Where(n => n.Id != E && n.Id != F).ToArray();
        Assert.All(others, n => Assert.DoesNotContain(n.Log, e => e.Term is 2 or 3));
        Assert.All(others, n => Assert.Equal(2, n.Log.Count(e => e.Term == 4)));
    }

    [Fact]
    public void The_leader_truncates_the_conflicting_suffixes_and_both_logs_end_equal_to_its_own()
    {
        var run = PlayToTheNewLeader();
        var before = run.Cluster.Events.Count;
        var leaderLog = run.Cluster.Node(Leader)!.Log.ToArray();
        while (!run.IsOver) Assert.True(run.PlayNext().Passed, string.Join("; ", run.Outcomes[^1].Problems));
        var cluster = run.Cluster;

        var truncations = cluster.Events.Skip(before).OfType<LogTruncated>().ToArray();
        Assert.Equal(new[] { Cut(E, Figure.Followers['e']), Cut(F, Figure.Followers['f']) },
            truncations.Select(t => (t.Node, t.FromIndex, t.RemovedCount)).ToArray());
        Assert.Equal(leaderLog, cluster.Node(Leader)!.Log); // the leader never changes its own log
        Assert.All(cluster.Nodes, n => Assert.Equal(leaderLog, n.Log));
        Assert.All(cluster.Nodes, n => Assert.Equal(Figure.Leader, n.Log.Select(e => e.Term)));
        Assert.All(cluster.Nodes, n => Assert.Equal(Figure.Leader.Count, n.CommitIndex));
        Assert.True(cluster.Safety.IsSafe, cluster.Safety.FirstViolation?.ToString());
    }

    [Fact]
    public void The_lesson_follows_the_first_figure_7_lesson_in_the_replication_group()
    {
        var ids = BuiltInLessons.All.Select(l => l.Id).ToList();
        Assert.Equal("Replication", TheLesson().Group);
        Assert.Equal(ids.IndexOf("figure-7") + 1, ids.IndexOf("figure-7-e-f"));
    }

    /// <summary>What the figure says a follower loses: everything from its first entry whose term differs from the leader's.</summary>
    private static (NodeId, long, long) Cut(NodeId follower, IReadOnlyList<long> terms)
    {
        var first = Enumerable.Range(0, terms.Count).First(i => i >= Figure.Leader.Count || terms[i] != Figure.Leader[i]);
        return (follower, first + 1, terms.Count - first);
    }
}
