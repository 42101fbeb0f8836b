using System.Text;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Tests.Core;

/// <summary>Canonical text of a frame and of a cluster's clients, so two runs can be compared exactly.</summary>
internal static class Frames
{
    /// <summary>Every field of the frame in a fixed order (maps sorted), one node per line.</summary>
    public static string Canonical(ClusterFrame s)
    {
        var t = new StringBuilder();
        t.Append($"now {s.Now.Ticks} steps {s.Steps} leader {s.Leader}\n");
        foreach (var n in s.Nodes)
        {
            t.Append($"{n.Id} up={n.IsUp} {n.Role} term={n.Term} voted={n.VotedFor} commit={n.CommitIndex} applied={n.LastApplied} ");
            t.Append($"knows={n.KnownLeader} deadline={n.ElectionDeadline?.Ticks} votes=[{string.Join(",", n.VotesReceived)}] ");
            t.Append($"next=[{Sorted(n.NextIndex)}] match=[{Sorted(n.MatchIndex)}] ");
            t.Append($"kv={{{string.Join(",", n.Kv.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}}} ");
            t.Append($"log=[{string.Join(" ", n.Log.Select(e => $"{e}/{e.Session}"))}]\n");
        }
        foreach (var m in s.Messages) t.Append($"msg {m.Id} {m.Message} {m.SentAt.Ticks}->{m.ArrivesAt.Ticks} lost={m.Lost}\n");
        t.Append($"groups {string.Join(" | ", s.Groups.Select(g => string.Join(",", g)))} cuts {string.Join(",", s.Cuts)}\n");
        t.Append($"latency {s.MinLatency.Ticks}-{s.MaxLatency.Ticks} loss {s.LossRate}\n");
        foreach (var v in s.Violations) t.Append(v).Append('\n');
        foreach (var rule in RuleBook.All) // the rules card's ledger: a past frame must show the rules as they stood then
            if (s.Rules.Latest(rule) is { } applied) t.Append($"rule {rule} {applied.Time.Ticks} {applied.Node} {applied.Cause}\n");
        t.Append($"last rule {s.Rules.Last?.Rule}\n");
        return t.ToString();
    }

    /// <summary>
    /// What the frame does not show yet: the cluster's configuration and, per server, its membership,
    /// the configuration it follows, its log's base and the snapshot on its disk (state and sessions).
    /// </summary>
    public static string Membership(Cluster cluster)
    {
        var t = new StringBuilder($"configuration {cluster.Configuration} servers {cluster.Nodes.Count}\n");
        foreach (var n in cluster.Nodes)
        {
            t.Append($"{n.Id} {n.Membership} follows [{n.Config}] base {n.SnapshotIndex} last {n.LastLogIndex} ");
            if (n.Snapshot is { } s)
                t.Append($"snapshot {s.LastIndex}/{s.LastTerm} [{s.Config}] kv={{{string.Join(",", s.State.Data.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}}} " +
                    $"sessions={{{string.Join(",", s.State.Sessions.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value.Seq}={p.Value.Result}"))}}}");
            t.Append('\n');
        }
        return t.ToString();
    }

    /// <summary>Every client operation with its attempts, answer and completion time.</summary>
    public static string Clients(Cluster cluster) => string.Join("\n", cluster.History.Select(op =>
        $"{op} {op.CompletedAt?.Ticks} {string.Join(",", op.Attempts.Select(a => $"{a.Number}:{a.To}@{a.SentAt.Ticks}:{a.Why}"))}"));

    private static string Sorted(IReadOnlyDictionary<NodeId, long> d) =>
        string.Join(",", d.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}"));
}
