namespace RaftVisualizer.Core;

/// <summary>A server's identity. Servers are numbered from 1 and print as S1, S2, ...</summary>
public readonly record struct NodeId(int Value) : IComparable<NodeId>
{
    public static implicit operator NodeId(int value) => new(value);

    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    public override string ToString() => $"S{Value}";
}
