using RaftVisualizer.Core.Clients;

namespace RaftVisualizer.Core.Raft;

/// <summary>
/// What a node asks of its surroundings. The node never sends, sleeps or reads a clock itself:
/// it queues these requests and the simulation carries them out.
/// </summary>
internal interface INodeHost
{
    void Send(RaftMessage message);
    void SetElectionTimer(NodeId node, TimeSpan? deadline);
    void SetHeartbeatTimer(NodeId node, TimeSpan? at);
    void Reply(ClientReply reply);
    void Emit(ClusterEvent e);
}
