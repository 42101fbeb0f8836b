namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Shrinks a non-linearizable single-key history to a small failing subset: first the earliest
/// failing cut in time (for long histories, a recent window of it), then removal of ever smaller
/// chunks of reads, then of writes, then of reads again, while the rest still fails. Writes are only removed if every remaining read stays as well
/// justified by the remaining writes as it was (see <see cref="ReadJustification"/>), so the result
/// never blames a read merely because a write it depended on was dropped. Every subset it returns
/// has been re-checked and fails; when time runs out it returns the smallest failing subset found.
/// </summary>
internal static class CounterexampleShrinker
{
    /// <summary>Histories up to this size are shrunk directly, without first cutting out a recent window.</summary>
    private const int SmallHistory = 200;

    /// <param name="failing">A non-linearizable single-key history.</param>
    /// <param name="frontier">
    /// A time before which every cut is known to be linearizable (see <see cref="KeyHistorySearch.Frontier"/>).
    /// </param>
    /// <param name="deadline">When to stop and return the smallest failing subset found so far.</param>
    public static IReadOnlyList<KvHistoryOp> Shrink(IReadOnlyList<KvHistoryOp> failing, long frontier, SearchDeadline deadline)
    {
        List<KvHistoryOp> current = RecentWindow(EarliestFailingCut(failing, frontier), frontier, deadline);

        // Dropping reads cannot make any other read harder to justify, so reads go first and cheaply.
        current = DropChunks(current, IsRead, candidate => Fails(candidate, deadline), deadline);
        if (deadline.IsExpired)
        {
            return current;
        }

        var justification = new Dictionary<KvHistoryOp, ReadJustification>(ReferenceEqualityComparer.Instance);
        foreach (KvHistoryOp read in current.Where(IsRead))
        {
            justification[read] = ReadJustifications.Of(read, current, deadline);
        }

        current = DropChunks(
            current,
            op => !IsRead(op) && op.ClientId != HistoryCut.CarriedClientId, // the state left by dropped operations stays
            candidate => Fails(candidate, deadline)
                && candidate.All(op => !IsRead(op) || ReadJustifications.IsAtLeast(op, candidate, justification[op], deadline)),
            deadline);
        return DropChunks(current, IsRead, candidate => Fails(candidate, deadline), deadline);
    }

    /// <summary>
    /// Whether an operation belongs to the history as seen at time <paramref name="cut"/>:
    /// operations that returned by then, plus writes already called (which may or may not have
    /// taken effect yet).
    /// </summary>
    private static bool IsSeenBy(KvHistoryOp op, long cut) =>
        op.Return <= cut || (!IsRead(op) && op.Call <= cut);

    /// <summary>
    /// The search that found the violation explored every configuration, so the cut at its
    /// frontier is the earliest failing one: earlier cuts are linearizable, and a linearization of
    /// this cut would have carried the search past the frontier.
    /// </summary>
    private static List<KvHistoryOp> EarliestFailingCut(IReadOnlyList<KvHistoryOp> ops, long frontier)
    {
        // Give back the original operations: their real return times only add constraints,
        // so the subset still fails and reads naturally.
        List<KvHistoryOp> cut = ops.Where(op => IsSeenBy(op, frontier)).ToList();
        return cut.Count > 0 && frontier != long.MaxValue ? cut : [.. ops];
    }

    /// <summary>
    /// For long histories, where every re-check of the cut is expensive: the operations that
    /// started shortly before the operation blocking the frontier, plus the writes its value may
    /// have come from, widening the window until it fails on its own. Reads whose values come from writes before the window are left out, and
    /// the blocking read must stay as well justified as before, so the window fails for the same
    /// reason as the cut.
    /// </summary>
    private static List<KvHistoryOp> RecentWindow(List<KvHistoryOp> cut, long frontier, SearchDeadline deadline)
    {
        if (cut.Count <= SmallHistory)
        {
            return cut;
        }

        // Of the operations returning at the frontier, blame the read least justified by the writes.
        (KvHistoryOp Op, ReadJustification Level)? worst = cut
            .Where(op => op.Return == frontier)
            .Select(op => (Op: op, Level: IsRead(op) ? ReadJustifications.Of(op, cut, deadline) : ReadJustification.InRealTime + 1))
            .OrderBy(candidate => candidate.Level)
            .FirstOrDefault();
        if (worst is not (KvHistoryOp blocking, ReadJustification level))
        {
            return cut;
        }

        for (long width = Math.Max(1, frontier - blocking.Call); !deadline.IsExpired; width *= 2)
        {
            long start = blocking.Call - width;
            List<KvHistoryOp> window = cut.Where(op => op.Call >= start || IsPossibleSource(op, blocking) || op.ClientId == HistoryCut.CarriedClientId).ToList();
            if (window.Count * 2 > cut.Count)
            {
                break;
            }

            window = window
                .Where(op => !IsRead(op) || ReferenceEquals(op, blocking)
                    || ReadJustifications.IsAtLeast(op, window, ReadJustification.SomeTime, deadline))
                .ToList();
            if (Fails(window, deadline) && ReadJustifications.IsAtLeast(blocking, window, level, deadline))
            {
                return window;
            }
        }

        return cut;
    }

    /// <summary>
    /// Removes chunks of the operations selected by <paramref name="removable"/>, halving the chunk
    /// size down to single operations, keeping each removal that <paramref name="stillFails"/> accepts.
    /// </summary>
    private static List<KvHistoryOp> DropChunks(
        List<KvHistoryOp> ops,
        Func<KvHistoryOp, bool> removable,
        Func<List<KvHistoryOp>, bool> stillFails,
        SearchDeadline deadline)
    {
        for (int chunk = Math.Max(1, ops.Count(removable) / 2); chunk >= 1; chunk /= 2)
        {
            List<KvHistoryOp> candidates = ops.Where(removable).ToList();
            for (int start = 0; start < candidates.Count && !deadline.IsExpired; start += chunk)
            {
                var dropped = candidates.Skip(start).Take(chunk).ToHashSet(ReferenceEqualityComparer.Instance);
                List<KvHistoryOp> candidate = ops.Where(op => !dropped.Contains(op)).ToList();
                if (stillFails(candidate))
                {
                    ops = candidate;
                }
            }
        }

        return ops;
    }

    /// <summary>Whether <paramref name="write"/> wrote part of the value <paramref name="read"/> returned.</summary>
    private static bool IsPossibleSource(KvHistoryOp write, KvHistoryOp read) =>
        IsRead(read) && !string.IsNullOrEmpty(write.Input) && read.Output is { } value && write.Kind switch
        {
            KvOpKind.Put => value.StartsWith(write.Input, StringComparison.Ordinal),
            KvOpKind.Append => value.Contains(write.Input, StringComparison.Ordinal),
            _ => false,
        };

    private static bool IsRead(KvHistoryOp op) => op.Kind == KvOpKind.Get;

    private static bool Fails(IReadOnlyList<KvHistoryOp> ops, SearchDeadline deadline) =>
        KeyHistorySearch.Run(ops, deadline) == SearchOutcome.NotLinearizable;
}
