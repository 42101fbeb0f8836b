namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Hash-consed strings: each distinct string gets one integer id, so states compare in O(1).
/// Strings built by appending are stored as (prefix id, suffix id) nodes and hashed with a
/// polynomial hash that composes under concatenation, so an append costs O(1) rather than copying
/// the whole (possibly long) string. Ids are exact: on a hash match the contents are compared.
/// </summary>
internal sealed class StringStateTable
{
    public const int Empty = 0;

    private const ulong Modulus = (1UL << 61) - 1;
    private const ulong Base = 1_000_003;

    private readonly List<Node> _nodes = [];
    private readonly Dictionary<(ulong Hash, int Length), int> _firstWithKey = [];

    public StringStateTable() => Intern("");

    /// <summary>The id of a literal string.</summary>
    public int Intern(string text)
    {
        ulong hash = 0;
        foreach (char c in text)
        {
            hash = Add(MultiplyMod(hash, Base), c);
        }

        (ulong, int) key = (hash, text.Length);
        for (int id = _firstWithKey.GetValueOrDefault(key, -1); id >= 0; id = _nodes[id].NextWithSameKey)
        {
            if (string.Equals(ToText(id), text, StringComparison.Ordinal))
            {
                return id;
            }
        }

        ulong power = 1;
        for (int i = 0; i < text.Length; i++)
        {
            power = MultiplyMod(power, Base);
        }

        return Add(key, text, -1, -1, power);
    }

    /// <summary>The id of <c>text(prefix) + text(suffix)</c>.</summary>
    public int Concat(int prefix, int suffix)
    {
        if (suffix == Empty)
        {
            return prefix;
        }

        if (prefix == Empty)
        {
            return suffix;
        }

        Node head = _nodes[prefix];
        Node tail = _nodes[suffix];
        ulong hash = Add(MultiplyMod(head.Hash, tail.Power), tail.Hash);
        (ulong, int) key = (hash, head.Length + tail.Length);
        string? text = null;
        for (int id = _firstWithKey.GetValueOrDefault(key, -1); id >= 0; id = _nodes[id].NextWithSameKey)
        {
            text ??= string.Concat(ToText(prefix), ToText(suffix));
            if (string.Equals(ToText(id), text, StringComparison.Ordinal))
            {
                return id;
            }
        }

        return Add(key, null, prefix, suffix, MultiplyMod(head.Power, tail.Power));
    }

    /// <summary>The string an id stands for.</summary>
    public string ToText(int id)
    {
        if (_nodes[id].LeafText is { } leaf)
        {
            return leaf;
        }

        var pieces = new Stack<string>();
        for (Node node = _nodes[id]; ; node = _nodes[node.Prefix])
        {
            if (node.LeafText is { } start)
            {
                pieces.Push(start);
                break;
            }

            pieces.Push(ToText(node.Suffix));
        }

        return string.Concat(pieces);
    }

    private int Add((ulong Hash, int Length) key, string? leafText, int prefix, int suffix, ulong power)
    {
        int id = _nodes.Count;
        _nodes.Add(new Node(leafText, prefix, suffix, key.Hash, power, key.Length, _firstWithKey.GetValueOrDefault(key, -1)));
        _firstWithKey[key] = id;
        return id;
    }

    private static ulong Add(ulong a, ulong b)
    {
        ulong sum = a + b;
        return sum >= Modulus ? sum - Modulus : sum;
    }

    private static ulong MultiplyMod(ulong a, ulong b)
    {
        UInt128 product = (UInt128)a * b;
        ulong result = (ulong)(product & Modulus) + (ulong)(product >> 61);
        while (result >= Modulus)
        {
            result -= Modulus;
        }

        return result;
    }

    /// <summary>
    /// A leaf holding literal text, or the concatenation of two earlier nodes; with its hash,
    /// Base^length (to extend the hash), length, and the next node with the same hash and length.
    /// </summary>
    private readonly record struct Node(string? LeafText, int Prefix, int Suffix, ulong Hash, ulong Power, int Length, int NextWithSameKey);
}
