using RaftVisualizer.Core.Scenarios;

namespace RaftVisualizer.Core.Lessons;

/// <summary>A card a lecturer added at one moment of a run: a title, a narration, optionally a question.</summary>
public sealed record LessonCard(TimeSpan At, string Title, string Narration, Prediction? Predict = null);

/// <summary>
/// Turns a recorded run and the cards a lecturer added into a lesson of the same format as the
/// built-in ones: the run's commands replay at their exact steps, and each card is a step that
/// runs until its moment.
/// </summary>
public static class LessonRecording
{
    public static Lesson FromRun(string title, Scenario run, IEnumerable<LessonCard> cards)
    {
        var steps = cards.OrderBy(c => c.At).Select(c => new LessonStep(c.Title, c.Narration)
        {
            Until = new LessonCondition.AtTime(c.At.TotalMilliseconds),
            TimeoutMs = Math.Max(1, c.At.TotalMilliseconds) + 1000,
            Predict = c.Predict,
        }).ToArray();
        var last = steps.Length > 0 ? cards.Max(c => c.At) : TimeSpan.Zero;
        return new Lesson(Slug(title), title, $"Recorded: {steps.Length} cards over {last.TotalSeconds:0.#} s of simulated time.", "Recorded",
            run.Options, [], steps)
        {
            Recorded = run.Commands.Where(c => c.At <= last).ToArray(),
        };
    }

    private static string Slug(string title)
    {
        var slug = new string(title.ToLowerInvariant().Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray()).Trim('-');
        return slug.Length == 0 ? "recorded-lesson" : slug.Length > 60 ? slug[..60] : slug;
    }
}
