namespace RaftVisualizer.Core.Scenarios;

/// <summary>
/// Where the user dragged one server on the drawing: the centre of its circle, in drawing units.
/// It changes nothing in the simulation; a scenario carries it so an exported run or a share link
/// shows the servers where they were arranged.
/// </summary>
public sealed record ServerPosition(NodeId Node, double X, double Y)
{
    /// <summary>The farthest a position may lie from the drawing's origin, either way (the ring sits well inside).</summary>
    public const double MaxCoordinate = 100_000;

    /// <summary>At most this many positions in a scenario (one per server a cluster can grow to, and room to spare).</summary>
    public const int MaxCount = 64;

    /// <summary>Why this layout cannot be shown, as a sentence; null when every position is fine.</summary>
    public static string? Problem(IReadOnlyList<ServerPosition> layout)
    {
        if (layout.Count > MaxCount) return $"The layout places {layout.Count} servers; a run has at most {MaxCount}.";
        var seen = new HashSet<NodeId>();
        foreach (var p in layout)
        {
            if (p.Node.Value < 1) return $"The layout places a server numbered {p.Node.Value}; servers are numbered from 1.";
            if (!seen.Add(p.Node)) return $"The layout places {p.Node} twice.";
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || Math.Abs(p.X) > MaxCoordinate || Math.Abs(p.Y) > MaxCoordinate)
                return $"The layout puts {p.Node} off the drawing (at most {MaxCoordinate:0} units from the centre either way).";
        }
        return null;
    }
}
