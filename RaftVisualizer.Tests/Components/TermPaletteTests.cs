using RaftVisualizer.Components.Cluster;
using RaftVisualizer.Core;
using static RaftVisualizer.Tests.Components.ColourBlindness;

namespace RaftVisualizer.Tests.Components;

/// <summary>A student with red-green colour blindness still tells a term from the next one by colour on the servers and in the log.</summary>
public class TermPaletteTests
{
    /// <summary>CIELAB ΔE: about 2.3 is just noticeable; 20 is two clearly different colours side by side.</summary>
    private const double Apart = 20;

    [Theory]
    [InlineData(Vision.Normal)]
    [InlineData(Vision.Protanopia)]
    [InlineData(Vision.Deuteranopia)]
    public void Each_term_and_the_next_stay_clearly_different_colours(Vision vision)
    {
        for (var term = 1; term <= TermPalette.Count; term++) // the last one against the first of the next cycle too
        {
            var fill = Difference(TermPalette.Fill(term), TermPalette.Fill(term + 1), vision);
            var stroke = Difference(TermPalette.Stroke(term), TermPalette.Stroke(term + 1), vision);
            Assert.True(fill >= Apart, $"{vision}: the fills of terms {term} and {term + 1} differ by ΔE {fill:0.0}");
            Assert.True(stroke >= Apart, $"{vision}: the outlines of terms {term} and {term + 1} differ by ΔE {stroke:0.0}");
        }
    }

    [Fact]
    public void The_simulation_is_the_published_one_red_and_green_collapse_for_deuteranopia()
    {
        // Checks the check: pure red and a green of the same lightness are far apart to most eyes and near for a deuteranope.
        Assert.True(Difference("#d62728", "#2ca02c", Vision.Normal) > 80);
        Assert.True(Difference("#d62728", "#2ca02c", Vision.Deuteranopia) < Difference("#d62728", "#2ca02c", Vision.Normal) / 3);
        Assert.Equal(0, Difference("#1f5f99", "#1f5f99", Vision.Protanopia), 6);
    }

    [Fact]
    public void Term_zero_is_neutral_grey_and_terms_repeat_after_a_full_cycle()
    {
        Assert.Equal("#e0e0e0", TermPalette.Fill(0));
        Assert.Equal(TermPalette.Fill(1), TermPalette.Fill(1 + TermPalette.Count));
        Assert.Equal(TermPalette.Count, Enumerable.Range(1, TermPalette.Count).Select(t => TermPalette.Fill(t)).Distinct().Count());
    }
}
