namespace RaftVisualizer.Core.Safety;

/// <summary>
/// Whether the live servers have come to agree: the check every scenario test and every torture
/// seed ends with, kept in one place.
/// </summary>
public static class Convergence
{
    /// <summary>The servers that count: up, and members of the cluster's configuration (a removed server is left out).</summary>
    private static NodeView[] LiveMembers(Cluster c)
    {
        var config = c.Configuration;
        return c.Nodes.Where(n => n.IsUp && config.Contains(n.Id)).ToArray();
    }

    /// <summary>A leader exists and every live member holds the same log, all of it committed and applied.</summary>
    public static bool IsSettled(Cluster c)
    {
        var live = LiveMembers(c);
        return c.Leader is not null && live.All(n => n.CommitIndex == live[0].CommitIndex && n.LastApplied == n.CommitIndex
            && n.LastLogIndex == live[0].LastLogIndex) && live[0].CommitIndex == live[0].LastLogIndex;
    }

    /// <summary>Null when the live members agree on commit index, committed log and KV map; otherwise the first difference, in words.</summary>
    public static string? Divergence(Cluster c)
    {
        var live = LiveMembers(c);
        if (live.Length == 0) return "no server is up";
        var first = live[0];
        foreach (var node in live.Skip(1))
        {
            if (node.CommitIndex != first.CommitIndex)
                return $"commit index {first.Id}={first.CommitIndex} but {node.Id}={node.CommitIndex}: {string.Join("; ", c.Nodes)}";
            // Entries both still hold (the rest live in snapshots, and the KV maps below compare those).
            for (var i = Math.Max(first.SnapshotIndex, node.SnapshotIndex) + 1; i <= first.CommitIndex; i++)
                if (first.Entry(i)?.ToString() != node.Entry(i)?.ToString())
                    return $"committed entry {i} is {first.Entry(i)} on {first.Id} but {node.Entry(i)} on {node.Id}";
            if (node.LastApplied != first.LastApplied)
                return $"{first.Id} applied {first.LastApplied} entries but {node.Id} applied {node.LastApplied}";
            var a = KvText(first);
            var b = KvText(node);
            if (a != b) return $"KV map on {first.Id} is {{{a}}} but on {node.Id} is {{{b}}}";
        }
        return null;
    }

    private static string KvText(NodeView n) =>
        string.Join(", ", n.Kv.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
