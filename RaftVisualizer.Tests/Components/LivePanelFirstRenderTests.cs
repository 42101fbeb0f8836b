using Bunit;
using Microsoft.AspNetCore.Components.Rendering;
using RaftVisualizer.Components.Cluster;

namespace RaftVisualizer.Tests.Components;

/// <summary>
/// A panel whose state moves while its first render is under way (the history check finishing as
/// the badge first draws "checking") must still draw the new state on the next publish; before,
/// the first render recorded the newer state as drawn and the publish was skipped for good.
/// </summary>
public class LivePanelFirstRenderTests : ClusterComponentTest
{
    private sealed class MovesDuringFirstRender : LivePanel
    {
        public static int State;

        protected override object ChangeKey() => State;

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.AddMarkupContent(0, $"<span id=\"state\">{State}</span>");
            State++; // the state moves on after it was drawn, before the render completes
        }
    }

    [Fact]
    public void The_publish_after_a_first_render_draws_what_changed_during_it()
    {
        StartCluster(nodes: 3, seed: 1);
        MovesDuringFirstRender.State = 0;
        var panel = Render<MovesDuringFirstRender>(p => p.Add(c => c.Live, Live));
        Assert.Equal("0", panel.Find("#state").TextContent);

        RunFor(50); // a publish

        panel.WaitForAssertion(() => Assert.Equal("1", panel.Find("#state").TextContent), TimeSpan.FromSeconds(10));
    }
}
