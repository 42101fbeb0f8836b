using System.Diagnostics;

namespace RaftVisualizer.Core.Linearizability;

/// <summary>An optional time budget, measured with <see cref="Stopwatch"/> timestamps.</summary>
internal readonly struct SearchDeadline
{
    private readonly long _startTimestamp;
    private readonly TimeSpan? _budget;

    private SearchDeadline(long startTimestamp, TimeSpan? budget)
    {
        _startTimestamp = startTimestamp;
        _budget = budget;
    }

    public static SearchDeadline None => new(0, null);

    public static SearchDeadline Start(TimeSpan? budget) => new(Stopwatch.GetTimestamp(), budget);

    public bool IsExpired => _budget is { } budget && Stopwatch.GetElapsedTime(_startTimestamp) > budget;

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
}
