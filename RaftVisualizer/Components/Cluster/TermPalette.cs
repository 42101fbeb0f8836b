using RaftVisualizer.Core;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// One colour per Raft term, shared by the canvas and the log view so a student can match
/// a node's term to the entries it wrote. Colours cycle every <see cref="Count"/> terms;
/// term 0 (nothing happened yet) is a neutral grey. Fills are light enough for dark text,
/// strokes are the same hue, darker, for outlines and text on white.
/// </summary>
public static class TermPalette
{
    // Based on the Okabe–Ito / Tableau colour-blind-safe hues, lightened for fills, in an order that
    // keeps each term apart from the next for red-green colour blindness too: simulated for protanopia
    // and deuteranopia (Machado 2009, full severity), neighbouring terms differ by a CIELAB ΔE of at
    // least 24 (fills and strokes, including term 8 to term 9), where the first order had orange next
    // to green (ΔE 2 for protanopia). Terms further apart may look alike to a colour-blind student;
    // the term's number is on every server and every log entry. See docs/accessibility.md.
    private static readonly string[] Fills =
    [
        "#9ecae9", // blue
        "#ff9d9a", // red
        "#d4a6c8", // purple
        "#8cd17d", // green
        "#86bcb6", // teal
        "#f1ce63", // yellow
        "#d7b5a6", // brown
        "#ffbe7d", // orange
    ];

    private static readonly string[] Strokes =
    [
        "#1f5f99",
        "#b2182b",
        "#7b3f8c",
        "#2e7d32",
        "#2b6e66",
        "#8a6d00",
        "#6d4c41",
        "#b35806",
    ];

    /// <summary>How many distinct colours before terms repeat.</summary>
    public static int Count => Fills.Length;

    /// <summary>Fill colour (CSS hex) for a term.</summary>
    public static string Fill(long term) => term <= 0 ? "#e0e0e0" : Fills[Index(term)];

    /// <summary>Outline / text colour (CSS hex) for a term; contrasts with white and with <see cref="Fill"/>.</summary>
    public static string Stroke(long term) => term <= 0 ? "#616161" : Strokes[Index(term)];

    private static int Index(long term) => (int)((term - 1) % Fills.Length);
}
