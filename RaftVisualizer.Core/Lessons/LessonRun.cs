namespace RaftVisualizer.Core.Lessons;

/// <summary>How one step went: whether its condition was reached in time, when it began and ended, which claims failed, which answer came true.</summary>
public sealed record StepOutcome(int Step, bool Reached, TimeSpan StartedAt, TimeSpan EndedAt, IReadOnlyList<string> Problems, int? TrueChoice)
{
    public bool Passed => Reached && Problems.Count == 0;
}

/// <summary>
/// Plays a lesson headless on a real cluster, step by step: applies each step's commands, runs
/// until its condition (or for its span), then checks every claim. The page plays the same run
/// through its timeline; a test plays it here to prove the narration true.
/// </summary>
public sealed class LessonRun
{
    private readonly List<StepOutcome> _outcomes = new();
    /// <summary>The next of the lesson's recorded commands to apply on <see cref="Cluster"/>.</summary>
    private int _nextRecorded;

    public LessonRun(Lesson lesson)
    {
        Lesson = lesson;
        Cluster = Start(lesson.Options);
    }

    public Lesson Lesson { get; }
    /// <summary>The cluster the lesson runs on; a branch step replaces it with one whose switches differ.</summary>
    public Cluster Cluster { get; private set; }
    /// <summary>The step <see cref="PlayNext"/> plays (0-based); the lesson is over at <c>Lesson.Steps.Count</c>.</summary>
    public int NextStep => _outcomes.Count;
    public IReadOnlyList<StepOutcome> Outcomes => _outcomes;
    public bool IsOver => NextStep >= Lesson.Steps.Count;

    /// <summary>Plays every step; the outcomes say what held.</summary>
    public static LessonRun PlayAll(Lesson lesson)
    {
        var run = new LessonRun(lesson);
        while (!run.IsOver) run.PlayNext();
        return run;
    }

    public StepOutcome PlayNext()
    {
        if (IsOver) throw new InvalidOperationException("The lesson is over.");
        var index = NextStep;
        var step = Lesson.Steps[index];
        if (step.Branch is { } branch) (Cluster, _nextRecorded) = Replay(branch);
        var outcome = Play(Cluster, index, step, ref _nextRecorded);
        _outcomes.Add(outcome);
        return outcome;
    }

    private Cluster Start(ClusterOptions options)
    {
        var cluster = new Cluster(options);
        foreach (var command in Lesson.Setup) command.Apply(cluster);
        return cluster;
    }

    /// <summary>A cluster with the branch's switches, played through the steps before the one it returns to.</summary>
    private (Cluster, int NextRecorded) Replay(LessonBranch branch)
    {
        var cluster = Start(branch.Changes.Apply(Cluster.Options));
        var next = 0;
        for (var i = 0; i < branch.FromStep && i < Lesson.Steps.Count; i++) Play(cluster, i, Lesson.Steps[i] with { Branch = null }, ref next);
        return (cluster, next);
    }

    /// <summary>
    /// Runs until <paramref name="done"/> holds or <paramref name="timeout"/> passes, applying the
    /// lesson's recorded commands at the steps they were recorded at on the way.
    /// </summary>
    private bool Run(Cluster cluster, Func<Cluster, bool> done, TimeSpan timeout, ref int next)
    {
        var deadline = cluster.Now + timeout;
        var recorded = Lesson.Recorded;
        while (true)
        {
            if (done(cluster)) return true;
            if (next < recorded.Count && recorded[next].Step <= cluster.Steps)
            {
                cluster.StepTo(recorded[next++]);
                continue;
            }
            if (cluster.Now >= deadline) return false;
            if (next >= recorded.Count) return cluster.RunUntil(done, deadline - cluster.Now);
            var step = recorded[next].Step;
            cluster.RunUntil(c => done(c) || c.Steps >= step, deadline - cluster.Now);
        }
    }

    private StepOutcome Play(Cluster cluster, int index, LessonStep step, ref int next)
    {
        var context = new StepContext(cluster.Now);
        var problems = new List<string>();
        foreach (var command in step.Do)
            if (command.Apply(cluster) is { Ok: false } refused) problems.Add($"\"{command}\" was refused: {refused.Message}");
        var reached = true;
        if (step.Until is LessonCondition.AtTime moment)
        {
            // A recorded card stops exactly at its moment, as the lecturer saw it, not at the next event after it.
            var target = TimeSpan.FromMilliseconds(moment.Ms);
            if (target > cluster.Now) Run(cluster, _ => false, target - cluster.Now, ref next);
            reached = cluster.Now >= target;
            if (!reached) problems.Add($"\"{moment}\" did not happen");
        }
        else if (step.Until is { } until)
        {
            reached = Run(cluster, c => until.Holds(c, context), TimeSpan.FromMilliseconds(step.TimeoutMs), ref next);
            if (!reached) problems.Add($"\"{until}\" did not happen within {step.TimeoutMs:0} ms");
        }
        else Run(cluster, _ => false, TimeSpan.FromMilliseconds(step.RunMs ?? 0), ref next);
        foreach (var claim in step.Claims)
            if (!claim.Holds(cluster, context)) problems.Add($"the narration claims \"{claim}\", which is false");
        int? trueChoice = null;
        if (step.Predict is { } predict)
        {
            var holding = predict.Choices.Select((c, i) => (c, i)).Where(p => p.c.True?.Holds(cluster, context) == true).Select(p => p.i).ToArray();
            trueChoice = holding.Length == 1 ? holding[0] : null;
            if (trueChoice != predict.Answer)
                problems.Add($"the prediction's answer is choice {predict.Answer + 1}, but the choices that came true are [{string.Join(", ", holding.Select(h => h + 1))}]");
        }
        return new StepOutcome(index, reached, context.StartedAt, cluster.Now, problems, trueChoice);
    }
}
