namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Generates histories of a correct (linearizable) key/value store: clients issue overlapping
/// operations, each of which takes effect atomically at a random instant strictly inside its
/// interval. Deterministic for a given seed. Values are unique per operation ("p17;" for puts,
/// "a17;" for appends), so every read result identifies the writes it saw.
/// </summary>
public static class SimulatedKvHistoryGenerator
{
    /// <param name="operations">Total number of operations.</param>
    /// <param name="clients">Number of concurrent clients.</param>
    /// <param name="keys">Number of distinct keys ("k0", "k1", ...).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="timedOutFraction">
    /// Fraction of operations whose reply is lost (Return = null). A timed-out write takes effect or
    /// not at random; a timed-out read returns garbage (checkers must ignore it).
    /// </param>
    public static IReadOnlyList<KvHistoryOp> Generate(int operations, int clients, int keys, int seed, double timedOutFraction = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keys, 1);

        var random = new Random(seed);
        var idleFrom = new PriorityQueue<int, (long Time, int Client)>();
        for (int client = 0; client < clients; client++)
        {
            idleFrom.Enqueue(client, (random.Next(0, 4), client));
        }

        var ops = new List<KvHistoryOp>(operations);
        var takesEffectAt = new List<long?>(operations);
        for (int id = 0; id < operations; id++)
        {
            idleFrom.TryDequeue(out int client, out var idle);
            long call = idle.Time;
            long effect = call + 1 + random.Next(0, 8);
            long reply = effect + 1 + random.Next(0, 8);
            bool timedOut = random.NextDouble() < timedOutFraction;
            KvOpKind kind = PickKind(random.Next(100));
            string key = "k" + random.Next(keys);
            string? input = kind switch
            {
                KvOpKind.Put => $"p{id};",
                KvOpKind.Append => $"a{id};",
                _ => null,
            };
            string? garbage = kind == KvOpKind.Get && timedOut ? $"lost{id};" : null;
            ops.Add(new KvHistoryOp(id, client, kind, key, input, garbage, call, timedOut ? null : reply));
            takesEffectAt.Add(timedOut && (kind == KvOpKind.Get || random.Next(2) == 0) ? null : effect);
            idleFrom.Enqueue(client, (reply + 1 + random.Next(0, 4), client));
        }

        return FillInReads(ops, takesEffectAt);
    }

    private static KvOpKind PickKind(int percent) => percent switch
    {
        < 50 => KvOpKind.Get,
        < 75 => KvOpKind.Put,
        < 95 => KvOpKind.Append,
        _ => KvOpKind.Delete,
    };

    /// <summary>Applies the operations in effect order to a dictionary and records what each completed read saw.</summary>
    private static List<KvHistoryOp> FillInReads(List<KvHistoryOp> ops, List<long?> takesEffectAt)
    {
        var store = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<KvHistoryOp>(ops);
        IEnumerable<int> effectOrder = Enumerable.Range(0, ops.Count)
            .Where(i => takesEffectAt[i].HasValue)
            .OrderBy(i => takesEffectAt[i])
            .ThenBy(i => i);
        foreach (int i in effectOrder)
        {
            KvHistoryOp op = ops[i];
            switch (op.Kind)
            {
                case KvOpKind.Get:
                    result[i] = op with { Output = store.GetValueOrDefault(op.Key) };
                    break;
                case KvOpKind.Put:
                    store[op.Key] = op.Input!;
                    break;
                case KvOpKind.Append:
                    store[op.Key] = store.GetValueOrDefault(op.Key, "") + op.Input;
                    break;
                case KvOpKind.Delete:
                    store.Remove(op.Key);
                    break;
            }
        }

        return result;
    }
}
