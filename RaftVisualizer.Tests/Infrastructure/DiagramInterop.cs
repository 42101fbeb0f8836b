using Blazor.Diagrams.Core.Geometry;
using Bunit;

namespace RaftVisualizer.Tests.Infrastructure;

/// <summary>bUnit has no browser: Blazor.Diagrams asks the size of its canvas, so give it one.</summary>
public static class DiagramInterop
{
    public static void SetupDiagramCanvas(this BunitJSInterop js) =>
        js.Setup<Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true).SetResult(new Rectangle(0, 0, 900, 600));
}
