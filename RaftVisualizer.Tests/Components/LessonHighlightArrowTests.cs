using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RaftVisualizer.Classroom;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Tests.Components;

/// <summary>A lesson step's highlight on the space-time diagram: the arrows it names, and only those, are drawn highlighted.</summary>
public sealed class LessonHighlightArrowTests : ClusterComponentTest
{
    public LessonHighlightArrowTests() => Services.AddSingleton(new RoomRegistry(Options.Create(new RoomOptions())));

    [Fact]
    public void The_cut_off_step_highlights_exactly_S5s_RequestVote_arrows_and_the_next_step_none()
    {
        StartCluster(nodes: 3, seed: 1);
        var lesson = BuiltInLessons.Find("lease-read")!;
        Assert.True(Live.Lessons.Open(lesson).Ok);
        var session = Live.Lessons.Session;
        while (session.Index < 3 || session.Phase != LessonPhase.Reached) Assert.True(Live.Lessons.Next().Ok);
        var highlight = lesson.Steps[3].Highlight!;
        Assert.Equal(["RequestVote"], highlight.Messages);
        Assert.Equal([new NodeId(5)], highlight.From);

        var cut = Render<ClusterWorkbench>(p => p.Add(c => c.Live, Live));
        cut.WaitForAssertion(() =>
        {
            var arrows = cut.FindAll("[data-testid='seq-message']");
            var lit = arrows.Where(a => a.GetAttribute("data-highlight") == "true").ToArray();
            Assert.NotEmpty(lit);
            Assert.True(arrows.Count > lit.Length, "the heartbeats and replies around them stay plain");
            foreach (var arrow in arrows)
            {
                var expected = arrow.GetAttribute("data-kind") == "requestvote" && arrow.GetAttribute("data-from") == "5"; // a vote request (not a pre-vote) S5 sent
                Assert.Equal(expected, arrow.GetAttribute("data-highlight") == "true");
                Assert.Equal(expected, arrow.ClassList.Contains("lesson-highlight"));
            }
            Assert.Equal(4, lit.Length); // S5 asked each of the four others once for term 2
            Assert.Equal(["1", "2", "3", "4"], lit.Select(a => a.GetAttribute("data-to")!).Order());
        });

        Assert.True(Live.Lessons.Next().Ok); // "No stale read": its highlight names servers only
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("5", cut.Find("[data-testid='lesson-step']").GetAttribute("data-step"));
            Assert.Empty(cut.FindAll("[data-testid='seq-message'][data-highlight]"));
        });
    }

    [Fact]
    public void A_highlight_lights_a_message_only_when_its_kind_sender_and_receiver_are_each_named_or_left_open()
    {
        var (s1, s2, s5) = (new NodeId(1), new NodeId(2), new NodeId(5));
        var votesFromS5 = new LessonHighlight { Messages = ["RequestVote"], From = [s5] };
        Assert.True(votesFromS5.Lights("RequestVote", s5, s1));
        Assert.False(votesFromS5.Lights("RequestVote", s1, s5));
        Assert.False(votesFromS5.Lights("AppendEntries", s5, s1));
        var toS2 = new LessonHighlight { To = [s2] };
        Assert.True(toS2.Lights("AppendEntries", s1, s2));
        Assert.False(toS2.Lights("AppendEntries", s2, s1));
        Assert.False(new LessonHighlight { Nodes = [s1], Entries = [2] }.Lights("AppendEntries", s1, s2)); // servers and entries light no message
    }
}
