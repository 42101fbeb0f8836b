using System.Globalization;

namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// One way a key's checked history can end at a cut: the value it then holds ("" for absent) and
/// the operations still carried across the cut that this way had already linearized.
/// </summary>
internal sealed record CutState(string Value, int[] Applied)
{
    public bool HasApplied(int id) => Array.BinarySearch(Applied, id) >= 0;
}

/// <summary>One key's part of a <see cref="HistoryCut"/>.</summary>
internal sealed record KeyCut(
    IReadOnlyList<CutState> Starts,
    IReadOnlyList<KvHistoryOp> Carried,
    IReadOnlyList<KvHistoryOp>? Failure,
    string? UncheckedBecause)
{
    public static readonly KeyCut Fresh = new([new CutState("", [])], [], null, null);

    public bool IsFresh => Carried.Count == 0 && Starts is [{ Value: "", Applied: [] }];
}

/// <summary>
/// What a bounded client history keeps of the operations it dropped, so that the checker gives
/// no false alarm on what remains and still catches a read after the cut that contradicts a write
/// before it. Immutable; <see cref="Advance"/> makes the next one.
/// <para>
/// A cut is a time T: every dropped operation was called before T, every kept one at or after T.
/// The dropped operations that returned before T precede every kept one in real time, so for each
/// key the checker only needs the values the key can hold once they are all linearized. The
/// dropped operations still pending at T (they returned later, or never, like a write that timed
/// out) are concurrent with the kept ones: they are carried across the cut, and each possible end
/// value remembers which of them it had already linearized. This is exact for operations that
/// answered. A write that never answered may be counted as not yet applied where it already was
/// (ends with the same value are merged), so it could take effect twice across a cut unnoticed:
/// an over-approximation, never a false alarm. A key whose search runs out of its step budget, or
/// whose carry grows past the limits, is no longer checked from that cut on and is named in the
/// verdict, which is the sound way out. Steps, not wall time, bound the work, so a cut is deterministic.
/// </para>
/// </summary>
public sealed class HistoryCut
{
    /// <summary>Search steps given to one key at one cut before that key is given up as unchecked.</summary>
    public const long DefaultStepsPerKey = 200_000;

    /// <summary>Most end values (with their carried operations) one key may carry across a cut.</summary>
    internal const int MaxStarts = 256;

    /// <summary>Most pending operations one key may carry across a cut.</summary>
    internal const int MaxCarried = 32;

    private readonly Dictionary<string, KeyCut> _keys;

    private HistoryCut(long time, long dropped, Dictionary<string, KeyCut> keys)
    {
        Time = time;
        DroppedOperations = dropped;
        _keys = keys;
    }

    /// <summary>No cut yet: nothing was dropped.</summary>
    public static HistoryCut None { get; } = new(long.MinValue, 0, new Dictionary<string, KeyCut>(StringComparer.Ordinal));

    /// <summary>
    /// A cut behind which the history of <paramref name="keys"/> is unknown (a cluster restarted from
    /// disks): those keys are not checked, with <paramref name="reason"/>; every other key starts absent.
    /// </summary>
    internal static HistoryCut Unknown(IEnumerable<string> keys, string reason) =>
        new(long.MinValue, 0, keys.Distinct(StringComparer.Ordinal).ToDictionary(k => k, _ => Unchecked(reason), StringComparer.Ordinal));

    /// <summary>The cut's time (the checker's ticks); every operation given to the checker with this cut is called at or after it.</summary>
    public long Time { get; }

    /// <summary>Operations dropped so far, over every cut.</summary>
    public long DroppedOperations { get; }

    /// <summary>Dropped operations that are still carried because they were pending at the cut.</summary>
    public int CarriedOperations => _keys.Values.Sum(k => k.Carried.Count);

    /// <summary>Possible key values carried across the cut, over all keys (one per key when nothing is in doubt).</summary>
    public int CarriedStates => _keys.Values.Sum(k => k.Starts.Count);

    /// <summary>Keys no longer checked, each with the reason.</summary>
    public IReadOnlyDictionary<string, string> UncheckedKeys =>
        _keys.Where(k => k.Value.UncheckedBecause is not null).ToDictionary(k => k.Key, k => k.Value.UncheckedBecause!, StringComparer.Ordinal);

    /// <summary>The first key whose dropped operations were found not linearizable, if any.</summary>
    public string? FailedKey => _keys.Where(k => k.Value.Failure is not null).Select(k => k.Key).Order(StringComparer.Ordinal).FirstOrDefault();

    internal IReadOnlyDictionary<string, KeyCut> Keys => _keys;

    /// <summary>
    /// Drops <paramref name="dropped"/> behind a new cut at <paramref name="time"/>. Every dropped
    /// operation must be final (answered, or open-ended for good) and called before
    /// <paramref name="time"/>; every operation checked with the result later must be called at or after it.
    /// </summary>
    public HistoryCut Advance(IReadOnlyList<KvHistoryOp> dropped, long time, long stepsPerKey = DefaultStepsPerKey)
    {
        ArgumentNullException.ThrowIfNull(dropped);
        if (time < Time)
        {
            throw new ArgumentException($"A cut moves forward: {time} is before the last cut at {Time}.", nameof(time));
        }

        foreach (KvHistoryOp op in dropped)
        {
            if (op.Call >= time)
            {
                throw new ArgumentException($"Operation {op.Id} is called at {op.Call}, not before the cut at {time}.", nameof(dropped));
            }
        }

        var keys = new Dictionary<string, KeyCut>(_keys, StringComparer.Ordinal);
        foreach (var (key, ops) in KeyPartitioner.Split(dropped))
        {
            keys[key] = AdvanceKey(key, keys.GetValueOrDefault(key) ?? KeyCut.Fresh, ops, time, stepsPerKey);
        }

        // A key with nothing dropped this time can still carry operations that the cut now passes.
        foreach (var (key, cut) in _keys)
        {
            if (cut.Carried.Count > 0 && ReferenceEquals(keys[key], cut))
            {
                keys[key] = AdvanceKey(key, cut, [], time, stepsPerKey);
            }
        }

        return new HistoryCut(time, DroppedOperations + dropped.Count, keys);
    }

    private static KeyCut AdvanceKey(string key, KeyCut previous, IReadOnlyList<KvHistoryOp> dropped, long time, long steps)
    {
        if (previous.Failure is not null || previous.UncheckedBecause is not null)
        {
            return previous;
        }

        List<KvHistoryOp> window = [.. previous.Carried, .. dropped];
        bool Pending(KvHistoryOp op) => op.Return is not { } returned || returned >= time;
        var neverAnswered = window.Where(op => op.Return is null).Select(op => op.Id).ToHashSet();

        var ends = new Dictionary<string, CutState>(StringComparer.Ordinal);
        foreach (CutState start in previous.Starts)
        {
            // Pending operations may take effect on either side of the cut: open-ended here.
            var variant = Variant(key, start, window, op => Pending(op) ? op with { Return = null } : op);
            IReadOnlyCollection<CutState>? found = KeyHistorySearch.EnumerateEnds(variant, steps);
            if (found is null)
            {
                return Unchecked(string.Create(CultureInfo.InvariantCulture,
                    $"the search over its operations before the cut at t={time} ran out of steps"));
            }

            foreach (CutState end in found)
            {
                // What this start had applied before is applied in each of its ends too. Ends with the
                // same value that differ only in writes that never answered are merged, keeping what all
                // of them applied: such a write becomes free to take effect again. That over-approximates
                // (it could count twice across a cut; it can never be forced to) and keeps the carry small.
                int[] applied = [.. end.Applied.Concat(start.Applied).Distinct().Order()];
                string sameWay = end.Value + "\u0000" + string.Join(',', applied.Where(id => !neverAnswered.Contains(id)));
                ends[sameWay] = ends.TryGetValue(sameWay, out CutState? same)
                    ? same with { Applied = [.. same.Applied.Intersect(applied)] }
                    : end with { Applied = applied };
            }
        }

        if (ends.Count == 0)
        {
            return previous with { Failure = Variant(key, previous.Starts[0], window, op => op), Carried = [] };
        }

        // A pending operation every way has already linearized is done with; the others stay.
        List<KvHistoryOp> carried = window
            .Where(op => Pending(op) && !ends.Values.All(end => end.HasApplied(op.Id)))
            .ToList();
        var keep = carried.Select(op => op.Id).ToHashSet();
        List<CutState> starts = ends.Values
            .Select(end => end with { Applied = [.. end.Applied.Where(keep.Contains)] })
            .DistinctBy(end => end.Value + "\u0000" + string.Join(',', end.Applied), StringComparer.Ordinal)
            .ToList();
        if (starts.Count > MaxStarts)
        {
            return Unchecked($"more than {MaxStarts} values were possible at the cut at t={time}");
        }

        if (carried.Count > MaxCarried)
        {
            return Unchecked($"more than {MaxCarried} operations of unknown outcome were pending at the cut at t={time}");
        }

        return new KeyCut(starts, carried, null, null);
    }

    private static KeyCut Unchecked(string why) => new([], [], null, why);

    /// <summary>
    /// The key's history as seen from one way the dropped part can end: a put of the end value,
    /// before everything, in place of what came before, and without the carried operations that
    /// way had already linearized.
    /// </summary>
    internal static List<KvHistoryOp> Variant(string key, CutState start, IEnumerable<KvHistoryOp> ops, Func<KvHistoryOp, KvHistoryOp> map)
    {
        List<KvHistoryOp> rest = ops.Where(op => !start.HasApplied(op.Id)).Select(map).ToList();
        long before = rest.Count == 0 ? 0 : rest.Min(op => op.Call) - 1;
        return [StartOp(key, start.Value, before), .. rest];
    }

    /// <summary>The operation standing for the state a key was left in by the dropped operations (ClientId -1).</summary>
    internal static KvHistoryOp StartOp(string key, string value, long at) =>
        new(CarriedStateId, CarriedClientId, KvOpKind.Put, key, value, null, at, at);

    /// <summary>The id and client id of the operation standing for the state carried across a cut.</summary>
    public const int CarriedStateId = -1;

    /// <inheritdoc cref="CarriedStateId"/>
    public const int CarriedClientId = -1;
}
