using RaftVisualizer.Core;
using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Tests.Core;

/// <summary>One RaftNode stepped by hand, with everything it asks for written down (etcd-style unit tests).</summary>
internal sealed class NodeUnderTest : INodeHost
{
    public NodeUnderTest(int id, int clusterSize, ClusterOptions? options = null)
    {
        Raft = new RaftNode(id, Configuration.Initial(clusterSize), options ?? new ClusterOptions { NodeCount = clusterSize },
            new DurableState(), new SimRandom(1), this);
        Raft.Start(Now, "test");
    }

    public RaftNode Raft { get; }
    public TimeSpan Now { get; set; }
    public List<RaftMessage> Sent { get; } = new();
    public List<ClusterEvent> Events { get; } = new();
    public List<ClientReply> Replies { get; } = new();

    public void Step(RaftMessage m) => Raft.Step(m, Now);

    void INodeHost.Send(RaftMessage message) => Sent.Add(message);
    void INodeHost.SetElectionTimer(NodeId node, TimeSpan? deadline) { }
    void INodeHost.SetHeartbeatTimer(NodeId node, TimeSpan? at) { }
    void INodeHost.Reply(ClientReply reply) => Replies.Add(reply);
    void INodeHost.Emit(ClusterEvent e) => Events.Add(e);

    /// <summary>Entries 1..n with the given terms (each a put of k).</summary>
    public static LogEntry[] Entries(params long[] terms) =>
        terms.Select((t, i) => new LogEntry(i + 1, t, KvCommand.Put("k", $"{i + 1}"))).ToArray();

    /// <summary>S2 of five holding entries of <paramref name="terms"/> from leader S1, its timer long expired (no vote guard in the way); nothing sent or recorded yet.</summary>
    public static NodeUnderTest FollowerWithLog(params long[] terms)
    {
        var node = new NodeUnderTest(2, 5);
        node.Step(new AppendEntries(1, 2, terms.Max(), 0, 0, Entries(terms), 0));
        node.Now += TimeSpan.FromSeconds(1);
        node.Sent.Clear();
        node.Events.Clear();
        return node;
    }
}
