using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Tests.Lessons;

/// <summary>The page plays a lesson a tick at a time on its timeline; it must stop where the headless run stops.</summary>
public class LessonDriveTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var lesson in BuiltInLessons.All) data.Add(lesson.Id);
        return data;
    }

    private static string Fingerprint(Cluster c) =>
        $"{c.Now.Ticks} {c.Steps} " + string.Join(" | ", c.Nodes.Select(n => $"{n.Id}:{n.Role}:{n.Term}:{n.CommitIndex}:{n.Log.Count}"));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Played_on_a_timeline_in_small_budgets_a_lesson_stops_where_the_headless_run_does(string id)
    {
        var lesson = BuiltInLessons.Find(id)!;
        var headless = new LessonRun(lesson);
        var paced = LessonRun.OnTimeline(lesson);
        var budgets = new[] { 3.0, 17, 0.5, 40, 250 };
        var turn = 0;
        while (!headless.IsOver)
        {
            var expected = headless.PlayNext();
            var drive = paced.BeginNext();
            while (!drive.Advance(paced.Engine, TimeSpan.FromMilliseconds(budgets[turn++ % budgets.Length]))) { }
            var got = paced.Complete(drive);
            Assert.Equal(expected, got with { Problems = expected.Problems.Count == got.Problems.Count ? expected.Problems : got.Problems });
            Assert.Equal(Fingerprint(headless.Cluster), Fingerprint(paced.Cluster));
            Assert.Same(paced.Timeline!.Head, paced.Cluster);
        }
    }

    [Fact]
    public void A_recorded_lesson_played_in_small_budgets_applies_its_commands_at_their_steps()
    {
        var cluster = new Cluster(new ClusterOptions { NodeCount = 3, Seed = 11 });
        cluster.RunFor(TimeSpan.FromMilliseconds(400));
        cluster.Submit(KvCommand.Put("x", "1"));
        cluster.RunFor(TimeSpan.FromMilliseconds(37));
        cluster.Crash(cluster.Leader!.Value);
        cluster.RunFor(TimeSpan.FromMilliseconds(200));
        var first = cluster.Now;
        cluster.RunFor(TimeSpan.FromMilliseconds(600));
        var lesson = LessonRecording.FromRun("Two cards", cluster.Scenario,
            [new LessonCard(first, "One", "The leader is down."), new LessonCard(cluster.Now, "Two", "A new leader.")]);

        var paced = LessonRun.OnTimeline(lesson);
        while (!paced.IsOver)
        {
            var drive = paced.BeginNext();
            while (!drive.Advance(paced.Engine, TimeSpan.FromMilliseconds(7))) { }
            Assert.True(paced.Complete(drive).Passed);
        }
        Assert.Equal(Fingerprint(cluster), Fingerprint(paced.Cluster));
        Assert.Equal(cluster.Scenario.Commands, paced.Timeline!.Scenario.Commands);
    }
}
