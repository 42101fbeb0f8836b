namespace RaftVisualizer.Core.Clients;

/// <summary>A small set of node ids as a bit mask (a cluster has at most 9 nodes), so it costs no allocation.</summary>
internal struct NodeSet
{
    private ulong _bits;

    public readonly bool Contains(NodeId node) => (_bits & Bit(node)) != 0;
    public void Add(NodeId node) => _bits |= Bit(node);
    public void Remove(NodeId node) => _bits &= ~Bit(node);
    public void Clear() => _bits = 0;

    private static ulong Bit(NodeId node) => 1UL << (node.Value & 63);
}
