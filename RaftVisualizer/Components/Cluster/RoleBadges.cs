using System.Globalization;
using RaftVisualizer.Core;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// Lays out the role badges ("L3") of the space-time diagram so that no two on a lane overlap. Going along
/// each lane in time, a badge whose box would touch the one before joins it: the joined badge shows the
/// state the server ended in with how many changes came before it ("L3 +2"), starts where its first
/// change was, and its hover text lists every change with its time. Nothing is dropped: the counts of the
/// badges add up to the role changes in the window. Lanes are <see cref="SequenceLayout.LaneGap"/> apart
/// and a badge is <see cref="Height"/> high, so badges of different lanes never meet.
/// </summary>
public static class RoleBadges
{
    public const double Height = 16;

    /// <summary>The least space left between two badges on a lane.</summary>
    public const double Gap = 2;

    /// <summary>How wide a badge showing <paramref name="text"/> is (10 px bold type).</summary>
    public static double Width(string text) => 8 + text.Length * 6.5;

    /// <summary>The badges of a window's role marks (each with <see cref="MarkShape.Glyph"/> its own state), joined where they would overlap.</summary>
    public static IReadOnlyList<MarkShape> Lay(IEnumerable<MarkShape> roleMarks)
    {
        ArgumentNullException.ThrowIfNull(roleMarks);
        var result = new List<MarkShape>();
        foreach (var lane in roleMarks.GroupBy(m => m.Mark.Node))
        {
            var group = new List<MarkShape>();
            var left = 0.0;
            foreach (var m in lane.OrderBy(m => m.X).ThenBy(m => m.Mark.At))
            {
                var ownLeft = m.X - Width(m.Glyph) / 2;
                if (group.Count > 0 && ownLeft < left + Width(Text(group)) + Gap)
                {
                    group.Add(m);
                    continue;
                }
                if (group.Count > 0) result.Add(Joined(group, left));
                group = [m];
                left = ownLeft;
            }
            if (group.Count > 0) result.Add(Joined(group, left));
        }
        return result;
    }

    private static string Text(List<MarkShape> group) =>
        group.Count == 1 ? group[0].Glyph : $"{group[^1].Glyph} +{(group.Count - 1).ToString(CultureInfo.InvariantCulture)}";

    private static MarkShape Joined(List<MarkShape> group, double left)
    {
        var last = group[^1];
        var text = Text(group);
        var width = Width(text);
        if (group.Count == 1) return last with { BoxX = left, BoxWidth = width };
        var first = group[0];
        var changes = string.Join("\n", group.Select(m => $"  {SequenceLayout.Ms(m.Mark.At)} ms: {m.Mark.Text}"));
        var title = $"{first.Mark.Node}: {group.Count} role changes close together, from {SequenceLayout.Ms(first.Mark.At)} ms to {SequenceLayout.Ms(last.Mark.At)} ms (zoom in to see them apart):\n{changes}\nclick: move the timeline to the first";
        // The badge wears the state the server ended in; a click goes to where the run of changes began.
        return last with { Mark = first.Mark, X = left + width / 2, Glyph = text, BoxX = left, BoxWidth = width, Count = group.Count, Title = title };
    }
}
