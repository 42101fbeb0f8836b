using System.Globalization;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Core.Linearizability;

/// <summary>Turns a failing single-key counterexample into one or two plain-English sentences.</summary>
internal static class ViolationExplainer
{
    private const int MaxShownLength = 40;
    private const int MaxListedValues = 2;

    public static string Explain(string key, IReadOnlyList<KvHistoryOp> counterexample, IReadOnlyList<KvHistoryOp> keyHistory)
    {
        List<KvHistoryOp> reads = counterexample
            .Where(op => op.Kind == KvOpKind.Get)
            .OrderByDescending(op => op.Return)
            .ToList();

        foreach (KvHistoryOp read in reads)
        {
            if (!CouldBeWritten(read.Output ?? "", keyHistory))
            {
                return $"Key {Quote(key)}: {Describe(read)}, but no write to {Quote(key)} could have produced that value.";
            }
        }

        foreach (KvHistoryOp read in reads)
        {
            IReadOnlySet<string>? visible = ReadObservationExplorer.ValuesVisibleTo(counterexample, read);
            if (visible is { Count: > 0 } && !visible.Contains(read.Output ?? ""))
            {
                string otherReads = reads.Count > 1 ? " and the other reads" : "";
                return $"Key {Quote(key)}: {Describe(read)}, but in every order consistent with real time{otherReads}, "
                    + $"the key held {ListValues(visible)} at that point.{Evidence(read, counterexample)}";
            }
        }

        return $"Key {Quote(key)}: no order of these {counterexample.Count} operations agrees with both real time "
            + "and the values the reads returned.";
    }

    /// <summary>Whether some write to the key, possibly after others, could leave exactly this value.</summary>
    private static bool CouldBeWritten(string value, IReadOnlyList<KvHistoryOp> keyHistory) =>
        value.Length == 0
        || keyHistory.Any(op => op.ClientId == HistoryCut.CarriedClientId) // the dropped writes are not known
        || keyHistory.Any(op =>
            (op.Kind == KvOpKind.Put && string.Equals(op.Input, value, StringComparison.Ordinal))
            || (op.Kind == KvOpKind.Append && !string.IsNullOrEmpty(op.Input) && value.EndsWith(op.Input, StringComparison.Ordinal)));

    /// <summary>
    /// Points at the evidence: a write that had completed before the read began and that nothing
    /// could have undone, yet the value read lacks it; otherwise an earlier read that saw something else.
    /// </summary>
    private static string Evidence(KvHistoryOp read, IReadOnlyList<KvHistoryOp> counterexample)
    {
        string valueRead = read.Output ?? "";
        KvHistoryOp? missed = counterexample
            .Where(op => op.Kind != KvOpKind.Get && op.Return < read.Call && IsSurelyMissing(op, read, valueRead, counterexample))
            .MaxBy(op => op.Return);
        if (missed is { ClientId: HistoryCut.CarriedClientId })
        {
            return $" The older operations, dropped from the history before t={missed.Return}, had left the key holding {Show(missed.Input)}, "
                + "and none of the other operations shown could have undone it.";
        }

        if (missed is not null)
        {
            string what = missed.Kind switch
            {
                KvOpKind.Put => $"put of {Show(missed.Input)}",
                KvOpKind.Append => $"append of {Show(missed.Input)}",
                _ => "delete",
            };
            return $" Client {missed.ClientId}'s {what} completed at t={missed.Return}, before the read began, "
                + "and none of the other operations shown could have undone it.";
        }

        KvHistoryOp? earlier = counterexample
            .Where(op => op.Kind == KvOpKind.Get && op.Return < read.Call && (op.Output ?? "") != valueRead)
            .MaxBy(op => op.Return);
        return earlier is null
            ? ""
            : $" Client {earlier.ClientId} had already read {Show(earlier.Output)} at t={earlier.Call}..{earlier.Return}, before this read began.";
    }

    /// <summary>
    /// Whether the value read visibly lacks the effect of <paramref name="write"/> although no other
    /// write that could undo that effect fits between the write and the read.
    /// </summary>
    private static bool IsSurelyMissing(KvHistoryOp write, KvHistoryOp read, string valueRead, IReadOnlyList<KvHistoryOp> ops)
    {
        bool lacksEffect = write.Kind switch
        {
            KvOpKind.Put => !valueRead.StartsWith(write.Input ?? "", StringComparison.Ordinal),
            KvOpKind.Append => !valueRead.Contains(write.Input ?? "", StringComparison.Ordinal),
            _ => valueRead.Length > 0,
        };
        return lacksEffect && !ops.Any(other =>
            !ReferenceEquals(other, write)
            && other.Kind != KvOpKind.Get
            && (write.Kind == KvOpKind.Delete || other.Kind != KvOpKind.Append)
            && !(other.Return < write.Call)
            && !(other.Call > read.Return));
    }

    private static string Describe(KvHistoryOp read) =>
        $"client {read.ClientId} read {Show(read.Output)} at t={read.Call}..{read.Return}";

    private static string ListValues(IReadOnlySet<string> values)
    {
        List<string> shown = values.Order(StringComparer.Ordinal).Take(MaxListedValues).Select(Show).ToList();
        return values.Count > MaxListedValues
            ? $"one of {values.Count.ToString(CultureInfo.InvariantCulture)} values such as {string.Join(" or ", shown)}"
            : string.Join(" or ", shown);
    }

    private static string Show(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "nothing (absent)";
        }

        return value.Length <= MaxShownLength
            ? Quote(value)
            : $"\"…{value[^MaxShownLength..]}\" ({value.Length.ToString(CultureInfo.InvariantCulture)} chars)";
    }

    private static string Quote(string value) => $"\"{value}\"";
}
