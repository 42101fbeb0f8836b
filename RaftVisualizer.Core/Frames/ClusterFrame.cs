namespace RaftVisualizer.Core;

/// <summary>One server frozen at a moment: safe to read from any thread, to render, or to send.</summary>
public sealed record NodeFrame(
    NodeId Id, bool IsUp, NodeRole Role, long Term, NodeId? VotedFor,
    IReadOnlyList<LogEntry> Log, long CommitIndex, long LastApplied,
    IReadOnlyDictionary<string, string> Kv, NodeId? KnownLeader, TimeSpan? ElectionDeadline,
    IReadOnlyList<NodeId> VotesReceived,
    IReadOnlyDictionary<NodeId, long> NextIndex, IReadOnlyDictionary<NodeId, long> MatchIndex);

/// <summary>The whole cluster frozen at one simulated time: what the page draws and the hub sends.</summary>
public sealed record ClusterFrame(
    TimeSpan Now, long Steps, ClusterOptions Options, NodeId? Leader,
    IReadOnlyList<NodeFrame> Nodes, IReadOnlyList<InFlightMessage> Messages,
    IReadOnlyList<IReadOnlyList<NodeId>> Groups, IReadOnlyList<(NodeId From, NodeId To)> Cuts,
    TimeSpan MinLatency, TimeSpan MaxLatency, double LossRate,
    IReadOnlyList<SafetyViolation> Violations)
{
    public NodeFrame? Node(NodeId id) => Nodes.FirstOrDefault(n => n.Id == id);

    /// <summary>Every directed link with settings of its own (latency, loss), ordered by link.</summary>
    public IReadOnlyList<LinkSettings> Links { get; init; } = [];
}

public sealed partial class Cluster
{
    /// <summary>Copies the current state into an immutable frame (what views read; a timeline can rebuild any past one).</summary>
    public ClusterFrame Frame() => new(
        Now, Steps, Options, Leader,
        Nodes.Select(n => new NodeFrame(n.Id, n.IsUp, n.Role, n.Term, n.VotedFor, n.Log.ToArray(), n.CommitIndex,
            n.LastApplied, new Dictionary<string, string>(n.Kv), n.KnownLeader, n.ElectionDeadline,
            n.VotesReceived.OrderBy(v => v).ToArray(), new Dictionary<NodeId, long>(n.NextIndex), new Dictionary<NodeId, long>(n.MatchIndex))).ToArray(),
        InFlightNow(), Network.Groups, Network.Cuts.OrderBy(c => c.From).ThenBy(c => c.To).ToArray(),
        Network.MinLatency, Network.MaxLatency, Network.LossRate, Safety.Violations.ToArray())
    {
        Links = Network.LinkSettings,
    };
}
