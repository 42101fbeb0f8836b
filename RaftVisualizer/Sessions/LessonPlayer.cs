using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;

namespace RaftVisualizer.Sessions;

/// <summary>
/// One page's guarded way into the lesson on its pump (<see cref="LessonSession"/>): playing, moving
/// between steps and recording change the shared cluster, so they need the right to control, checked
/// here on the server. Answering a question does not: any viewer may answer (once per question).
/// </summary>
public sealed class LessonPlayer(LiveCluster live)
{
    public LessonSession Session => LessonSession.For(live.Pump);
    /// <summary>Who this page is when it answers.</summary>
    public string Viewer => live.ViewerId;
    public bool CanControl => live.CanControl;
    /// <summary>In a room each viewer answers and the presenter reveals; alone, answering reveals.</summary>
    public bool InRoom => live.InRoom;

    public ActionResult Open(Lesson lesson) => Control(() => Session.Open(lesson), $"Lesson \"{lesson.Title}\" opened.");
    public ActionResult Next() => Control(Session.Next, "Next.");
    /// <summary>Next as pressed on step <paramref name="step"/> while it showed <paramref name="phase"/>: moves the lesson at most once (see <see cref="LessonSession.Next(int, LessonPhase)"/>).</summary>
    public ActionResult Next(int step, LessonPhase phase) => Control(() => Session.Next(step, phase), "Next.");
    public ActionResult Back() => Control(Session.Back, "Back.");
    public ActionResult Restart() => Control(Session.Restart, "From the start.");
    public ActionResult Explore() => Control(Session.Explore, "The cluster is yours: play freely.");
    public ActionResult Reveal() => Control(Session.Reveal, "Revealed.");

    /// <summary>This page's answer (keys 1–4): alone it also runs the step; a room's presenter reveals instead. Null when taken, else why not.</summary>
    public string? Pick(int choice)
    {
        var session = Session;
        if (InRoom && CanControl) return "As the presenter you reveal the answer once the room has answered.";
        var refusal = session.Answer(Viewer, session.Ask, choice);
        if (refusal is null && !InRoom && CanControl) session.Reveal();
        return refusal;
    }

    public string? AddCard(LessonCard card) => CanControl ? Session.AddCard(card) : LiveCluster.WatchOnly;

    public ActionResult RemoveCard(int index) => Control(() => Session.RemoveCard(index), "Card removed.");

    /// <summary>Opens a lesson file; a bad one gets one sentence and changes nothing.</summary>
    public string? OpenJson(string json) => CanControl ? Session.OpenJson(json, out _) : LiveCluster.WatchOnly;

    private ActionResult Control(Action change, string done)
    {
        if (!CanControl) return ActionResult.Refused(LiveCluster.WatchOnly);
        change();
        return ActionResult.Done(done);
    }
}
