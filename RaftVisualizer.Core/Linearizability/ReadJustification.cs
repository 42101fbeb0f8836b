namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// How well the writes of a history account for one read on its own, ignoring the other reads,
/// from weakest to strongest: <see cref="AnyOrder"/> if some order of the writes (ignoring real
/// time) produces the value read, <see cref="SomeTime"/> if a real-time-respecting order of the
/// writes produces it at some moment (ignoring only the read's own timing), <see cref="InRealTime"/>
/// if the read is linearizable among the writes. Used while shrinking a counterexample so that
/// dropping writes never creates a new, unrelated violation.
/// </summary>
internal enum ReadJustification
{
    Never,
    AnyOrder,
    SomeTime,
    InRealTime,
}

internal static class ReadJustifications
{
    /// <summary>Searches that ignore real time can be exponential; past this many steps they count as failed.</summary>
    private const long MaxSteps = 50_000;

    public static ReadJustification Of(KvHistoryOp read, IReadOnlyList<KvHistoryOp> ops, SearchDeadline deadline)
    {
        for (ReadJustification level = ReadJustification.InRealTime; level > ReadJustification.Never; level--)
        {
            if (IsAtLeast(read, ops, level, deadline))
            {
                return level;
            }
        }

        return ReadJustification.Never;
    }

    /// <summary>Whether the read is justified at least at <paramref name="level"/>; false if that cannot be shown in time.</summary>
    public static bool IsAtLeast(KvHistoryOp read, IReadOnlyList<KvHistoryOp> ops, ReadJustification level, SearchDeadline deadline)
    {
        if (level == ReadJustification.Never)
        {
            return true;
        }

        var history = new List<KvHistoryOp>();
        foreach (KvHistoryOp op in ops)
        {
            if (op.Kind != KvOpKind.Get)
            {
                history.Add(level == ReadJustification.AnyOrder ? Timeless(op) : op);
            }
        }

        history.Add(level == ReadJustification.InRealTime ? read : Timeless(read));
        return KeyHistorySearch.Run(history, deadline, MaxSteps) == SearchOutcome.Linearizable;
    }

    private static KvHistoryOp Timeless(KvHistoryOp op) => op with { Call = long.MinValue, Return = long.MaxValue };
}
