using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>The lesson player on the workbench: the catalogue, stepping, a question and its feedback, the keys, a room's viewer.</summary>
public sealed class LessonPlayerTests : ClusterComponentTest
{
    public LessonPlayerTests() => Services.AddSingleton(new RoomRegistry(Options.Create(new RoomOptions())));

    private IRenderedComponent<ClusterWorkbench> Workbench(LiveCluster live) => Render<ClusterWorkbench>(p => p.Add(c => c.Live, live));

    /// <summary>Finds and clicks in one go on the renderer's thread: publishes re-render the workbench meanwhile.</summary>
    private static Task Click<T>(IRenderedComponent<T> cut, string selector) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.InvokeAsync(() => cut.Find(selector.StartsWith('[') ? selector : $"[data-testid='{selector}']").Click());

    private static void WaitForStep(IRenderedComponent<ClusterWorkbench> cut, int step, string phase) => cut.WaitForAssertion(() =>
    {
        Assert.Equal(step.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid='lesson-step']").GetAttribute("data-step"));
        Assert.Equal(phase, cut.Find("[data-testid='lesson-player']").GetAttribute("data-phase"));
    });

    /// <summary>Opens the pre-vote lesson from the catalogue and plays (skipping ahead) to its question, step 3.</summary>
    private async Task<IRenderedComponent<ClusterWorkbench>> AtThePreVoteQuestion()
    {
        StartCluster(nodes: 3, seed: 1);
        var cut = Workbench(Live);
        await Click(cut, "lessons-toggle");
        var lessons = cut.Find("[data-testid='lessons']");
        Assert.NotEmpty(lessons.QuerySelectorAll("[data-testid='lesson-card']"));
        await Click(cut, "[data-testid='lesson-card'][data-lesson='pre-vote']");
        WaitForStep(cut, 1, "Running");
        Assert.Equal("5", cut.Find("[data-testid='lesson-step']").GetAttribute("data-steps"));
        Assert.Contains("S3 is elected leader", cut.Find("[data-testid='lesson-narration']").TextContent);
        Assert.Empty(cut.FindAll("[data-testid='lessons']")); // the catalogue folds away once a lesson plays

        await Click(cut, "lesson-next"); // skip ahead: the step runs to its condition at once
        WaitForStep(cut, 1, "Reached");
        Assert.Equal("Leader", cut.Find("g[data-testid='node-3']").GetAttribute("data-role"));
        await Click(cut, "lesson-next");
        WaitForStep(cut, 2, "Running");
        Assert.Contains("lesson-highlight", cut.Find("g[data-testid='node-1']").GetAttribute("class"));
        await Click(cut, "lesson-next");
        WaitForStep(cut, 2, "Reached");
        await Click(cut, "lesson-next");
        WaitForStep(cut, 3, "Asking");
        return cut;
    }

    [Fact]
    public async Task A_right_answer_runs_the_step_and_says_so()
    {
        var cut = await AtThePreVoteQuestion();
        Assert.Equal(2, cut.FindAll("[data-testid='lesson-choice']").Count);
        Assert.True(cut.Find("[data-testid='lesson-next']").HasAttribute("disabled")); // answer first
        Assert.Empty(cut.FindAll("[data-testid='lesson-feedback']"));

        await Click(cut, "[data-testid='lesson-choice'][data-choice='1']");
        WaitForStep(cut, 3, "Running");
        await Click(cut, "lesson-next");
        WaitForStep(cut, 3, "Reached");
        var feedback = cut.Find("[data-testid='lesson-feedback']");
        Assert.Equal("true", feedback.GetAttribute("data-right"));
        Assert.Contains("Right.", feedback.TextContent);
        Assert.Contains("steps down", feedback.TextContent);
        Assert.NotEqual("1", cut.Find("g[data-testid='node-3']").GetAttribute("data-term")); // S3 saw S1's higher term
    }

    [Fact]
    public async Task A_wrong_answer_by_key_gets_the_right_one_and_why_and_b_goes_back_to_where_the_step_began()
    {
        var cut = await AtThePreVoteQuestion();
        var before = Pump.Read(c => c.Node(3)!.Term);
        var instance = cut.Instance;
        await cut.InvokeAsync(() => instance.OnShortcut("1")); // "Yes, S3 keeps leading term 1": wrong
        WaitForStep(cut, 3, "Running");
        await cut.InvokeAsync(() => instance.OnShortcut("n"));
        WaitForStep(cut, 3, "Reached");
        var feedback = cut.Find("[data-testid='lesson-feedback']");
        Assert.Equal("false", feedback.GetAttribute("data-right"));
        Assert.Contains("Not quite", feedback.TextContent);
        Assert.Contains("a new election in a higher term", feedback.TextContent);

        await cut.InvokeAsync(() => instance.OnShortcut("n")); // the branch: the same moment with pre-vote on
        WaitForStep(cut, 4, "Running");
        Assert.NotNull(cut.Find("[data-testid='lesson-branch']"));
        Assert.True(Pump.Read(c => c.Options.PreVote));

        await cut.InvokeAsync(() => instance.OnShortcut("b")); // back to the question, the cluster where it began
        WaitForStep(cut, 3, "Asking");
        Assert.False(Pump.Read(c => c.Options.PreVote));
        cut.WaitForAssertion(() => Assert.Equal(before.ToString(System.Globalization.CultureInfo.InvariantCulture),
            cut.Find("g[data-testid='node-3']").GetAttribute("data-term")));
        Assert.Empty(cut.FindAll("[data-testid='lesson-feedback']"));
    }

    [Fact]
    public async Task Explore_leaves_the_lesson_and_keeps_the_cluster_running()
    {
        var cut = await AtThePreVoteQuestion();
        var seed = Pump.Read(c => c.Options.Seed);
        await Click(cut, "lesson-explore");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='lesson-player']")));
        Assert.False(Pump.IsPaused);
        Assert.Equal(seed, Pump.Read(c => c.Options.Seed));
        Assert.Equal(LessonPhase.None, Live.Lessons.Session.Phase);
    }

    [Fact]
    public async Task A_watch_only_viewer_follows_the_lesson_cannot_move_it_but_answers_and_the_presenter_sees_the_tally()
    {
        StartCluster(nodes: 3, seed: 1);
        var presenter = new LiveCluster(Pump, ownsPump: false, canControl: true) { InRoom = true };
        var viewer = new LiveCluster(Pump, ownsPump: false, canControl: false) { InRoom = true };
        try
        {
            var lesson = BuiltInLessons.Find("pre-vote")!;
            Assert.True(presenter.Lessons.Open(lesson).Ok);
            var session = presenter.Lessons.Session;
            while (session.Phase != LessonPhase.Asking) presenter.Lessons.Next();

            var seen = Workbench(viewer);
            seen.WaitForAssertion(() => Assert.Equal("3", seen.Find("[data-testid='lesson-step']").GetAttribute("data-step")));
            Assert.Empty(seen.FindAll("[data-testid='lesson-next']"));
            Assert.Empty(seen.FindAll("[data-testid='lessons-toggle']"));
            var at = Pump.HeadStep;
            Assert.False(viewer.Lessons.Next().Ok); // refused on the server, whatever the page shows
            Assert.False(viewer.Lessons.Reveal().Ok);
            Assert.Equal(LessonPhase.Asking, session.Phase);
            Assert.Equal(at, Pump.HeadStep);

            await Click(seen, "[data-testid='lesson-choice'][data-choice='1']");
            seen.WaitForAssertion(() => Assert.Equal("true", seen.FindAll("[data-testid='lesson-choice']")[1].GetAttribute("aria-pressed")));
            Assert.NotNull(viewer.Lessons.Pick(0)); // one answer per viewer per question
            Assert.Equal("You have already answered this question.", session.Answer(viewer.ViewerId, session.Ask, 0));
            Assert.NotNull(session.Answer("someone", session.Ask, 7)); // an answer that does not exist
            Assert.NotNull(session.Answer("someone", session.Ask + 1, 0)); // a question not asked
            Assert.Equal([0, 1], session.Tally);

            var desk = Render<RaftVisualizer.Components.Lessons.LessonPanel>(p => p.Add(c => c.Live, presenter));
            Assert.Equal("1", desk.Find("[data-testid='lesson-tally'][data-choice='1']").GetAttribute("data-count"));
            Assert.Empty(seen.FindAll("[data-testid='lesson-tally']")); // the room sees the tally once revealed
            await Click(desk, "lesson-reveal");
            Assert.Equal(LessonPhase.Running, session.Phase);
            presenter.Lessons.Next();
            seen.WaitForAssertion(() =>
            {
                Assert.Equal("true", seen.Find("[data-testid='lesson-feedback']").GetAttribute("data-right"));
                Assert.Equal("1", seen.Find("[data-testid='lesson-tally'][data-choice='1']").GetAttribute("data-count"));
            });
        }
        finally
        {
            presenter.Dispose();
            viewer.Dispose();
        }
    }

    [Fact]
    public void A_bad_lesson_file_gets_one_sentence_and_changes_nothing()
    {
        StartCluster(nodes: 3, seed: 1);
        var seed = Pump.Read(c => c.Options.Seed);
        var problem = Live.Lessons.OpenJson("{\"name\": \"my shopping list\"}");
        Assert.Contains("not a lesson file", problem, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(seed, Pump.Read(c => c.Options.Seed));
        Assert.Null(Live.Lessons.Session.Lesson);
    }
}
