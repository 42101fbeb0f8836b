using System.Diagnostics;

namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// An optional time budget, measured with <see cref="Stopwatch"/> timestamps, or a budget of checks
/// (each <see cref="IsExpired"/> asked counts one), which gives the same answer however busy the machine is.
/// </summary>
internal readonly struct SearchDeadline
{
    private readonly long _startTimestamp;
    private readonly TimeSpan? _budget;
    private readonly CheckCounter? _checks;

    private SearchDeadline(long startTimestamp, TimeSpan? budget, CheckCounter? checks = null)
    {
        _startTimestamp = startTimestamp;
        _budget = budget;
        _checks = checks;
    }

    public static SearchDeadline None => new(0, null);

    public static SearchDeadline Start(TimeSpan? budget) => new(Stopwatch.GetTimestamp(), budget);

    /// <summary>A deadline that expires after <paramref name="checks"/> calls to <see cref="IsExpired"/>, not after a time.</summary>
    public static SearchDeadline Checks(long checks) => new(0, null, new CheckCounter { Left = checks });

    public bool IsExpired =>
        (_budget is { } budget && Stopwatch.GetElapsedTime(_startTimestamp) > budget) ||
        (_checks is { } checks && --checks.Left < 0);

    /// <summary>Time left, or null when there is no budget.</summary>
    public TimeSpan? Remaining =>
        _budget is { } budget ? Max(TimeSpan.Zero, budget - Stopwatch.GetElapsedTime(_startTimestamp)) : null;

    /// <summary>A deadline that ends at <paramref name="limit"/> from now, or earlier if this one ends first.</summary>
    public SearchDeadline Within(TimeSpan limit)
    {
        TimeSpan budget = Remaining is { } remaining && remaining < limit ? remaining : limit;
        return Start(budget);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class CheckCounter
    {
        public long Left;
    }
}
