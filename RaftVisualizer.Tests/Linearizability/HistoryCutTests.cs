using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

/// <summary>
/// A bounded history: old operations are dropped behind cuts, and the checker still gives no false
/// alarm on what is kept and still catches a violation that straddles a cut.
/// </summary>
public class HistoryCutTests
{
    /// <summary>Cuts the history at each time in <paramref name="cuts"/>, as a bounded history does; returns the cut and what is kept.</summary>
    private static (HistoryCut Cut, List<KvHistoryOp> Kept) Trim(IReadOnlyList<KvHistoryOp> history, IEnumerable<long> cuts)
    {
        var cut = HistoryCut.None;
        List<KvHistoryOp> kept = [.. history];
        foreach (long time in cuts)
        {
            cut = cut.Advance(kept.Where(op => op.Call < time).ToList(), time);
            kept = kept.Where(op => op.Call >= time).ToList();
        }

        return (cut, kept);
    }

    /// <summary>
    /// About every <paramref name="n"/> calls, the call time in that stretch with the fewest
    /// operations in flight, as the cluster picks its cuts.
    /// </summary>
    private static IEnumerable<long> EveryNthCall(IReadOnlyList<KvHistoryOp> history, int n)
    {
        long[] calls = [.. history.Select(op => op.Call).Order()];
        long[] returns = [.. history.Where(op => op.Return is not null).Select(op => op.Return!.Value).Order()];
        int InFlight(long t) => LowerBound(calls, t) - LowerBound(returns, t);
        long[] times = [.. calls.Distinct()];
        for (int start = n; start < times.Length; start += n)
        {
            yield return times[start..Math.Min(times.Length, start + n)].MinBy(InFlight);
        }
    }

    private static int LowerBound(long[] sorted, long value)
    {
        int index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }

    private static KvHistoryOp Op(int id, KvOpKind kind, string? input, string? output, long call, long? ret, string key = "x", int client = 0) =>
        new(id, client, kind, key, input, output, call, ret);

    [Theory]
    [InlineData(20_000, 10, 20, 0.0, 300)]
    [InlineData(20_000, 10, 3, 0.0, 97)]    // few keys: something is in flight on every key at most cuts
    [InlineData(20_000, 4, 1, 0.0, 41)]
    public void A_linearizable_history_stays_linearizable_after_many_cuts(int operations, int clients, int keys, double timedOut, int every)
    {
        var history = SimulatedKvHistoryGenerator.Generate(operations, clients, keys, seed: 5, timedOutFraction: timedOut);
        var cuts = EveryNthCall(history, every).ToList();
        Assert.True(cuts.Count >= 30, $"only {cuts.Count} cuts");

        var (cut, kept) = Trim(history, cuts);

        var result = LinearizabilityChecker.Check(kept, null, cut);
        Assert.True(result.Verdict == LinearizabilityVerdict.Linearizable, result.Explanation);
        Assert.Empty(cut.UncheckedKeys);
        Assert.True(kept.Count < history.Count / 20, $"{kept.Count} kept");
        Assert.Contains("older operations were checked as they were dropped", result.Explanation);
    }

    [Fact]
    public void Many_writes_that_never_answered_give_up_a_key_rather_than_a_false_alarm()
    {
        var history = SimulatedKvHistoryGenerator.Generate(operations: 20_000, clients: 10, keys: 20, seed: 5, timedOutFraction: 0.01);

        var (cut, kept) = Trim(history, EveryNthCall(history, 250));

        var result = LinearizabilityChecker.Check(kept, null, cut);
        Assert.True(result.Verdict == LinearizabilityVerdict.Linearizable, result.Explanation);
        Assert.InRange(cut.UncheckedKeys.Count, 0, 5); // named in the verdict, never reported as a violation
        Assert.All(cut.UncheckedKeys.Keys, key => Assert.Contains($"key \"{key}\"", result.Explanation));
    }

    [Fact]
    public void Each_cut_of_a_growing_history_is_judged_linearizable_as_the_badge_sees_it()
    {
        // The badge checks what is kept at every moment, not only at the end.
        var history = SimulatedKvHistoryGenerator.Generate(operations: 6_000, clients: 8, keys: 2, seed: 11, timedOutFraction: 0.005);
        var cut = HistoryCut.None;
        List<KvHistoryOp> kept = [];
        long lastCut = long.MinValue;
        foreach (var chunk in history.OrderBy(op => op.Call).Chunk(200))
        {
            kept.AddRange(chunk);
            long now = chunk[^1].Call;
            var seen = kept.Select(op => op.Return > now ? op with { Return = null } : op).Where(op => op.Kind != KvOpKind.Get || op.Return is not null).ToList();
            var result = LinearizabilityChecker.Check(seen, null, cut);
            Assert.True(result.Verdict == LinearizabilityVerdict.Linearizable, $"at {now}: {result.Explanation}");

            // Cut at the oldest call still unanswered at 'now', so every dropped operation is final.
            long time = kept.Where(op => op.Return > now).Select(op => op.Call).DefaultIfEmpty(now).Min();
            time = Math.Min(time, kept[kept.Count / 2].Call);
            if (time > lastCut)
            {
                cut = cut.Advance(kept.Where(op => op.Call < time).ToList(), time);
                kept = kept.Where(op => op.Call >= time).ToList();
                lastCut = time;
            }
        }

        Assert.True(cut.DroppedOperations > 4_000, $"{cut.DroppedOperations} dropped");
    }

    [Theory]
    [InlineData("c01-ok")]
    [InlineData("c10-ok")]
    [InlineData("c50-ok")]
    public void Porcupine_histories_that_pass_still_pass_when_cut_many_times(string name)
    {
        var history = PorcupineHistoryTests.Load(name);

        var (cut, kept) = Trim(history, EveryNthCall(history, Math.Max(5, history.Count / 40)));

        var result = LinearizabilityChecker.Check(kept, null, cut);
        Assert.True(result.Verdict == LinearizabilityVerdict.Linearizable, result.Explanation);
        Assert.True(cut.DroppedOperations > history.Count / 2);
    }

    [Theory]
    [InlineData("c01-bad")]
    [InlineData("c10-bad")]
    [InlineData("c50-bad")]
    public void Porcupine_histories_that_fail_still_fail_when_cut_many_times(string name)
    {
        var history = PorcupineHistoryTests.Load(name);
        var whole = LinearizabilityChecker.Check(history);

        var (cut, kept) = Trim(history, EveryNthCall(history, Math.Max(5, history.Count / 40)));

        var result = LinearizabilityChecker.Check(kept, null, cut);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, whole.Verdict);
        // the key it blames fails on its own in the whole history too
        Assert.Equal(LinearizabilityVerdict.NotLinearizable,
            LinearizabilityChecker.Check(history.Where(op => op.Key == result.FailingKey).ToList()).Verdict);
        Assert.NotEmpty(result.Counterexample);
    }

    [Fact]
    public void A_stale_read_after_the_cut_of_a_write_before_it_is_caught()
    {
        KvHistoryOp[] history =
        [
            Op(1, KvOpKind.Put, "1", null, 0, 10),
            Op(2, KvOpKind.Put, "2", null, 20, 30),
            Op(3, KvOpKind.Get, null, "2", 40, 50),
            Op(4, KvOpKind.Get, null, "1", 200, 210, client: 1), // stale: "2" was written long before
        ];

        var (cut, kept) = Trim(history, [100]);

        Assert.Single(kept);
        Assert.Equal(3, cut.DroppedOperations);
        var result = LinearizabilityChecker.Check(kept, null, cut);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal("x", result.FailingKey);
        Assert.Contains(result.Counterexample, op => op.Id == 4);
        Assert.Contains(result.Counterexample, op => op.ClientId == HistoryCut.CarriedClientId && op.Input == "2");
        Assert.Contains("client 1 read \"1\"", result.Explanation);
        Assert.Contains("had left the key holding \"2\"", result.Explanation);
    }

    [Fact]
    public void A_stale_read_in_a_long_generated_history_is_caught_after_many_cuts()
    {
        var history = SimulatedKvHistoryGenerator.Generate(operations: 20_000, clients: 10, keys: 5, seed: 3);
        // Near the end, one read returns the value of a put overwritten by a later put long before it.
        var read = history.Skip(19_000).First(op => op.Kind == KvOpKind.Get);
        var puts = history.Where(op => op.Key == read.Key && op.Kind == KvOpKind.Put && op.Return < read.Call - 1_000).ToList();
        var stale = puts.First(old => puts.Any(newer => old.Return < newer.Call));
        var corrupted = read with { Output = stale.Input };
        var bad = history.Select(op => op == read ? corrupted : op).ToList();

        var (cut, kept) = Trim(bad, EveryNthCall(bad, 300).Where(t => t <= read.Call));

        Assert.DoesNotContain(stale, kept);
        var result = LinearizabilityChecker.Check(kept, null, cut);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal(read.Key, result.FailingKey);
        Assert.Contains(corrupted, result.Counterexample);
    }

    [Fact]
    public void A_violation_among_dropped_operations_is_kept_and_reported()
    {
        KvHistoryOp[] history =
        [
            Op(1, KvOpKind.Put, "1", null, 0, 10),
            Op(2, KvOpKind.Get, null, "0", 20, 30), // nobody wrote "0"
            Op(3, KvOpKind.Put, "3", null, 200, 210),
        ];

        var (cut, kept) = Trim(history, [100]);

        Assert.Equal("x", cut.FailedKey);
        var result = LinearizabilityChecker.Check(kept, null, cut);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Contains(result.Counterexample, op => op.Id == 2);
    }

    [Fact]
    public void An_operation_pending_at_the_cut_may_take_effect_on_either_side_but_only_once()
    {
        // The append straddles the cut at 100: applied before it (the read at 50 saw it) or not.
        KvHistoryOp[] seenBefore =
        [
            Op(1, KvOpKind.Put, "a", null, 0, 10),
            Op(2, KvOpKind.Append, "b", null, 20, 300, client: 1),
            Op(3, KvOpKind.Get, null, "ab", 40, 50),
            Op(4, KvOpKind.Get, null, "ab", 400, 410),
        ];
        var (cut, kept) = Trim(seenBefore, [100]);
        Assert.Equal(0, cut.CarriedOperations); // every way it can end has the append in it
        Assert.Equal(LinearizabilityVerdict.Linearizable, LinearizabilityChecker.Check(kept, null, cut).Verdict);

        KvHistoryOp[] seenAfter = [seenBefore[0], seenBefore[1], Op(3, KvOpKind.Get, null, "a", 40, 50), seenBefore[3]];
        (cut, kept) = Trim(seenAfter, [100]);
        Assert.Equal(1, cut.CarriedOperations); // still to take effect after the cut
        Assert.Equal(LinearizabilityVerdict.Linearizable, LinearizabilityChecker.Check(kept, null, cut).Verdict);

        // Applied twice ("abb") is not a way the history can go, cut or not.
        KvHistoryOp[] twice = [.. seenBefore[..3], Op(4, KvOpKind.Get, null, "abb", 400, 410)];
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, LinearizabilityChecker.Check(twice).Verdict);
        (cut, kept) = Trim(twice, [100]);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, LinearizabilityChecker.Check(kept, null, cut).Verdict);
    }

    [Fact]
    public void A_write_that_timed_out_before_the_cut_may_still_show_up_after_it()
    {
        KvHistoryOp[] history =
        [
            Op(1, KvOpKind.Put, "1", null, 0, 10),
            Op(2, KvOpKind.Put, "late", null, 20, null, client: 1), // timed out: may happen any time, or never
            Op(3, KvOpKind.Get, null, "1", 40, 50),
            Op(4, KvOpKind.Get, null, "1", 200, 210),
            Op(5, KvOpKind.Get, null, "late", 300, 310),
        ];

        var (cut, kept) = Trim(history, [100, 250]);

        Assert.Equal(1, cut.CarriedOperations);
        Assert.Equal(LinearizabilityVerdict.Linearizable, LinearizabilityChecker.Check(kept, null, cut).Verdict);
        // and once it was seen, the old value cannot come back
        var (cut2, kept2) = Trim([.. history, Op(6, KvOpKind.Get, null, "1", 400, 410)], [100, 250, 350]);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, LinearizabilityChecker.Check(kept2, null, cut2).Verdict);
    }

    [Fact]
    public void A_cut_is_refused_when_an_operation_it_drops_is_called_after_it()
    {
        KvHistoryOp[] late = [Op(1, KvOpKind.Put, "1", null, 100, 110)];
        Assert.Throws<ArgumentException>(() => HistoryCut.None.Advance(late, 100));
        Assert.Throws<ArgumentException>(() => HistoryCut.None.Advance([], 100).Advance([], 50));
    }
}
