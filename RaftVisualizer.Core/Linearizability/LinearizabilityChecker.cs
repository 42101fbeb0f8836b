using System.Globalization;

namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Checks key/value client histories for linearizability, Porcupine-style: the history is split by
/// key and each key is searched independently; the first key with no valid order is reported with
/// a shrunken counterexample and a plain-English explanation.
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>Upper bound on the time spent shrinking a counterexample.</summary>
    private static readonly TimeSpan ShrinkLimit = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Without a time budget the shrink is bounded by a count of search checks instead of a second of
    /// wall time, so the counterexample is the same on an idle laptop and a loaded CI box.
    /// </summary>
    private const long ShrinkChecks = 2_000;

    /// <summary>Search steps given to one key before moving on to the next.</summary>
    private const long StepsPerSlice = 2048;

    /// <param name="history">The operations; timed-out reads (Get with null Return) are ignored.</param>
    /// <param name="budget">Optional time budget; when it runs out the verdict is Unknown.</param>
    public static LinearizabilityResult Check(IReadOnlyList<KvHistoryOp> history, TimeSpan? budget = null) =>
        Check(history, budget, HistoryCut.None);

    /// <summary>
    /// Checks the operations kept after <paramref name="cut"/>, starting each key from the values
    /// the dropped operations could have left it in, with the operations still pending at the cut.
    /// </summary>
    /// <param name="history">The kept operations, each called at or after the cut's time.</param>
    /// <param name="budget">Optional time budget; when it runs out the verdict is Unknown.</param>
    /// <param name="cut">What the dropped operations left behind (<see cref="HistoryCut.None"/> if nothing was dropped).</param>
    public static LinearizabilityResult Check(IReadOnlyList<KvHistoryOp> history, TimeSpan? budget, HistoryCut cut)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(cut);
        SearchDeadline deadline = SearchDeadline.Start(budget);
        if (cut.FailedKey is { } failedKey)
        {
            return Violation(failedKey, cut.Keys[failedKey].Failure!, deadline);
        }

        var kept = KeyPartitioner.Split(history);
        var byKey = kept.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        var keys = kept.Select(k => k.Key)
            .Concat(cut.Keys.Where(k => !k.Value.IsFresh && !byKey.ContainsKey(k.Key)).Select(k => k.Key).Order(StringComparer.Ordinal))
            .Where(key => cut.Keys.GetValueOrDefault(key)?.UncheckedBecause is null)
            .ToList();
        int operations = kept.Sum(key => key.Value.Count);

        // Each key is searched once per way the dropped operations could have left it; it is
        // linearizable if any of them is, and a violation if all of them are.
        var variants = keys.Select(key => Variants(key, byKey.GetValueOrDefault(key) ?? [], cut.Keys.GetValueOrDefault(key))).ToList();
        var searches = variants.Select(v => v.Select(ops => new KeyHistorySearch(ops)).ToList()).ToList();
        var failed = variants.Select(v => new bool[v.Count]).ToList();
        var undecided = Enumerable.Range(0, keys.Count).ToList();

        // Like Porcupine's one-goroutine-per-key, but in slices on one thread: a key that fails
        // quickly is found even when another key's search is long or hopeless.
        while (undecided.Count > 0 && !deadline.IsExpired)
        {
            for (int i = 0; i < undecided.Count; i++)
            {
                int key = undecided[i];
                bool decided = false;
                for (int v = 0; v < searches[key].Count && !decided; v++)
                {
                    if (failed[key][v])
                    {
                        continue;
                    }

                    switch (searches[key][v].Advance(StepsPerSlice))
                    {
                        case SearchOutcome.NotLinearizable:
                            failed[key][v] = true;
                            if (failed[key].All(f => f))
                            {
                                int worst = Enumerable.Range(0, searches[key].Count).MaxBy(x => searches[key][x].Frontier);
                                return Violation(keys[key], variants[key][worst], searches[key][worst].Frontier, deadline);
                            }

                            break;
                        case SearchOutcome.Linearizable:
                            decided = true;
                            break;
                    }
                }

                if (decided)
                {
                    undecided.RemoveAt(i--);
                }
            }
        }

        if (undecided.Count > 0)
        {
            return new LinearizabilityResult(
                LinearizabilityVerdict.Unknown,
                null,
                [],
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The time budget of {budget?.TotalSeconds:0.###} s ran out with {undecided.Count} of {keys.Count} keys undecided; no violation was found so far."));
        }

        return new LinearizabilityResult(
            LinearizabilityVerdict.Linearizable,
            null,
            [],
            $"All {operations} operations on {keys.Count} keys can be ordered consistently with real time and the values read." + Dropped(cut));
    }

    private static List<IReadOnlyList<KvHistoryOp>> Variants(string key, IReadOnlyList<KvHistoryOp> ops, KeyCut? cut) =>
        cut is null || cut.IsFresh
            ? [ops]
            : cut.Starts.Select(start => (IReadOnlyList<KvHistoryOp>)HistoryCut.Variant(key, start, cut.Carried.Concat(ops), op => op)).ToList();

    /// <summary>What the verdict says about the operations dropped behind the cut.</summary>
    private static string Dropped(HistoryCut cut)
    {
        if (cut.DroppedOperations == 0)
        {
            return "";
        }

        string text = string.Create(CultureInfo.InvariantCulture,
            $" The {cut.DroppedOperations} older operations were checked as they were dropped, and each key starts from the values they could have left.");
        return cut.UncheckedKeys.Count == 0
            ? text
            : text + " Not checked any more: " + string.Join("; ", cut.UncheckedKeys.Select(k => $"key \"{k.Key}\" ({k.Value})")) + ".";
    }

    private static LinearizabilityResult Violation(string key, IReadOnlyList<KvHistoryOp> ops, SearchDeadline deadline)
    {
        var search = new KeyHistorySearch(ops);
        while (search.Advance(StepsPerSlice) is null && !deadline.IsExpired)
        {
        }

        return Violation(key, ops, search.Frontier, deadline);
    }

    private static LinearizabilityResult Violation(string key, IReadOnlyList<KvHistoryOp> ops, long frontier, SearchDeadline deadline)
    {
        IReadOnlyList<KvHistoryOp> counterexample = CounterexampleShrinker.Shrink(ops, frontier,
            deadline.Remaining is null ? SearchDeadline.Checks(ShrinkChecks) : deadline.Within(ShrinkLimit))
            .OrderBy(op => op.Call)
            .ThenBy(op => op.Id)
            .ToList();
        return new LinearizabilityResult(
            LinearizabilityVerdict.NotLinearizable,
            key,
            counterexample,
            ViolationExplainer.Explain(key, counterexample, ops));
    }
}
