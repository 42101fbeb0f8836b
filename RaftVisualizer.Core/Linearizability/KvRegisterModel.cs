namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// The sequential specification of one key, over hash-consed string states. The empty string
/// also stands for "absent": a Get compares absent and "" as equal, and Append onto an absent key
/// behaves exactly like Append onto "".
/// </summary>
internal sealed class KvRegisterModel
{
    public const int EmptyState = StringStateTable.Empty;

    private readonly StringStateTable _strings = new();
    private readonly Dictionary<long, int> _appendResults = [];
    private readonly KvOpKind[] _kinds;
    private readonly int[] _arguments;

    public KvRegisterModel(IReadOnlyList<KvHistoryOp> ops)
    {
        _kinds = new KvOpKind[ops.Count];
        _arguments = new int[ops.Count];
        for (int i = 0; i < ops.Count; i++)
        {
            KvHistoryOp op = ops[i];
            _kinds[i] = op.Kind;
            _arguments[i] = op.Kind switch
            {
                KvOpKind.Get => _strings.Intern(op.Output ?? ""),
                KvOpKind.Put or KvOpKind.Append => _strings.Intern(op.Input ?? ""),
                _ => EmptyState,
            };
        }
    }

    /// <summary>The value a state stands for ("" for absent).</summary>
    public string Text(int state) => _strings.ToText(state);

    /// <summary>
    /// Applies operation <paramref name="op"/> in state <paramref name="state"/>. Returns false when
    /// the operation's recorded output is impossible in that state.
    /// </summary>
    public bool TryStep(int state, int op, out int next)
    {
        switch (_kinds[op])
        {
            case KvOpKind.Get:
                next = state;
                return state == _arguments[op];
            case KvOpKind.Put:
                next = _arguments[op];
                return true;
            case KvOpKind.Append:
                next = Append(state, _arguments[op]);
                return true;
            default:
                next = EmptyState;
                return true;
        }
    }

    private int Append(int state, int suffix)
    {
        long memoKey = ((long)state << 32) | (uint)suffix;
        if (!_appendResults.TryGetValue(memoKey, out int result))
        {
            result = _strings.Concat(state, suffix);
            _appendResults[memoKey] = result;
        }

        return result;
    }
}
