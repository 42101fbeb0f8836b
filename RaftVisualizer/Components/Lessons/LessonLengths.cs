using System.Collections.Concurrent;
using RaftVisualizer.Core.Lessons;

namespace RaftVisualizer.Components.Lessons;

/// <summary>How long a lesson runs in simulated time: played headless once per lesson and kept for the process.</summary>
public static class LessonLengths
{
    private static readonly ConcurrentDictionary<string, double> Seconds = new(StringComparer.Ordinal);

    /// <summary>The simulated seconds <paramref name="lesson"/> covers, from its first step's start to its last step's end.</summary>
    public static double SimulatedSeconds(Lesson lesson)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        return Seconds.GetOrAdd(lesson.Id + "\n" + lesson.Title, _ =>
        {
            var outcomes = LessonRun.PlayAll(lesson).Outcomes;
            return outcomes.Count == 0 ? 0 : outcomes.Sum(o => (o.EndedAt - o.StartedAt).TotalSeconds);
        });
    }
}
