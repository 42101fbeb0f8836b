using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// The link between two servers, drawn by its state: working (thin grey), cut one way (red, an
/// arrow on the broken direction), cut both ways, partitioned, slow or lossy (a badge). The ends
/// follow the servers: the server renders them, and wwwroot/js/canvas.js moves them every frame
/// while a server is dragged or glides into its island.
/// </summary>
public partial class ServerLinkWidget
{
    [Parameter, EditorRequired] public ServerLinkModel Link { get; set; } = null!;

    [CascadingParameter] public ClusterCanvas? Canvas { get; set; }

    private (double X1, double Y1, double X2, double Y2) Ends()
    {
        var a = Link.First.Centre;
        var b = Link.Second.Centre;
        var len = Math.Max(1, Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y)));
        var (ux, uy) = ((b.X - a.X) / len, (b.Y - a.Y) / len);
        var r = Link.First.Look.Radius + 12;
        return (a.X + ux * r, a.Y + uy * r, b.X - ux * r, b.Y - uy * r);
    }

    private void Click(MouseEventArgs e) => Canvas?.OnLinkClick(Link.Look.A, Link.Look.B, e);

    internal static string Describe(LinkLook l)
    {
        var (a, b) = (l.A, l.B);
        if (l.Partitioned) return $"{a} and {b} are in different partitions: nothing gets through either way.";
        if (l.AtoBCut && l.BtoACut) return $"The link {a}⟷{b} is cut both ways.";
        var cut = l.AtoBCut ? $" The direction {a}→{b} is cut; {b}→{a} still works." : l.BtoACut ? $" The direction {b}→{a} is cut; {a}→{b} still works." : "";
        var extra = new List<string>();
        if (l.LossAB > 0) extra.Add($"{a}→{b} loses {l.LossAB:P0}");
        if (l.LossBA > 0) extra.Add($"{b}→{a} loses {l.LossBA:P0}");
        if (l.MaxLatencyAB is { } ab) extra.Add($"{a}→{b} takes up to {ab.TotalMilliseconds:0} ms");
        if (l.MaxLatencyBA is { } ba) extra.Add($"{b}→{a} takes up to {ba.TotalMilliseconds:0} ms");
        var detail = extra.Count > 0 ? " " + string.Join("; ", extra) + "." : "";
        return (cut.Length > 0 ? $"Link {a}⟷{b}." + cut : $"Link {a}⟷{b} works.") + detail;
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
