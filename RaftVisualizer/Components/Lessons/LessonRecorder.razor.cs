using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using RaftVisualizer.Core.Lessons;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Lessons;

/// <summary>
/// "Add card here" at the moment the cluster shows, "Save as lesson" (a download of
/// <see cref="LessonRecording.FromRun"/> over this run, in <see cref="LessonJson"/>), and "Open lesson"
/// (a bad file gets LessonJson's sentence and changes nothing).
/// </summary>
public partial class LessonRecorder : IAsyncDisposable
{
    [Inject] private IJSRuntime JS { get; set; } = null!;

    private IJSObjectReference? _module;
    private LessonSession? _subscribed;
    private bool _adding;
    private string? _title, _narration, _question, _choices, _explanation, _lessonTitle;
    private int _answer = 1;
    private string? _message;
    private bool _problem;

    private LessonSession Session => Live.Lessons.Session;

    /// <summary>What it shows: the cards, the form, the message, and while a card is written the moment it is for.</summary>
    protected override object ChangeKey() => (Session.Cards.Count, _adding, _message, _adding ? Snapshot.Now : TimeSpan.Zero, Live.CanControl);

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        if (ReferenceEquals(_subscribed, Session)) return;
        if (_subscribed is not null) _subscribed.Changed -= OnChanged;
        _subscribed = Session;
        _subscribed.Changed += OnChanged;
    }

    private void OnChanged() => _ = InvokeAsync(() =>
    {
        Touch();
        StateHasChanged();
    });

    private void StartCard()
    {
        if (!Live.IsHeadPaused && Live.IsLive) Live.Pause(); // a card belongs to one moment: hold it still while writing
        _adding = true;
        _message = null;
    }

    private void SaveCard()
    {
        if (string.IsNullOrWhiteSpace(_title) || string.IsNullOrWhiteSpace(_narration))
        {
            Say("A card needs a title and a narration.", problem: true);
            return;
        }
        Prediction? predict = null;
        if (!string.IsNullOrWhiteSpace(_question))
        {
            var choices = (_choices ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (choices.Length is < 2 or > 4 || _answer < 1 || _answer > choices.Length)
            {
                Say("A question needs two to four answers, one a line, and the number of the right one.", problem: true);
                return;
            }
            predict = new Prediction(_question.Trim(), choices.Select(c => new PredictionChoice(c)).ToArray(), _answer - 1,
                string.IsNullOrWhiteSpace(_explanation) ? "" : _explanation.Trim());
        }
        var card = new LessonCard(Live.Snapshot.Now, _title.Trim(), _narration.Trim(), predict);
        if (Live.Lessons.AddCard(card) is { } refusal)
        {
            Say(refusal, problem: true);
            return;
        }
        _adding = false;
        _title = _narration = _question = _choices = _explanation = null;
        _answer = 1;
        Say($"Card \"{card.Title}\" added at {card.At.TotalSeconds:0.000} s.", problem: false);
    }

    private void Remove(int index) => Live.Lessons.RemoveCard(index);

    private async Task Save()
    {
        var json = Session.SaveJson(_lessonTitle ?? "", out var problem);
        if (json is null)
        {
            Say(problem!, problem: true);
            return;
        }
        var name = $"{Slug(_lessonTitle)}.lesson.json";
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/download.js");
            await _module.InvokeVoidAsync("save", name, json);
            Say($"Saved {name}: {Session.Cards.Count} cards.", problem: false);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task Open(InputFileChangeEventArgs e)
    {
        string text;
        try
        {
            await using var stream = e.File.OpenReadStream(LessonJson.MaxLength);
            using var reader = new StreamReader(stream);
            text = await reader.ReadToEndAsync();
        }
        catch (IOException)
        {
            Say($"{e.File.Name} is {e.File.Size / 1024.0:0} KB; a lesson file is at most {LessonJson.MaxLength / 1024} KB. Nothing was changed.", problem: true);
            return;
        }
        if (Live.Lessons.OpenJson(text) is { } problem)
        {
            Say($"{e.File.Name}: {problem} Nothing was changed.", problem: true);
            return;
        }
        Say($"Opened {e.File.Name}.", problem: false);
    }

    private static string Slug(string? title)
    {
        var slug = new string((title ?? "").ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return slug.Length == 0 ? "my-lesson" : slug.Length > 60 ? slug[..60] : slug;
    }

    private void Say(string message, bool problem)
    {
        _message = message;
        _problem = problem;
        Touch();
    }

    public async ValueTask DisposeAsync()
    {
        base.Dispose();
        if (_subscribed is not null) _subscribed.Changed -= OnChanged;
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
        GC.SuppressFinalize(this);
    }
}
