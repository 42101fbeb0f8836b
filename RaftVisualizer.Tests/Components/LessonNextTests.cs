using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// One press of Next moves a lesson once. A press carries the step and phase the page showed; one
/// that arrives after the lesson moved without it (a step that reached its end by itself while
/// "Skip ahead" was being clicked, or a second press sent before the page redrew) changes nothing.
/// </summary>
public sealed class LessonNextTests : ClusterComponentTest
{
    [Fact]
    public void A_skip_pressed_twice_on_the_same_drawing_skips_once_and_does_not_move_to_the_next_step()
    {
        StartCluster(nodes: 3, seed: 1);
        Assert.True(Live.Lessons.Open(BuiltInLessons.Find("pre-vote")!).Ok);
        var session = Live.Lessons.Session;
        Assert.Equal((0, LessonPhase.Running), (session.Index, session.Phase));

        Assert.True(Live.Lessons.Next(0, LessonPhase.Running).Ok); // "Skip ahead"
        Assert.Equal((0, LessonPhase.Reached), (session.Index, session.Phase));
        var at = Pump.HeadStep;
        Assert.True(Live.Lessons.Next(0, LessonPhase.Running).Ok); // the same press again, or the step had reached by itself
        Assert.Equal((0, LessonPhase.Reached), (session.Index, session.Phase));
        Assert.Equal(at, Pump.HeadStep);

        Assert.True(Live.Lessons.Next(0, LessonPhase.Reached).Ok); // "Next", seen at the end of step 1
        Assert.Equal((1, LessonPhase.Running), (session.Index, session.Phase));
        Assert.True(Live.Lessons.Next(0, LessonPhase.Reached).Ok); // a second press on that same drawing
        Assert.Equal((1, LessonPhase.Running), (session.Index, session.Phase));
    }

    [Fact]
    public void A_watcher_cannot_move_the_lesson_with_a_press_either()
    {
        StartCluster(nodes: 3, seed: 1);
        Assert.True(Live.Lessons.Open(BuiltInLessons.Find("pre-vote")!).Ok);
        using var viewer = new LiveCluster(Pump, ownsPump: false, canControl: false) { InRoom = true };
        Assert.False(viewer.Lessons.Next(0, LessonPhase.Running).Ok);
        Assert.Equal((0, LessonPhase.Running), (Live.Lessons.Session.Index, Live.Lessons.Session.Phase));
    }
}
