using RaftVisualizer.Core;

namespace RaftVisualizer.Api;

/// <summary>
/// The answer to a KV request that went through Raft: the value (for a get), which node served it,
/// the simulated latency from submit to committed answer, and how many servers the client tried.
/// </summary>
public sealed record KvResponse(string Key, string? Value, string Result, string? ServedBy, double LatencyMs, int Attempts, long Operation);

/// <summary>
/// One server as <c>GET /api/cluster</c> shows it. Log entries read "index:tTerm command", e.g. "3:t2 put x=1".
/// LogLength counts the entries the server holds; LastLogIndex is the index of its newest one (0 for an empty log).
/// </summary>
/// <remarks>
/// LogLength counts the entries the log holds (those after the snapshot); LastLogIndex counts the
/// compacted ones too. Membership is Voter, Learner or Removed; SnapshotIndex is 0 until the server compacts.
/// </remarks>
public sealed record NodeStatus(
    string Id, bool Up, string Role, long Term, string? VotedFor, long CommitIndex, long LastApplied,
    long LogLength, long LastLogIndex, IReadOnlyList<string> Log, int LogOmitted, IReadOnlyDictionary<string, string> Kv)
{
    public string Membership { get; init; } = "Voter";
    public long SnapshotIndex { get; init; }
}

public sealed record NetworkStatus(bool Partitioned, IReadOnlyList<IReadOnlyList<string>> Groups, IReadOnlyList<string> Cuts);

/// <summary>The whole default cluster: <c>GET /api/cluster</c>.</summary>
public sealed record ClusterStatus(string? Leader, long Term, double NowMs, double Speed, IReadOnlyList<NodeStatus> Nodes, NetworkStatus Network);

/// <summary>What a crash, restart, partition or heal did, and who leads right after.</summary>
public sealed record ActionResponse(string Message, string? Leader);

/// <summary>The body of <c>POST /api/network/partition</c>: <c>{"groups":[[1,2],[3,4,5]]}</c>.</summary>
public sealed record PartitionRequest(int[][]? Groups);
