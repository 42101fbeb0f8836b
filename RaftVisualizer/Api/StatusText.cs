using System.Globalization;
using System.Text;

namespace RaftVisualizer.Api;

/// <summary>
/// <c>GET /status</c> for a terminal: who leads, then one aligned row per server, then the network.
/// <code>
/// leader S1, term 3 (simulated time 12.4 s, speed 1x)
/// SERVER  ROLE      TERM  LOG  LAST  COMMIT  APPLIED  VOTED
/// S1      Leader       3    7     7       7        7  S1
/// S3      Down         2    5     5       5        0  -
/// network: whole
/// </code>
/// </summary>
public static class StatusText
{
    private static readonly string[] Header = ["SERVER", "ROLE", "TERM", "LOG", "LAST", "COMMIT", "APPLIED", "VOTED"];
    /// <summary>Columns of numbers, aligned to the right.</summary>
    private static readonly bool[] Numeric = [false, false, true, true, true, true, true, false];

    public static string Render(ClusterStatus status)
    {
        var text = new StringBuilder();
        var clock = string.Create(CultureInfo.InvariantCulture, $"simulated time {status.NowMs / 1000:0.0} s, speed {status.Speed:0.##}x");
        text.Append(status.Leader is { } leader
            ? $"leader {leader}, term {status.Term} ({clock})\n"
            : $"no leader (highest term {status.Term}; {clock}): an election is under way, or too few servers are up and connected\n");

        var rows = status.Nodes.Select(n => new[]
        {
            n.Id, n.Role, Num(n.Term), Num(n.LogLength), Num(n.LastLogIndex), Num(n.CommitIndex), Num(n.LastApplied), n.VotedFor ?? "-",
        }).Prepend(Header).ToArray();
        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell : Numeric[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }

        var network = status.Network;
        text.Append(network.Groups.Count > 1
            ? $"network: partitioned {string.Join(" | ", network.Groups.Select(g => string.Join(' ', g)))}"
            : "network: whole");
        if (network.Cuts.Count > 0) text.Append($"; cut links {string.Join(", ", network.Cuts)}");
        return text.Append('\n').ToString();
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
