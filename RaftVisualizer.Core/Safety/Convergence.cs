namespace RaftVisualizer.Core;

/// <summary>
/// Whether the live servers have come to agree: the check every scenario test and every torture
/// seed ends with, kept in one place.
/// </summary>
public static class Convergence
{
    /// <summary>A leader exists and every live server holds the same log, all of it committed and applied.</summary>
    public static bool IsSettled(Cluster c)
    {
        var live = c.Nodes.Where(n => n.IsUp).ToArray();
        return c.Leader is not null && live.All(n => n.CommitIndex == live[0].CommitIndex && n.LastApplied == n.CommitIndex
            && n.LastLogIndex == live[0].LastLogIndex) && live[0].CommitIndex == live[0].LastLogIndex;
    }

    /// <summary>Null when the live servers agree on commit index, committed log and KV map; otherwise the first difference, in words.</summary>
    public static string? Divergence(Cluster c)
    {
        var live = c.Nodes.Where(n => n.IsUp).ToArray();
        if (live.Length == 0) return "no server is up";
        var first = live[0];
        foreach (var node in live.Skip(1))
        {
            if (node.CommitIndex != first.CommitIndex)
                return $"commit index {first.Id}={first.CommitIndex} but {node.Id}={node.CommitIndex}: {string.Join("; ", c.Nodes)}";
            for (var i = 0; i < first.CommitIndex; i++)
                if (first.Log[i].ToString() != node.Log[i].ToString())
                    return $"committed entry {i + 1} is {first.Log[i]} on {first.Id} but {node.Log[i]} on {node.Id}";
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
