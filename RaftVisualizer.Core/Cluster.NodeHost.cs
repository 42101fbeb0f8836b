using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core;

public sealed partial class Cluster
{
    /// <summary>Carries out one node's requests: sends, timers, client replies and events.</summary>
    private sealed class NodeHost(Cluster cluster, NodeSlot slot) : INodeHost
    {
        public void Send(RaftMessage message) => cluster.Send(message);

        public void SetElectionTimer(NodeId node, TimeSpan? deadline)
        {
            slot.ElectionDeadline = deadline;
            if (deadline is not { } at || slot.ElectionQueuedAt is { } queued && queued <= at) return;
            cluster.QueueElectionTimer(slot, at);
        }

        public void SetHeartbeatTimer(NodeId node, TimeSpan? at)
        {
            slot.HeartbeatGeneration++;
            if (at is { } time)
                cluster._queue.Schedule(time, new SimEvent(SimEventKind.HeartbeatTimer, node, slot.HeartbeatGeneration, null));
        }

        public void Reply(ClientReply reply) => cluster.SendClientReply(reply);

        public void Emit(ClusterEvent e) => cluster.Emit(e);
    }
}
