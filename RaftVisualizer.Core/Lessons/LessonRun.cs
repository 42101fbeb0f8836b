using RaftVisualizer.Core.Time;

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
    private readonly Func<ClusterOptions, ClusterOptions>? _adjust;
    private readonly bool _onTimeline;
    private LessonEngine _engine;
    /// <summary>The next of the lesson's recorded commands to apply on <see cref="Cluster"/>.</summary>
    private int _nextRecorded;

    public LessonRun(Lesson lesson) : this(lesson, onTimeline: false, adjust: null)
    {
    }

    private LessonRun(Lesson lesson, bool onTimeline, Func<ClusterOptions, ClusterOptions>? adjust)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        Lesson = lesson;
        _onTimeline = onTimeline;
        _adjust = adjust;
        _engine = Start(lesson.Options);
    }

    /// <summary>
    /// A run on a <see cref="Time.Timeline"/> rather than a bare cluster, so every moment of it can be
    /// seeked (the page's pump takes the timeline over). <paramref name="adjust"/> changes options
    /// that change no event (how many events the cluster keeps).
    /// </summary>
    public static LessonRun OnTimeline(Lesson lesson, Func<ClusterOptions, ClusterOptions>? adjust = null) => new(lesson, onTimeline: true, adjust);

    public Lesson Lesson { get; }
    /// <summary>The cluster the lesson runs on; a branch step replaces it with one whose switches differ.</summary>
    public Cluster Cluster => _engine.Cluster;
    /// <summary>The timeline the lesson runs on (<see cref="OnTimeline"/>), or null; a branch step replaces it too.</summary>
    public Time.Timeline? Timeline { get; private set; }
    /// <summary>What the steps run on: <see cref="Cluster"/>, or <see cref="Timeline"/> when there is one.</summary>
    public LessonEngine Engine => _engine;
    /// <summary>The step <see cref="PlayNext"/> plays (0-based); the lesson is over at <c>Lesson.Steps.Count</c>.</summary>
    public int NextStep => _outcomes.Count;
    /// <summary>The first of the lesson's recorded commands not applied yet.</summary>
    public int NextRecorded => _nextRecorded;
    public IReadOnlyList<StepOutcome> Outcomes => _outcomes;
    public bool IsOver => NextStep >= Lesson.Steps.Count;

    /// <summary>Plays every step; the outcomes say what held.</summary>
    public static LessonRun PlayAll(Lesson lesson)
    {
        var run = new LessonRun(lesson);
        while (!run.IsOver) run.PlayNext();
        return run;
    }

    /// <summary>Plays the steps before step <paramref name="step"/> (0-based), so the next to play is that one.</summary>
    public LessonRun PlayTo(int step)
    {
        while (NextStep < step && !IsOver) PlayNext();
        return this;
    }

    public StepOutcome PlayNext()
    {
        var drive = BeginNext();
        drive.RunToEnd(_engine);
        return Complete(drive);
    }

    /// <summary>
    /// Begins the next step without running it: a branch step first replaces <see cref="Cluster"/>
    /// (and <see cref="Timeline"/>) with its replay; then the step's commands are applied (unless
    /// <paramref name="applyDo"/> is false: the caller applies them itself). Run the drive, then <see cref="Complete"/> it.
    /// </summary>
    public StepDrive BeginNext(bool applyDo = true)
    {
        if (IsOver) throw new InvalidOperationException("The lesson is over.");
        var step = Lesson.Steps[NextStep];
        if (step.Branch is { } branch) (_engine, _nextRecorded) = Replay(branch);
        return new StepDrive(Lesson, NextStep, _engine, _nextRecorded, applyDo);
    }

    /// <summary>Records how a drive begun by <see cref="BeginNext"/> went, once it is over.</summary>
    public StepOutcome Complete(StepDrive drive)
    {
        ArgumentNullException.ThrowIfNull(drive);
        if (drive.Outcome is not { } outcome || drive.Index != NextStep) throw new InvalidOperationException("That step is not over, or not this run's next.");
        _nextRecorded = drive.NextRecorded;
        _outcomes.Add(outcome);
        return outcome;
    }

    private LessonEngine Start(ClusterOptions options)
    {
        if (_adjust is not null) options = _adjust(options);
        LessonEngine engine;
        if (_onTimeline)
        {
            Timeline = new Time.Timeline(options);
            engine = LessonEngine.Of(Timeline);
        }
        else engine = LessonEngine.Of(new Cluster(options));
        foreach (var command in Lesson.Setup) engine.Apply(command);
        return engine;
    }

    /// <summary>A cluster with the branch's switches, played through the steps before the one it returns to.</summary>
    private (LessonEngine, int NextRecorded) Replay(LessonBranch branch)
    {
        var engine = Start(branch.Changes.Apply(Cluster.Options));
        var next = 0;
        for (var i = 0; i < branch.FromStep && i < Lesson.Steps.Count; i++)
        {
            var drive = new StepDrive(Lesson, i, engine, next); // a step's own branch is taken only by BeginNext
            drive.RunToEnd(engine);
            next = drive.NextRecorded;
        }
        return (engine, next);
    }
}
