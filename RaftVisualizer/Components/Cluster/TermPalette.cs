namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// One colour per Raft term, shared by the canvas and the log view so a student can match
/// a node's term to the entries it wrote. Colours cycle every <see cref="Count"/> terms;
/// term 0 (nothing happened yet) is a neutral grey. Fills are light enough for dark text,
/// strokes are the same hue, darker, for outlines and text on white.
/// </summary>
public static class TermPalette
{
    // Based on the Okabe–Ito / Tableau colour-blind-safe hues, lightened for fills.
    private static readonly string[] Fills =
    [
        "#9ecae9", // blue
        "#ffbe7d", // orange
        "#8cd17d", // green
        "#ff9d9a", // red
        "#d4a6c8", // purple
        "#f1ce63", // yellow
        "#86bcb6", // teal
        "#d7b5a6", // brown
    ];

    private static readonly string[] Strokes =
    [
        "#1f5f99",
        "#b35806",
        "#2e7d32",
        "#b2182b",
        "#7b3f8c",
        "#8a6d00",
        "#2b6e66",
        "#6d4c41",
    ];

    /// <summary>How many distinct colours before terms repeat.</summary>
    public static int Count => Fills.Length;

    /// <summary>Fill colour (CSS hex) for a term.</summary>
    public static string Fill(long term) => term <= 0 ? "#e0e0e0" : Fills[Index(term)];

    /// <summary>Outline / text colour (CSS hex) for a term; contrasts with white and with <see cref="Fill"/>.</summary>
    public static string Stroke(long term) => term <= 0 ? "#616161" : Strokes[Index(term)];

    private static int Index(long term) => (int)((term - 1) % Fills.Length);
}
