using System.Globalization;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Torture;

/// <summary>
/// Where a long run stands: seeds done of the total, failures so far and the wall time spent, with
/// the rate and an estimate of the time left. A value; the display only formats it.
/// </summary>
public readonly record struct TortureProgress(long Done, long Total, int Failed, TimeSpan Elapsed)
{
    /// <summary>Seeds per second so far; 0 before the first second's worth of work.</summary>
    public double SeedsPerSecond => Elapsed > TimeSpan.Zero ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>The fraction done, 0 to 1.</summary>
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((double)Done / Total, 0, 1);

    /// <summary>The seeds left at the rate so far; null until a seed is done (nothing to go by).</summary>
    public TimeSpan? TimeLeft
    {
        get
        {
            if (Done >= Total) return TimeSpan.Zero;
            if (Done <= 0 || Elapsed <= TimeSpan.Zero) return null;
            var seconds = (Total - Done) * Elapsed.TotalSeconds / Done;
            return seconds >= TimeSpan.MaxValue.TotalSeconds / 2 ? null : TimeSpan.FromSeconds(Math.Ceiling(seconds));
        }
    }

    /// <summary>"1,234 of 10,000 seeds (12%)   412 seeds/s   0 failed   about 21 s left".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Done:N0} of {Total:N0} seeds ({Math.Floor(Fraction * 100):0}%)   {SeedsPerSecond:N0} seeds/s   {Failed:N0} failed   {Left(TimeLeft)}");

    private static string Left(TimeSpan? left) => left switch
    {
        null => "time left unknown",
        { TotalSeconds: 0 } => "done",
        var t => $"about {Duration(t.Value)} left",
    };

    /// <summary>"45 s", "3 min 05 s", "2 h 07 min".</summary>
    public static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours} h {t.Minutes:00} min")
        : t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalMinutes} min {t.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (long)Math.Ceiling(t.TotalSeconds))} s");
}
