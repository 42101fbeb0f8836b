namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Splits a history into one sub-history per key (a key/value store is linearizable iff each key
/// is, so keys can be checked independently), dropping timed-out reads: a read that never
/// answered constrains nothing.
/// </summary>
internal static class KeyPartitioner
{
    /// <summary>Per-key histories, keys in order of first appearance.</summary>
    public static IReadOnlyList<KeyValuePair<string, IReadOnlyList<KvHistoryOp>>> Split(IReadOnlyList<KvHistoryOp> history)
    {
        var byKey = new Dictionary<string, List<KvHistoryOp>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (KvHistoryOp op in history)
        {
            ArgumentNullException.ThrowIfNull(op);
            if (op.Return is { } returned && returned < op.Call)
            {
                throw new ArgumentException($"Operation {op.Id} returns (t={returned}) before it is called (t={op.Call}).", nameof(history));
            }

            if (op.Kind == KvOpKind.Get && op.Return is null)
            {
                continue;
            }

            if (!byKey.TryGetValue(op.Key, out List<KvHistoryOp>? ops))
            {
                ops = [];
                byKey[op.Key] = ops;
                order.Add(op.Key);
            }

            ops.Add(op);
        }

        return order
            .Select(key => new KeyValuePair<string, IReadOnlyList<KvHistoryOp>>(key, byKey[key]))
            .ToList();
    }
}
