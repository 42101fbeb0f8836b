using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Frames;
using RaftVisualizer.Core.Scenarios;

namespace RaftVisualizer.Core.Time;

/// <summary>
/// The state layer between the simulation and every view: it owns the live cluster (the head),
/// the recorded commands, and keyframes (clones of the head taken every so many steps), and it
/// rebuilds any earlier moment as an immutable frame. Seeking clones the nearest keyframe at or
/// before the target and re-simulates to it, applying the recorded commands at their steps; the
/// simulation is deterministic, so the frame is exactly what the head showed then. Acting with
/// the cursor in the past forks: the commands are cut at the cursor, the new one appended, and
/// the abandoned future is kept as a <see cref="Branch"/>. Like a cluster it is not thread-safe:
/// one pump owns it.
/// </summary>
public sealed class Timeline
{
    private readonly TimelineOptions _options;
    private readonly List<Branch> _branches = new();
    private List<Cluster> _keyframes = new();
    private long _keyframeEvery;
    /// <summary>The cluster the last seek built, at <see cref="_scratchStep"/>; continued when the next seek is later.</summary>
    private Cluster? _scratch;
    private bool _scratchClockMoved;
    private ClusterFrame? _frame;

    public Timeline(ClusterOptions options, TimelineOptions? timeline = null)
        : this(new Cluster(options), timeline)
    {
    }

    private Timeline(Cluster head, TimelineOptions? timeline)
    {
        _options = timeline ?? TimelineOptions.Default;
        if (_options.Validate() is { } problem) throw new ArgumentException(problem, nameof(timeline));
        Head = head;
        _keyframeEvery = _options.KeyframeEvery;
        _keyframes.Add(Head.Clone(keepEvents: 0));
    }

    /// <summary>
    /// A timeline that starts at <paramref name="head"/>'s moment (a room's head cloned for a fork, say):
    /// it owns the cluster from now on, and its earliest moment is <see cref="StartStep"/>; its
    /// <see cref="Scenario"/> still holds every command since step 0, so an export replays the whole run.
    /// </summary>
    public static Timeline StartingFrom(Cluster head, TimelineOptions? timeline = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new Timeline(head, timeline);
    }

    /// <summary>
    /// Re-simulates <paramref name="scenario"/> from step 0, taking keyframes on the way, and then runs
    /// the head on to <paramref name="until"/> if that is later: an imported file or a share link, every moment seekable.
    /// </summary>
    /// <param name="observe">Told each event the head raises on the way, with the step it happened in (a page builds its markers from them).</param>
    public static Timeline Replay(Scenario scenario, TimeSpan? until = null, TimelineOptions? timeline = null, Action<long, ClusterEvent>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var t = new Timeline(scenario.Options, timeline);
        void Observe(ClusterEvent e) => observe!(t.Head.Steps, e);
        if (observe is not null) t.Head.EventRaised += Observe;
        try
        {
            t.ReplayCommands(scenario, until);
        }
        finally
        {
            if (observe is not null) t.Head.EventRaised -= Observe;
        }
        return t;
    }

    private void ReplayCommands(Scenario scenario, TimeSpan? until)
    {
        var t = this;
        for (var i = 0; i < scenario.Commands.Count; i++)
        {
            var command = scenario.Commands[i];
            if (i > 0 && (command.Step < scenario.Commands[i - 1].Step || command.At < scenario.Commands[i - 1].At))
                throw new ArgumentException($"Command {i + 1} of the scenario comes before the one ahead of it.", nameof(scenario));
            while (t.HeadStep < command.Step && t.Step())
            {
                // Step S happens no later than the time recorded with a command after it: passing that time means the file does not fit this simulation.
                if (t.HeadTime > command.At)
                    throw new ArgumentException($"Command {i + 1} of the scenario ({command}) does not fit this simulation: step {command.Step} comes after {command.At.TotalMilliseconds:0.###} ms here.", nameof(scenario));
            }
            t.Head.StepTo(command);
        }
        if (until is { } end && end > t.HeadTime) t.Advance(end - t.HeadTime);
    }

    /// <summary>The live cluster. Act on it through <see cref="Execute(ClusterCommand, Action{ClusterEvent}?)"/> so the timeline can fork; advance it through <see cref="Advance"/> or <see cref="Step"/> so keyframes are taken.</summary>
    public Cluster Head { get; private set; }
    public ClusterOptions Options => Head.Options;
    public long HeadStep => Head.Steps;
    public TimeSpan HeadTime => Head.Now;
    /// <summary>The step the views are looking at, or null when they follow the head (live).</summary>
    public long? Cursor { get; private set; }
    public bool IsLive => Cursor is null;
    /// <summary>The frame at the cursor, or a fresh frame of the head when live.</summary>
    public ClusterFrame Frame => IsLive ? Head.Frame() : _frame!;
    /// <summary>Every command of this branch, in order, each with its step and time.</summary>
    public IReadOnlyList<TimedCommand> Commands => Head.RecordedCommands;
    public Scenario Scenario => Head.Scenario;
    /// <summary>Abandoned futures, oldest first.</summary>
    public IReadOnlyList<Branch> Branches => _branches;
    /// <summary>The steps at which keyframes are kept, oldest first (the first is 0).</summary>
    public IReadOnlyList<long> KeyframeSteps => _keyframes.Select(k => k.Steps).ToArray();
    /// <summary>The earliest moment a seek reaches: step 0, or the moment a timeline <see cref="StartingFrom"/> a cluster began.</summary>
    public long StartStep => _keyframes[0].Steps;
    public TimeSpan StartTime => _keyframes[0].Now;
    /// <summary>The spacing of new keyframes in steps; it doubles whenever old ones are thinned.</summary>
    public long KeyframeEvery => _keyframeEvery;

    /// <summary>Moves the head on by <paramref name="duration"/> of simulated time, taking keyframes on the way. The cursor stays where it is.</summary>
    public void Advance(TimeSpan duration)
    {
        var until = Head.Now + duration;
        while (Head.NextEventAt is { } at && at <= until) Step();
        Head.RunTo(until);
    }

    /// <summary>Processes the head's next event; false when nothing is queued.</summary>
    public bool Step()
    {
        if (!Head.Step()) return false;
        if (Head.Steps - _keyframes[^1].Steps >= _keyframeEvery) TakeKeyframe();
        return true;
    }

    /// <summary>
    /// Carries out <paramref name="command"/>: on the head when live; otherwise at the cursor, which
    /// forks (the commands after the cursor are kept as a branch, the new head is the cursor's moment
    /// with this command applied, and the cursor goes live). A refused command changes nothing.
    /// </summary>
    /// <param name="observeFork">Told each event the command raises on the cursor's moment, before that moment becomes the head (a pump feeds them to its pages); not called when live.</param>
    public ActionResult Execute(ClusterCommand command, Action<ClusterEvent>? observeFork = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Run(command.Apply, observeFork).Result;
    }

    /// <summary>
    /// As <see cref="Execute(ClusterCommand, Action{ClusterEvent}?)"/> for a client operation, handing back the
    /// operation so the caller can wait for its answer: it lives on the head afterwards, or (when the
    /// cursor was in the past and the input was rejected, so nothing forked) it is the rejected one, already answered.
    /// </summary>
    public ClientOperation Submit(ClusterCommand.Submit command, Action<ClusterEvent>? observeFork = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (result, ranOn) = Run(command.Apply, observeFork);
        return Operation(ranOn, result.OperationId!.Value)!;
    }

    /// <summary>The operation <paramref name="id"/> of <paramref name="cluster"/>'s client history (sorted by id), or null once trimmed away.</summary>
    internal static ClientOperation? Operation(Cluster cluster, long id)
    {
        var history = cluster.History;
        int lo = 0, hi = history.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (history[mid].Id == id) return history[mid];
            if (history[mid].Id < id) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }

    /// <summary>
    /// As <see cref="Execute(ClusterCommand, Action{ClusterEvent}?)"/> for an action that calls the cluster's own
    /// recorded methods (the lessons replaying a <see cref="TimedCommand"/> with <see cref="Cluster.StepTo"/>):
    /// in the past it runs on the cursor's moment, and forks only if it succeeded and recorded a command.
    /// Views never call this: they send a <see cref="ClusterCommand"/>.
    /// </summary>
    internal ActionResult Execute(Func<Cluster, ActionResult> action) => Run(action, null).Result;

    private (ActionResult Result, Cluster RanOn) Run(Func<Cluster, ActionResult> action, Action<ClusterEvent>? observeFork)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Cursor is not { } at) return (action(Head), Head);

        var fork = StateAt(at).Clone();
        var before = fork.RecordedCommands.Count;
        ActionResult result;
        if (observeFork is not null) fork.EventRaised += observeFork;
        try
        {
            result = action(fork);
        }
        finally
        {
            if (observeFork is not null) fork.EventRaised -= observeFork;
        }
        if (!result.Ok || fork.RecordedCommands.Count == before) return (result, fork);
        var kept = _keyframes.Where(k => k.Steps <= at && k.RecordedCommands.Count <= before).ToList();
        _branches.Add(new Branch(Head, _keyframes, _keyframeEvery, at));
        if (_branches.Count > _options.MaxBranches) _branches.RemoveAt(0);
        Head = fork;
        _keyframes = kept;
        ForgetScratch();
        Cursor = null;
        return (result, fork);
    }

    /// <summary>Goes back to an abandoned branch exactly as it was left; the branch left now is kept in its place.</summary>
    public void SwitchTo(Branch branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        var index = _branches.IndexOf(branch);
        if (index < 0) throw new ArgumentException("The branch is not one of this timeline's.", nameof(branch));
        _branches[index] = new Branch(Head, _keyframes, _keyframeEvery, branch.ForkedAtStep);
        Head = branch.Head;
        _keyframes = branch.Keyframes;
        _keyframeEvery = branch.KeyframeEvery;
        ForgetScratch();
        Cursor = null;
    }

    /// <summary>
    /// The moment right after the head's step <paramref name="step"/> and the commands applied
    /// there (clamped to 0 … <see cref="HeadStep"/>). Moves the cursor there.
    /// </summary>
    public ClusterFrame SeekStep(long step)
    {
        var target = Math.Clamp(step, StartStep, HeadStep);
        var state = StateAt(target);
        Cursor = state.Steps;
        return _frame = state.Frame();
    }

    /// <summary>
    /// The moment at simulated time <paramref name="time"/> (clamped to 0 … <see cref="HeadTime"/>):
    /// every event and command up to it, the clock at it. Moves the cursor to the step reached.
    /// </summary>
    public ClusterFrame SeekTime(TimeSpan time)
    {
        var state = StateAtTime(time);
        Cursor = state.Steps;
        return _frame = state.Frame();
    }

    /// <summary>The frame right after step <paramref name="step"/> (clamped), without moving the cursor: a second viewer scrubbing on their own.</summary>
    public ClusterFrame FrameAtStep(long step) => StateAt(Math.Clamp(step, StartStep, HeadStep)).Frame();

    /// <summary>The frame at simulated time <paramref name="time"/> (clamped), without moving the cursor.</summary>
    public ClusterFrame FrameAtTime(TimeSpan time) => StateAtTime(time).Frame();

    private Cluster StateAtTime(TimeSpan time)
    {
        var target = time < StartTime ? StartTime : time > HeadTime ? HeadTime : time;
        var keyframe = _keyframes[LastIndex(k => k.Now <= target)];
        var state = _scratch is { } s && !_scratchClockMoved && s.Now <= target && s.Steps >= keyframe.Steps ? s : keyframe.Clone(0);
        var commands = Commands;
        var next = state.RecordedCommands.Count;
        while (true)
        {
            while (next < commands.Count && commands[next].Step == state.Steps && commands[next].At <= target) state.StepTo(commands[next++]);
            if (next < commands.Count && commands[next].Step == state.Steps) break; // its command comes after the target, and so does every later event
            if (state.NextEventAt is not { } at || at > target || state.Steps >= HeadStep) break;
            state.Step();
        }
        state.RunTo(target);
        (_scratch, _scratchClockMoved) = (state, true);
        return state;
    }

    /// <summary>
    /// The events of a window of this branch, for views that draw a stretch of time (the space-time diagram)
    /// beyond what the head still records: a clone of the nearest keyframe at or before
    /// <paramref name="from"/> − <paramref name="lookback"/> is re-simulated with the recorded commands to
    /// <paramref name="to"/> (clamped to the run), collecting the events from <paramref name="from"/> − <paramref name="lookback"/>
    /// on, at most <paramref name="maxEvents"/> of them, and the frame and learners at <paramref name="from"/>.
    /// The head, the cursor and the seek scratch are untouched; the clock of the clone is never moved by
    /// hand, so the events are exactly those the head raised.
    /// </summary>
    public TimelineWindow ReplayWindow(TimeSpan from, TimeSpan to, TimeSpan lookback, int maxEvents = 100_000)
    {
        to = to > HeadTime ? HeadTime : to;
        from = from > to ? to : from;
        var collectFrom = from - lookback;
        var state = _keyframes[LastIndex(k => k.Now <= collectFrom)].Clone(0);
        var events = new List<ClusterEvent>();
        void Collect(ClusterEvent e)
        {
            if (e.Time >= collectFrom && events.Count < maxEvents) events.Add(e);
        }
        ClusterFrame? start = null;
        IReadOnlyList<NodeId> learners = [];
        void Capture()
        {
            if (start is not null) return;
            start = state.Frame();
            learners = state.Configuration.Learners;
        }

        var commands = Commands;
        var next = state.RecordedCommands.Count;
        state.EventRaised += Collect;
        try
        {
            while (events.Count < maxEvents)
            {
                var held = false;
                while (next < commands.Count && commands[next].Step == state.Steps)
                {
                    if (commands[next].At > from) Capture();
                    if (commands[next].At > to)
                    {
                        held = true;
                        break;
                    }
                    state.StepTo(commands[next++]);
                }
                if (held) break;
                var at = state.NextEventAt;
                if (at is null || at > from || state.Steps >= HeadStep) Capture();
                if (at is null || at > to || state.Steps >= HeadStep) break;
                state.Step();
            }
        }
        finally
        {
            state.EventRaised -= Collect;
        }
        Capture();
        return new TimelineWindow(start!, learners, events);
    }

    /// <summary>One step back from the cursor (or from the head when live).</summary>
    public ClusterFrame StepBack() => SeekStep((Cursor ?? HeadStep) - 1);

    /// <summary>One step forward from the cursor; reaching the head goes live.</summary>
    public ClusterFrame StepForward()
    {
        if (Cursor is not { } at || at + 1 >= HeadStep) return Live();
        return SeekStep(at + 1);
    }

    /// <summary>Returns the cursor to the head.</summary>
    public ClusterFrame Live()
    {
        Cursor = null;
        _frame = null;
        return Head.Frame();
    }

    /// <summary>A cluster right after step <paramref name="target"/> and its commands: the last seek's, continued, or a keyframe's clone re-simulated.</summary>
    private Cluster StateAt(long target)
    {
        var keyframe = _keyframes[LastIndex(k => k.Steps <= target)];
        var state = _scratch is { } s && !_scratchClockMoved && s.Steps <= target && s.Steps >= keyframe.Steps ? s : keyframe.Clone(0);
        var commands = Commands;
        var next = state.RecordedCommands.Count;
        while (true)
        {
            while (next < commands.Count && commands[next].Step == state.Steps) state.StepTo(commands[next++]);
            if (state.Steps >= target || !state.Step()) break;
        }
        (_scratch, _scratchClockMoved) = (state, false);
        return state;
    }

    private void TakeKeyframe()
    {
        _keyframes.Add(Head.Clone(keepEvents: 0));
        // Thin while over the count or the byte budget: keep the first and every other one after it, and space new ones twice as far apart.
        while (_keyframes.Count > 2 && (_keyframes.Count > _options.MaxKeyframes || KeyframeBytes > _options.MaxKeyframeBytes))
        {
            _keyframes = _keyframes.Where((_, i) => i % 2 == 0).ToList();
            _keyframeEvery *= 2;
        }
        if (_options.MaxCommands > 0 && Commands.Count > _options.MaxCommands) Rebase();
    }

    /// <summary>
    /// Makes the oldest keyframe that leaves at most <see cref="TimelineOptions.MaxCommands"/> commands after it
    /// (or else the newest) this branch's start: every earlier keyframe goes, and the head and the kept keyframes
    /// forget the commands before it alike (a seek indexes the head's commands by a keyframe's count).
    /// </summary>
    private void Rebase()
    {
        var start = _keyframes.FindIndex(k => Commands.Count - k.RecordedCommands.Count <= _options.MaxCommands);
        if (start < 0) start = _keyframes.Count - 1;
        var forget = _keyframes[start].RecordedCommands.Count;
        if (forget == 0) return;
        _keyframes.RemoveRange(0, start);
        foreach (var keyframe in _keyframes) keyframe.ForgetCommands(forget);
        Head.ForgetCommands(forget);
        ForgetScratch();
        if (Cursor is { } at && at < StartStep) Cursor = StartStep; // the moment shown is gone: show the earliest one kept
        if (Cursor is { } still) _frame = StateAt(still).Frame();
    }

    /// <summary>
    /// Why this run cannot be exported or shared as a scenario, or null when it can: a scenario replays from the
    /// cluster's options, which no longer works once the first commands were forgotten (<see cref="TimelineOptions.MaxCommands"/>).
    /// </summary>
    public string? ExportProblem => Head.CommandsForgotten > 0
        ? $"This run is too long to save: its first {Head.CommandsForgotten:N0} actions were dropped to bound the memory it uses. " +
          $"It can be scrubbed back to {StartTime.TotalSeconds:0.#} s, but no file or link can replay it from the start."
        : null;

    /// <summary>What the keyframes keep alive beyond the head, estimated (<see cref="KeyframeSize.Estimate"/>); kept under <see cref="TimelineOptions.MaxKeyframeBytes"/> whenever a keyframe is taken.</summary>
    public long KeyframeBytes => _keyframes.Sum(k => KeyframeSize.Estimate(k, Head));

    /// <summary>The keyframes' byte budget this timeline keeps to.</summary>
    public long MaxKeyframeBytes => _options.MaxKeyframeBytes;

    private void ForgetScratch()
    {
        _scratch = null;
        _frame = null;
    }

    /// <summary>The index of the last keyframe that satisfies <paramref name="fits"/> (keyframes are in time order; the first always fits).</summary>
    private int LastIndex(Func<Cluster, bool> fits)
    {
        int lo = 0, hi = _keyframes.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (fits(_keyframes[mid])) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
