using Bunit;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Lessons;

namespace RaftVisualizer.Tests.Components;

/// <summary>A lesson step's highlight on the canvas lights the messages in flight it names by kind, sender and receiver, as the space-time diagram does.</summary>
public sealed class CanvasLessonHighlightTests : ClusterComponentTest
{
    [Fact]
    public void A_highlight_from_S5_lights_S5s_vote_requests_on_the_canvas_and_not_S1s()
    {
        StartCluster(nodes: 5, seed: 3);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Pump.Execute(new ClusterCommand.ForceTimeout(1)).Ok);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Pump.Execute(new ClusterCommand.ForceTimeout(5)).Ok); // two candidates at once: both ask for votes
        var votes = Pump.Latest.Messages.Where(f => f.Message is RequestVote).Select(f => f.Message.From.Value).ToArray();
        Assert.Contains(1, votes);
        Assert.Contains(5, votes);

        var fromS5 = new LessonHighlight { Messages = ["RequestVote"], From = [new NodeId(5)] };
        void Highlighting(ComponentParameterCollectionBuilder<CascadingValue<LessonHighlight>> p, LessonHighlight highlight) => p
            .Add(c => c.Value, highlight)
            .AddChildContent<ClusterCanvas>(canvas => canvas.Add(c => c.Live, Live));
        var cut = Render<CascadingValue<LessonHighlight>>(p => Highlighting(p, fromS5));

        AssertLit(cut, from: 5);

        // The next step points at S1's instead: the canvas follows the highlight, not only its kinds.
        var fromS1 = fromS5 with { From = [new NodeId(1)] };
        cut.Render(p => Highlighting(p, fromS1));
        AssertLit(cut, from: 1);
    }

    /// <summary>Exactly the vote requests (not pre-votes, replies or heartbeats) that <paramref name="from"/> sent are drawn highlighted, on every dot.</summary>
    private static void AssertLit(IRenderedComponent<CascadingValue<LessonHighlight>> cut, int from) => cut.WaitForAssertion(() =>
    {
        var dots = cut.FindAll("[data-testid='message']");
        Assert.NotEmpty(dots);
        foreach (var dot in dots)
        {
            var expected = dot.GetAttribute("data-kind") == "requestvote" && dot.GetAttribute("data-from") == from.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, dot.ClassList.Contains("lesson-highlight"));
            Assert.Equal(expected, dot.GetAttribute("data-highlight") == "true");
        }
        Assert.Equal(4, dots.Count(d => d.GetAttribute("data-highlight") == "true")); // one to each of the other four
    });
}
