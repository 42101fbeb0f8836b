using System.Collections;

namespace RaftVisualizer.Core.Events;

/// <summary>
/// A set of servers as one value (a bit per node number), so a cause that names voters or holders
/// compares and prints by value: "S1, S2, S4".
/// </summary>
public readonly record struct ServerSet(ulong Bits) : IEnumerable<NodeId>
{
    public static ServerSet Of(IEnumerable<NodeId> nodes)
    {
        ulong bits = 0;
        foreach (var n in nodes) bits |= 1UL << n.Value;
        return new ServerSet(bits);
    }

    public int Count => System.Numerics.BitOperations.PopCount(Bits);

    public bool Contains(NodeId node) => node.Value is >= 0 and < 64 && (Bits & (1UL << node.Value)) != 0;

    public IEnumerator<NodeId> GetEnumerator()
    {
        for (var i = 0; i < 64; i++)
            if ((Bits & (1UL << i)) != 0) yield return new NodeId(i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", this);
}
