using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Core.Lessons;

/// <summary>
/// What a lesson step runs on: a bare cluster (a headless <see cref="LessonRun"/>) or a
/// <see cref="Time.Timeline"/> (the page's, so every moment of the lesson can be rewound). Both are
/// stepped the same way, so a step stops at the same event on either.
/// </summary>
public abstract class LessonEngine
{
    private protected LessonEngine() { }

    public abstract Cluster Cluster { get; }

    public static LessonEngine Of(Cluster cluster) => new ClusterEngine(cluster);

    /// <summary>Steps the timeline's head (taking its keyframes); commands go through the timeline so they are recorded for seeking.</summary>
    public static LessonEngine Of(Timeline timeline) => new TimelineEngine(timeline);

    internal abstract ActionResult Apply(ClusterCommand command);
    /// <summary>A lecturer's recorded command, at its exact step and time.</summary>
    internal abstract ActionResult ApplyRecorded(TimedCommand command);
    internal abstract bool Step();
    /// <summary>Moves the clock to <paramref name="until"/>; every event before it was already processed.</summary>
    internal abstract void RunTo(TimeSpan until);

    private sealed class ClusterEngine(Cluster cluster) : LessonEngine
    {
        public override Cluster Cluster => cluster;
        internal override ActionResult Apply(ClusterCommand command) => command.Apply(cluster);
        internal override ActionResult ApplyRecorded(TimedCommand command) => cluster.StepTo(command);
        internal override bool Step() => cluster.Step();
        internal override void RunTo(TimeSpan until) => cluster.RunTo(until);
    }

    private sealed class TimelineEngine(Timeline timeline) : LessonEngine
    {
        public override Cluster Cluster => timeline.Head;
        internal override ActionResult Apply(ClusterCommand command) => timeline.Execute(command);
        internal override ActionResult ApplyRecorded(TimedCommand command) => timeline.Execute(c => c.StepTo(command));
        internal override bool Step() => timeline.Step();
        internal override void RunTo(TimeSpan until)
        {
            if (until > timeline.HeadTime) timeline.Advance(until - timeline.HeadTime);
        }
    }
}

/// <summary>
/// One step of a lesson being played, a piece at a time: <see cref="Advance"/> runs it on by at most
/// a budget of simulated time (the page's pump hands it what the wall clock allows) and says when it
/// is over; it stops at exactly the event <see cref="LessonRun"/> stops at, however the budget is cut,
/// because the step's condition is only looked at where a headless run looks at it (after an event,
/// at the deadline). A lecturer's recorded commands are applied at their steps on the way.
/// </summary>
public sealed class StepDrive
{
    private readonly Lesson _lesson;
    private readonly List<string> _problems = new();
    private readonly TimeSpan _deadline;
    private readonly Func<Cluster, bool> _done;
    /// <summary>True between the checks a headless run makes: events are being processed towards the deadline.</summary>
    private bool _running;
    private StepOutcome? _outcome;

    /// <summary>
    /// Begins step <paramref name="index"/> on <paramref name="engine"/> now: its commands are applied
    /// when <paramref name="applyDo"/> (the page applies them itself, through its pump, and reports a
    /// refusal with <see cref="Refused"/>).
    /// </summary>
    /// <param name="nextRecorded">The first of the lesson's recorded commands not applied yet.</param>
    public StepDrive(Lesson lesson, int index, LessonEngine engine, int nextRecorded, bool applyDo = true)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        ArgumentNullException.ThrowIfNull(engine);
        _lesson = lesson;
        Index = index;
        Step = lesson.Steps[index];
        NextRecorded = nextRecorded;
        var cluster = engine.Cluster;
        Context = new StepContext(cluster.Now, cluster.EventsDiscarded + cluster.Events.Count);
        if (applyDo)
            foreach (var command in Step.Do)
                if (engine.Apply(command) is { Ok: false } refused) Refused(command, refused);
        switch (Step.Until)
        {
            case LessonCondition.AtTime moment:
                // A recorded card stops exactly at its moment, as the lecturer saw it, not at the next event after it.
                _deadline = TimeSpan.FromMilliseconds(moment.Ms);
                _done = _ => false;
                if (_deadline <= cluster.Now) Finish(cluster); // nothing to run (as headless: not even the recorded commands due)
                break;
            case { } until:
                _deadline = cluster.Now + TimeSpan.FromMilliseconds(Step.TimeoutMs);
                _done = c => until.Holds(c, Context);
                break;
            default:
                _deadline = cluster.Now + TimeSpan.FromMilliseconds(Step.RunMs ?? 0);
                _done = _ => false;
                break;
        }
    }

    public int Index { get; }
    public LessonStep Step { get; }
    public StepContext Context { get; }
    /// <summary>The first of the lesson's recorded commands not applied yet (the next step starts from it).</summary>
    public int NextRecorded { get; private set; }
    public bool IsOver => _outcome is not null;
    /// <summary>How the step went, once <see cref="IsOver"/>: its claims and prediction are checked at its last moment.</summary>
    public StepOutcome? Outcome => _outcome;
    /// <summary>When the step stops at the latest (its condition's timeout, its span, or its recorded moment).</summary>
    public TimeSpan Deadline => _deadline;

    /// <summary>Notes a command of the step that was refused (applied by the caller).</summary>
    public void Refused(ClusterCommand command, ActionResult refusal)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(refusal);
        _problems.Add($"\"{command}\" was refused: {refusal.Message}");
    }

    /// <summary>Runs the step to its end at once.</summary>
    public StepOutcome RunToEnd(LessonEngine engine)
    {
        Advance(engine, TimeSpan.MaxValue);
        return _outcome!;
    }

    /// <summary>
    /// Runs on by at most <paramref name="budget"/> of simulated time; true once the step is over
    /// (its condition held, or its deadline passed), with <see cref="Outcome"/> set.
    /// </summary>
    public bool Advance(LessonEngine engine, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (IsOver) return true;
        var cluster = engine.Cluster;
        var horizon = budget == TimeSpan.MaxValue || cluster.Now + budget > _deadline ? _deadline : cluster.Now + budget;
        var recorded = _lesson.Recorded;
        while (true)
        {
            if (!_running)
            {
                // Where a headless run checks: before running, after an event it stopped at, at the deadline.
                if (_done(cluster)) return Finish(cluster);
                if (NextRecorded < recorded.Count && recorded[NextRecorded].Step <= cluster.Steps)
                {
                    engine.ApplyRecorded(recorded[NextRecorded++]);
                    continue;
                }
                if (cluster.Now >= _deadline) return Finish(cluster);
                _running = true;
            }
            var stopped = false;
            while (cluster.NextEventAt is { } at && at <= horizon)
            {
                engine.Step();
                if (_done(cluster) || (NextRecorded < recorded.Count && cluster.Steps >= recorded[NextRecorded].Step))
                {
                    stopped = true;
                    break;
                }
            }
            if (stopped)
            {
                _running = false;
                continue;
            }
            engine.RunTo(horizon);
            if (horizon < _deadline) return false; // the budget is spent; the next call goes on from here
            _running = false;
        }
    }

    private bool Finish(Cluster cluster)
    {
        var reached = true;
        if (Step.Until is LessonCondition.AtTime moment)
        {
            reached = cluster.Now >= _deadline;
            if (!reached) _problems.Add($"\"{moment}\" did not happen");
        }
        else if (Step.Until is { } until)
        {
            reached = _done(cluster);
            if (!reached) _problems.Add($"\"{until}\" did not happen within {Step.TimeoutMs:0} ms");
        }
        foreach (var claim in Step.Claims)
            if (!claim.Holds(cluster, Context)) _problems.Add($"the narration claims \"{claim}\", which is false");
        int? trueChoice = null;
        if (Step.Predict is { } predict)
        {
            var holding = predict.Choices.Select((c, i) => (c, i)).Where(p => p.c.True?.Holds(cluster, Context) == true).Select(p => p.i).ToArray();
            trueChoice = holding.Length == 1 ? holding[0] : null;
            if (trueChoice != predict.Answer)
                _problems.Add($"the prediction's answer is choice {predict.Answer + 1}, but the choices that came true are [{string.Join(", ", holding.Select(h => h + 1))}]");
        }
        _outcome = new StepOutcome(Index, reached, Context.StartedAt, cluster.Now, _problems.ToArray(), trueChoice);
        return true;
    }
}
