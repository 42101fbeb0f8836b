using RaftVisualizer.Core.Kv;

namespace RaftVisualizer.Core.Clients;

/// <summary>A client's request as it reaches a server (clients sit outside the simulated network). A value: it is made on arrival.</summary>
public readonly record struct ClientRequest(long OperationId, int Attempt, ClientSession Session, KvCommand Command);

/// <summary>A server's answer: a result, or "not the leader" with a hint of who is.</summary>
public sealed record ClientReply(long OperationId, int Attempt, NodeId From, KvResult? Result, NodeId? LeaderHint, string? Why)
{
    public bool IsRedirect => Result is null;
}
