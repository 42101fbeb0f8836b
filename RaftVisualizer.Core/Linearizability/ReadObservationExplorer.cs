namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// For a small single-key history (at most 64 operations) and one of its reads, finds every value
/// the key can hold at the moment that read takes effect, over all orders of the operations that
/// respect real time and every other read's result. Used to explain a violation concretely.
/// </summary>
internal sealed class ReadObservationExplorer
{
    public const int MaxOperations = 64;
    private const int MaxConfigurations = 200_000;

    private readonly IReadOnlyList<KvHistoryOp> _ops;
    private readonly ulong[] _mustFollow;
    private readonly int _read;
    private readonly ulong _all;
    private readonly Dictionary<(ulong Done, string State), bool> _completes = [];
    private readonly HashSet<string> _observed = new(StringComparer.Ordinal);
    private bool _gaveUp;

    private ReadObservationExplorer(IReadOnlyList<KvHistoryOp> ops, int read)
    {
        _ops = ops;
        _read = read;
        _all = ops.Count == 64 ? ulong.MaxValue : (1UL << ops.Count) - 1;
        _mustFollow = new ulong[ops.Count];
        for (int later = 0; later < ops.Count; later++)
        {
            for (int earlier = 0; earlier < ops.Count; earlier++)
            {
                if (ops[earlier].Return is { } returned && returned < ops[later].Call)
                {
                    _mustFollow[later] |= 1UL << earlier;
                }
            }
        }
    }

    /// <summary>
    /// The values ("" standing for absent) the key may hold when <paramref name="read"/> is
    /// linearized, ignoring what that read returned; null if the history is too large to explore.
    /// </summary>
    public static IReadOnlySet<string>? ValuesVisibleTo(IReadOnlyList<KvHistoryOp> ops, KvHistoryOp read)
    {
        int index = -1;
        for (int i = 0; i < ops.Count; i++)
        {
            if (ReferenceEquals(ops[i], read))
            {
                index = i;
            }
        }

        if (ops.Count > MaxOperations || index < 0)
        {
            return null;
        }

        var explorer = new ReadObservationExplorer(ops, index);
        explorer.Completes(0, "");
        return explorer._gaveUp ? null : explorer._observed;
    }

    private bool Completes(ulong done, string state)
    {
        if (done == _all)
        {
            return true;
        }

        if (_gaveUp)
        {
            return false;
        }

        if (_completes.TryGetValue((done, state), out bool known))
        {
            return known;
        }

        if (_completes.Count >= MaxConfigurations)
        {
            _gaveUp = true;
            return false;
        }

        bool any = false;
        for (int op = 0; op < _ops.Count; op++)
        {
            ulong bit = 1UL << op;
            if ((done & bit) != 0 || (_mustFollow[op] & ~done) != 0)
            {
                continue;
            }

            if (op == _read)
            {
                if (Completes(done | bit, state))
                {
                    _observed.Add(state);
                    any = true;
                }
            }
            else if (TryApply(_ops[op], state, out string next) && Completes(done | bit, next))
            {
                any = true;
            }
        }

        _completes[(done, state)] = any;
        return any;
    }

    private static bool TryApply(KvHistoryOp op, string state, out string next)
    {
        next = op.Kind switch
        {
            KvOpKind.Put => op.Input ?? "",
            KvOpKind.Append => state + (op.Input ?? ""),
            KvOpKind.Delete => "",
            _ => state,
        };
        return op.Kind != KvOpKind.Get || string.Equals(state, op.Output ?? "", StringComparison.Ordinal);
    }
}
