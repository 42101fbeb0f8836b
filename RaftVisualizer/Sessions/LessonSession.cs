using System.Runtime.CompilerServices;
using System.Text.Json;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Sessions;

/// <summary>Where the lesson on a pump stands.</summary>
public enum LessonPhase
{
    /// <summary>No lesson: the cluster runs freely.</summary>
    None,
    /// <summary>The step is shown at its start, not run yet (after Back): Next plays it.</summary>
    Waiting,
    /// <summary>The step asks its question before it runs.</summary>
    Asking,
    /// <summary>The cluster runs toward the step's condition.</summary>
    Running,
    /// <summary>The step has run: its condition held (or its time ran out); Next goes on.</summary>
    Reached,
}

/// <summary>
/// The lesson played on one pump, shared by every page watching it (a room's viewers follow the
/// presenter's). It plays a step by applying the step's commands through the pump and letting the
/// pump <see cref="ClusterPump.Drive">drive</see> the head with a <see cref="StepDrive"/> until the
/// step's condition holds, exactly where <see cref="LessonRun"/> stops headless. Back seeks the
/// pump's timeline to the step's start; a moment not on the pump's timeline (before a branch) and a
/// step played again from the past are rebuilt headless with <see cref="LessonRun.OnTimeline"/> and
/// replace the pump's timeline. Predictions collect one answer per viewer per question. Not guarded:
/// pages reach it through <see cref="LessonPlayer"/>, which checks the right to control.
/// </summary>
public sealed class LessonSession
{
    private static readonly ConditionalWeakTable<ClusterPump, LessonSession> Sessions = new();

    /// <summary>How fast a lesson runs when it opens (simulated seconds per wall second); the speed control changes it.</summary>
    public const double LessonSpeed = 0.25;
    /// <summary>The most viewers whose answers one question keeps.</summary>
    public const int MaxAnswers = 2000;
    /// <summary>Answer attempts one viewer may make within <see cref="AnswerWindow"/>.</summary>
    public const int MaxAttemptsPerWindow = 6;
    public static readonly TimeSpan AnswerWindow = TimeSpan.FromSeconds(10);
    /// <summary>The most cards a lecturer may add to one recording.</summary>
    public const int MaxCards = 50;

    /// <summary>Held by every change of the lesson, also while it calls into the pump (which publishes to every page).</summary>
    private readonly object _gate = new();
    /// <summary>
    /// Guards the answers and the cards alone, held only for a moment and never while calling out. Pages read
    /// them while they render, and Blazor renders an idle page on the thread that notifies it: the pump's, in
    /// the middle of a publish. Had they waited for <see cref="_gate"/>, a press holding it while its own publish
    /// waited for that one would never finish, nor would the room's pump (a room's lost "Skip ahead").
    /// </summary>
    private readonly object _readGate = new();
    private readonly Dictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<long>> _attempts = new(StringComparer.Ordinal);
    private readonly List<LessonCard> _cards = new();
    /// <summary>When each step began on the pump's timeline (of <see cref="_generation"/>), for Back.</summary>
    private readonly Dictionary<int, TimeSpan> _starts = new();
    private readonly TimeProvider _time;
    private long _generation = -1;
    /// <summary>The step whose start the pump's head is at, live, with nothing applied yet; null when unknown.</summary>
    private int? _headAtStartOf;
    /// <summary>The head's step and clock when it was left at <see cref="_headAtStartOf"/>: if it ran on since (Play pressed), the step is rebuilt.</summary>
    private (long Steps, TimeSpan Now) _headLeftAt;
    private int _nextRecorded;
    private StepDrive? _drive;

    private LessonSession(ClusterPump pump, TimeProvider? time)
    {
        Pump = pump;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The lesson session of <paramref name="pump"/> (one per pump, made on first use).</summary>
    public static LessonSession For(ClusterPump pump, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(pump);
        return Sessions.GetValue(pump, p => new LessonSession(p, time));
    }

    public ClusterPump Pump { get; }
    public Lesson? Lesson { get; private set; }
    /// <summary>The step shown (0-based).</summary>
    public int Index { get; private set; }
    public LessonPhase Phase { get; private set; }
    public LessonStep? Step => Lesson is { } l && Index < l.Steps.Count ? l.Steps[Index] : null;
    public bool IsLast => Lesson is { } l && Index == l.Steps.Count - 1;
    /// <summary>The last step has run.</summary>
    public bool IsOver => IsLast && Phase == LessonPhase.Reached;
    /// <summary>How the step shown went, once it ran.</summary>
    public StepOutcome? Outcome { get; private set; }
    /// <summary>Counts every time a question is put (again, after Back): answers belong to one asking.</summary>
    public int Ask { get; private set; }
    /// <summary>Why the last request was refused or failed, for the presenter; null when fine.</summary>
    public string? Problem { get; private set; }
    /// <summary>What to draw attention to now: the step's highlight, while a lesson plays.</summary>
    public LessonHighlight? Highlight => Phase == LessonPhase.None ? null : Step?.Highlight;

    /// <summary>Raised (off the UI thread) whenever anything above changes.</summary>
    public event Action? Changed;

    /// <summary>How many answered each choice of the question shown.</summary>
    public IReadOnlyList<int> Tally
    {
        get
        {
            var counts = new int[Step?.Predict?.Choices.Count ?? 0];
            lock (_readGate)
            {
                foreach (var choice in _answers.Values)
                    if (choice < counts.Length) counts[choice]++;
                return counts;
            }
        }
    }

    /// <summary>The answer <paramref name="viewer"/> gave to the question shown, if any.</summary>
    public int? AnswerOf(string viewer)
    {
        lock (_readGate) return _answers.TryGetValue(viewer, out var c) ? c : null;
    }

    public IReadOnlyList<LessonCard> Cards
    {
        get { lock (_readGate) return _cards.ToArray(); }
    }

    // Playing.

    /// <summary>Starts <paramref name="lesson"/> from its beginning on the pump: a new run of its scenario, at lesson speed.</summary>
    public void Open(Lesson lesson)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        lock (_gate)
        {
            Lesson = lesson;
            Problem = null;
            Pump.SetSpeed(LessonSpeed);
            Rebuild(0);
            Enter(0, play: true);
        }
        Notify();
    }

    /// <summary>The same lesson from its first step again.</summary>
    public void Restart()
    {
        if (Lesson is { } lesson) Open(lesson);
    }

    /// <summary>
    /// Next: plays a step that waits; skips a running step to its end at once; after a step that
    /// ran, shows the next one (which plays, or asks first). A question must be answered first.
    /// </summary>
    public void Next()
    {
        int index;
        LessonPhase phase;
        lock (_gate) (index, phase) = (Index, Phase);
        Next(index, phase);
    }

    /// <summary>
    /// Next as pressed on step <paramref name="step"/> (0-based) while it showed <paramref name="phase"/>:
    /// it acts only if the lesson still stands there, so one press moves the lesson once. A press on
    /// "Skip ahead" that arrives after the step reached its end by itself, or a second press sent before
    /// the page redrew, changes nothing rather than moving on a step the presenter did not see.
    /// </summary>
    public void Next(int step, LessonPhase phase)
    {
        lock (_gate)
        {
            if (step != Index || phase != Phase) return;
            switch (Phase)
            {
                case LessonPhase.Waiting:
                    Play();
                    break;
                case LessonPhase.Running:
                    Pump.FinishDrive(); // its callback marks the step reached, on this thread
                    break;
                case LessonPhase.Reached when !IsLast:
                    Enter(Index + 1, play: true);
                    break;
            }
        }
        Notify();
    }

    /// <summary>Runs the question's step (the presenter reveals; a student alone reveals by answering).</summary>
    public void Reveal()
    {
        lock (_gate)
        {
            if (Phase == LessonPhase.Asking) Play();
        }
        Notify();
    }

    /// <summary>Back one step: the cluster rewinds to the previous step's start, which is shown again, unplayed (the first step: to its own start).</summary>
    public void Back()
    {
        lock (_gate)
        {
            if (Lesson is null) return;
            if (Index == 0 && Phase is LessonPhase.Waiting or LessonPhase.Asking) return; // already at the very start
            var target = Math.Max(0, Index - 1); // the first step rewinds to its own start
            StopDrive();
            if (Pump.Generation == _generation && _starts.TryGetValue(target, out var start))
            {
                Pump.Pause();
                Pump.SeekTime(start);
                _headAtStartOf = null; // the head is further on; playing from here rebuilds
            }
            else Rebuild(target);
            Enter(target, play: false);
        }
        Notify();
    }

    /// <summary>Leaves the lesson and keeps the cluster, running, to play with freely.</summary>
    public void Explore()
    {
        lock (_gate)
        {
            if (Lesson is null) return;
            StopDrive();
            if (!Pump.IsLive && Phase is LessonPhase.Waiting or LessonPhase.Asking) Rebuild(Index); // play on from the moment shown
            Lesson = null;
            Phase = LessonPhase.None;
            Outcome = null;
            lock (_readGate) _answers.Clear();
            Pump.Resume();
        }
        Notify();
    }

    /// <summary>
    /// Records <paramref name="viewer"/>'s answer to the question shown: one per viewer per asking, a
    /// choice that exists, and a few attempts per viewer every <see cref="AnswerWindow"/>. Null when taken, else why not.
    /// </summary>
    public string? Answer(string viewer, int ask, int choice)
    {
        ArgumentException.ThrowIfNullOrEmpty(viewer);
        lock (_gate)
        {
            if (!Attempt(viewer)) return "Too many answers at once; wait a few seconds.";
            if (Step?.Predict is not { } predict || Phase is LessonPhase.None or LessonPhase.Waiting) return "There is no question to answer now.";
            if (ask != Ask) return "That question is no longer asked.";
            if (Phase != LessonPhase.Asking) return "The answer has been revealed; answers are closed.";
            if (choice < 0 || choice >= predict.Choices.Count) return $"Pick one of the {predict.Choices.Count} answers.";
            lock (_readGate)
            {
                if (_answers.ContainsKey(viewer)) return "You have already answered this question.";
                if (_answers.Count >= MaxAnswers) return "This question has all the answers it can count.";
                _answers[viewer] = choice;
            }
        }
        Notify();
        return null;
    }

    private bool Attempt(string viewer)
    {
        var now = _time.GetTimestamp();
        if (!_attempts.TryGetValue(viewer, out var times))
        {
            if (_attempts.Count > MaxAnswers * 2) _attempts.Clear();
            _attempts[viewer] = times = new Queue<long>();
        }
        while (times.Count > 0 && _time.GetElapsedTime(times.Peek(), now) > AnswerWindow) times.Dequeue();
        if (times.Count >= MaxAttemptsPerWindow) return false;
        times.Enqueue(now);
        return true;
    }

    // A lecturer's own lesson.

    /// <summary>Adds a card at <paramref name="card"/>'s moment; null when added, else why not.</summary>
    public string? AddCard(LessonCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        lock (_readGate)
        {
            if (_cards.Count >= MaxCards) return $"A recorded lesson holds at most {MaxCards} cards.";
            _cards.Add(card);
            _cards.Sort((a, b) => a.At.CompareTo(b.At));
        }
        Notify();
        return null;
    }

    public void RemoveCard(int index)
    {
        lock (_readGate)
        {
            if (index >= 0 && index < _cards.Count) _cards.RemoveAt(index);
        }
        Notify();
    }

    /// <summary>The lesson file of the pump's current run with the cards added, or null with why not.</summary>
    public string? SaveJson(string title, out string? problem)
    {
        var cards = Cards;
        if (cards.Count == 0)
        {
            problem = "Add a card first: pause where something happens and press \"Add card here\".";
            return null;
        }
        var run = Pump.ReadTimeline(t => t.Scenario);
        var lesson = LessonRecording.FromRun(string.IsNullOrWhiteSpace(title) ? "My lesson" : title.Trim(), run, cards);
        problem = LessonJson.Problem(lesson);
        return problem is null ? LessonJson.Serialize(lesson) : null;
    }

    /// <summary>Opens a lesson file; a bad one gets LessonJson's sentence and changes nothing.</summary>
    public string? OpenJson(string json, out Lesson? lesson)
    {
        try
        {
            lesson = LessonJson.Deserialize(json);
        }
        catch (JsonException e)
        {
            lesson = null;
            return e.Message;
        }
        Open(lesson);
        return null;
    }

    // Under _gate from here on.

    /// <summary>Shows step <paramref name="index"/> at its start: asks its question, plays it, or waits for Next.</summary>
    private void Enter(int index, bool play)
    {
        Index = index;
        Outcome = null;
        Problem = null;
        lock (_readGate) _answers.Clear();
        if (Step!.Predict is not null)
        {
            Ask++;
            Phase = LessonPhase.Asking;
        }
        else if (play) Play();
        else Phase = LessonPhase.Waiting;
    }

    /// <summary>Runs the step shown: its commands through the pump, then the pump drives it to its condition.</summary>
    private void Play()
    {
        var lesson = Lesson!;
        var step = lesson.Steps[Index];
        StepDrive drive;
        if (step.Branch is not null || _headAtStartOf != Index || Pump.Generation != _generation || !Pump.IsLive
            || Pump.Read(c => (c.Steps, c.Now)) != _headLeftAt)
        {
            // Rebuilt headless from the start (a branch's replay, or a step played again from the past): the same run, every moment seekable.
            var run = LessonRun.OnTimeline(lesson, ClusterPump.Kept).PlayTo(Index);
            drive = run.BeginNext(applyDo: false);
            Adopt(run, branched: step.Branch is not null);
        }
        else drive = Pump.ReadTimeline(t => new StepDrive(lesson, Index, LessonEngine.Of(t), _nextRecorded, applyDo: false));
        _headAtStartOf = null;
        _starts[Index] = drive.Context.StartedAt;
        foreach (var command in step.Do)
            if (Pump.Execute(command) is { Ok: false } refused) drive.Refused(command, refused);
        _drive = drive;
        Phase = LessonPhase.Running;
        Pump.Drive((timeline, budget) => drive.Advance(LessonEngine.Of(timeline), budget), ok => Finished(drive, ok));
    }

    /// <summary>On the pump's thread (or within <see cref="Next"/>): the step's drive ended.</summary>
    private void Finished(StepDrive drive, bool completed)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(drive, _drive)) return;
            _drive = null;
            if (!completed)
            {
                // Something else changed the run (a reset, a fork): the lesson waits at this step.
                Phase = LessonPhase.Waiting;
                _headAtStartOf = null;
            }
            else
            {
                Outcome = drive.Outcome;
                _nextRecorded = drive.NextRecorded;
                _headAtStartOf = Index + 1;
                _headLeftAt = Pump.Read(c => (c.Steps, c.Now));
                Phase = LessonPhase.Reached;
            }
        }
        Notify();
    }

    /// <summary>A fresh run of the lesson played headless up to step <paramref name="index"/>'s start, on the pump.</summary>
    private void Rebuild(int index)
    {
        StopDrive();
        var run = LessonRun.OnTimeline(Lesson!, ClusterPump.Kept).PlayTo(index);
        if (Lesson!.Steps[index].Branch is not null)
        {
            run.BeginNext(applyDo: false); // the start of a branch step is the branch's replayed moment
            Adopt(run, branched: true);
            _headAtStartOf = null; // playing it replays the branch again; the same moment
        }
        else Adopt(run, branched: false);
    }

    /// <summary>The pump takes the run's timeline over; a branched one replayed the earlier steps with other switches, at other moments, so their starts are unknown.</summary>
    private void Adopt(LessonRun run, bool branched)
    {
        Pump.Pause();
        Pump.Replace(run.Timeline!);
        _generation = Pump.Generation;
        _starts.Clear();
        if (!branched)
            for (var i = 0; i < run.Outcomes.Count; i++) _starts[i] = run.Outcomes[i].StartedAt;
        _nextRecorded = run.NextRecorded;
        _headAtStartOf = run.NextStep;
        _headLeftAt = (run.Cluster.Steps, run.Cluster.Now);
    }

    private void StopDrive()
    {
        _drive = null;
        Pump.StopDriving();
    }

    private void Notify() => Changed?.Invoke();
}
