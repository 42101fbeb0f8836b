using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Lessons;

/// <summary>
/// The lesson player: step n of m, the narration, a question's choices (1–4), the feedback once the
/// step has run, and Back / Next / Restart / Explore for whoever controls the cluster. It follows the
/// lesson on the pump, so a room's viewers see the presenter's step; each of them answers for themselves.
/// </summary>
public partial class LessonPanel
{
    private LessonSession? _subscribed;
    private string? _message;

    private LessonPlayer Player => Live.Lessons;
    private LessonSession Session => Player.Session;

    /// <summary>What the panel shows: it renders when the lesson moves or an answer comes in, not at every publish of the pump.</summary>
    protected override object ChangeKey()
    {
        var s = Session;
        return (s.Lesson, s.Index, s.Phase, s.Ask, s.AnswerOf(Player.Viewer), string.Join(",", s.Tally), s.Outcome, _message, Live.CanControl);
    }

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        if (ReferenceEquals(_subscribed, Session)) return;
        if (_subscribed is not null) _subscribed.Changed -= OnChanged;
        _subscribed = Session;
        _subscribed.Changed += OnChanged;
    }

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    private bool CanPick => Session.Phase == LessonPhase.Asking && Session.AnswerOf(Player.Viewer) is null && !(Player.InRoom && Player.CanControl);

    private bool NextEnabled => Session.Phase switch
    {
        LessonPhase.Waiting or LessonPhase.Running => true,
        LessonPhase.Reached => !Session.IsLast,
        _ => false,
    };

    private string NextText => Session.Phase switch
    {
        LessonPhase.Waiting => "Play",
        LessonPhase.Running => "Skip ahead",
        LessonPhase.Reached when Session.IsLast => "Done",
        _ => "Next",
    };

    private string NextTitle => Session.Phase switch
    {
        LessonPhase.Asking => "Answer the question first (1–4)",
        LessonPhase.Running => "Run this step to its end at once (N)",
        LessonPhase.Waiting => "Play this step (N)",
        _ => "The next step (N)",
    };

    private string Status() => Session.Phase switch
    {
        LessonPhase.Waiting => Player.CanControl ? "Rewound to where this step begins. Press Play (N) to run it." : "Rewound to where this step begins.",
        LessonPhase.Asking => "The cluster waits for the answer.",
        LessonPhase.Running => $"Running{(Session.Step?.Until is { } until ? $" until {until}" : "")}…",
        LessonPhase.Reached when Session.Outcome is { Reached: false } => "The step's time ran out before its condition held.",
        LessonPhase.Reached when Session.IsLast => Player.CanControl ? "That was the last step. Restart, or explore this cluster on your own." : "That was the last step.",
        LessonPhase.Reached => Player.CanControl ? "Done. Press Next (N) for the next step." : "Done. The presenter moves on to the next step.",
        _ => "",
    };

    private string AskingHint(int? mine) =>
        mine is { } m ? $"You picked {m + 1}. {(Player.InRoom ? "The presenter reveals the answer when the room is ready." : "")}"
        : Player.InRoom && Player.CanControl ? "The room is answering on their screens; reveal when you are ready."
        : "Pick an answer (keys 1–4); then the cluster runs and shows who was right.";

    private static string Verdict(int? mine, Prediction predict) =>
        mine is null ? $"The answer: {predict.Choices[predict.Answer].Text}."
        : mine == predict.Answer ? "Right."
        : $"Not quite: it is \"{predict.Choices[predict.Answer].Text}\".";

    /// <summary>Picks an answer (also from keys 1–4, through the workbench).</summary>
    public void Pick(int choice)
    {
        if (Session.Step?.Predict is null) return;
        _message = Player.Pick(choice);
        Touch();
        StateHasChanged();
    }

    /// <summary>The step and phase the panel last drew: what a press of Next (or the N key) was made on.</summary>
    private (int Step, LessonPhase Phase) _shown;

    /// <summary>Next (the N key): for the step and phase last drawn, so a press moves the lesson at most once.</summary>
    public void Next() => Next(_shown.Step, _shown.Phase);

    private void Next(int step, LessonPhase phase)
    {
        if (Session.Lesson is not null) Say(Player.Next(step, phase));
    }

    public void Back()
    {
        if (Session.Lesson is not null) Say(Player.Back());
    }
    private void Reveal() => Say(Player.Reveal());
    private void Restart() => Say(Player.Restart());
    private void Explore() => Say(Player.Explore());

    private void Say(RaftVisualizer.Core.ActionResult result)
    {
        _message = result.Ok ? null : result.Message;
        Touch();
        StateHasChanged();
    }

    public override void Dispose()
    {
        if (_subscribed is not null) _subscribed.Changed -= OnChanged;
        base.Dispose();
    }
}
