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

    /// <summary>Search steps given to one key before moving on to the next.</summary>
    private const long StepsPerSlice = 2048;

    /// <param name="history">The operations; timed-out reads (Get with null Return) are ignored.</param>
    /// <param name="budget">Optional time budget; when it runs out the verdict is Unknown.</param>
    public static LinearizabilityResult Check(IReadOnlyList<KvHistoryOp> history, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        SearchDeadline deadline = SearchDeadline.Start(budget);
        var keys = KeyPartitioner.Split(history);
        int operations = keys.Sum(key => key.Value.Count);
        var searches = keys.Select(key => new KeyHistorySearch(key.Value)).ToList();
        var undecided = Enumerable.Range(0, keys.Count).ToList();

        // Like Porcupine's one-goroutine-per-key, but in slices on one thread: a key that fails
        // quickly is found even when another key's search is long or hopeless.
        while (undecided.Count > 0 && !deadline.IsExpired)
        {
            for (int i = 0; i < undecided.Count; i++)
            {
                int key = undecided[i];
                switch (searches[key].Advance(StepsPerSlice))
                {
                    case SearchOutcome.NotLinearizable:
                        return Violation(keys[key].Key, keys[key].Value, searches[key].Frontier, deadline);
                    case SearchOutcome.Linearizable:
                        undecided.RemoveAt(i--);
                        break;
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
            $"All {operations} operations on {keys.Count} keys can be ordered consistently with real time and the values read.");
    }

    private static LinearizabilityResult Violation(string key, IReadOnlyList<KvHistoryOp> ops, long frontier, SearchDeadline deadline)
    {
        IReadOnlyList<KvHistoryOp> counterexample = CounterexampleShrinker.Shrink(ops, frontier, deadline.Within(ShrinkLimit))
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
