using System.Reflection;
using System.Text.Json;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Time;

namespace RaftVisualizer.Core.Lessons;

/// <summary>
/// Reads and writes lesson files (docs/lesson-format.md): the scenario format's options and
/// commands plus an id, a title, a group and the steps. A bad file gets one clear sentence.
/// </summary>
public static class LessonJson
{
    public const string Format = "raftvis-lesson";
    public const int Version = 1;
    /// <summary>The largest lesson file read (a lesson is a few kilobytes).</summary>
    public const int MaxLength = 256 * 1024;

    private sealed record LessonFile(string? Format, int Version, string Id, string Title, string Summary, string Group,
        ClusterOptions? Options, IReadOnlyList<ClusterCommand>? Setup, IReadOnlyList<LessonStep>? Steps, IReadOnlyList<TimedCommand>? Recorded = null);

    public static string Serialize(Lesson lesson) => JsonSerializer.Serialize(
        new LessonFile(Format, Version, lesson.Id, lesson.Title, lesson.Summary, lesson.Group, lesson.Options, lesson.Setup, lesson.Steps,
            lesson.Recorded.Count > 0 ? lesson.Recorded : null),
        ScenarioJson.Options);

    /// <summary>Reads a lesson; throws <see cref="JsonException"/> with a sentence a lecturer can act on when the text is not one.</summary>
    public static Lesson Deserialize(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new JsonException("The lesson file is empty.");
        if (json.Length > MaxLength) throw new JsonException($"The lesson file is {json.Length / 1024} KB; a lesson is at most {MaxLength / 1024} KB.");
        LessonFile? file;
        try { file = JsonSerializer.Deserialize<LessonFile>(json, ScenarioJson.Options); }
        catch (JsonException e) { throw new JsonException($"This is not a lesson file: {e.Message}", e); }
        catch (NotSupportedException e) { throw new JsonException($"This is not a lesson file: {e.Message}", e); }
        if (file is null || file.Format != Format) throw new JsonException($"This is not a lesson file (it has no \"format\": \"{Format}\").");
        if (file.Version != Version) throw new JsonException($"This lesson file is version {file.Version}; this app reads version {Version}.");
        if (file.Options?.Validate() is { } bad) throw new JsonException($"The lesson's options are invalid: {bad}");
        var lesson = new Lesson(file.Id ?? "", file.Title ?? "", file.Summary ?? "", file.Group ?? "", file.Options ?? ClusterOptions.Default,
            file.Setup?.ToArray() ?? [], file.Steps?.ToArray() ?? [])
        {
            Recorded = file.Recorded?.ToArray() ?? [],
        };
        if (Problem(lesson) is { } problem) throw new JsonException(problem);
        return lesson;
    }

    /// <summary>What makes a lesson unplayable, in one sentence; null when it is fine.</summary>
    public static string? Problem(Lesson lesson)
    {
        if (string.IsNullOrWhiteSpace(lesson.Id) || string.IsNullOrWhiteSpace(lesson.Title)) return "A lesson needs an id and a title.";
        if (lesson.Steps.Count == 0) return $"Lesson \"{lesson.Title}\" has no steps.";
        for (var i = 0; i < lesson.Steps.Count; i++)
        {
            var step = lesson.Steps[i];
            var name = $"Step {i + 1} of \"{lesson.Title}\"";
            if (step is null) return $"{name} is empty.";
            if (string.IsNullOrWhiteSpace(step.Title) || string.IsNullOrWhiteSpace(step.Narration)) return $"{name} needs a title and a narration.";
            if (step.TimeoutMs is <= 0 or > 600_000 || step.RunMs is < 0 or > 600_000) return $"{name} runs for a time that is not between 0 and 10 minutes.";
            if (step.Predict is { } p && (p.Choices is null || p.Choices.Count is < 2 or > 4 || p.Answer < 0 || p.Answer >= p.Choices.Count))
                return $"{name} asks a question that needs two to four choices and an answer among them.";
            if (step.Branch is { } b && (b.FromStep < 0 || b.FromStep >= i)) return $"{name} branches back to a step that does not come before it.";
        }
        for (var i = 1; i < lesson.Recorded.Count; i++)
            if (lesson.Recorded[i] is null || lesson.Recorded[i - 1] is null || lesson.Recorded[i].Step < lesson.Recorded[i - 1].Step)
                return $"The recorded commands of \"{lesson.Title}\" are not in the order of their steps.";
        return null;
    }
}

/// <summary>The lessons that ship with the app: data files in Core/Lessons/Catalogue, embedded in the assembly.</summary>
public static class BuiltInLessons
{
    private static readonly Lazy<IReadOnlyList<Lesson>> Loaded = new(Load);

    /// <summary>Every built-in lesson, in the catalogue's order (by group, then file name).</summary>
    public static IReadOnlyList<Lesson> All => Loaded.Value;

    public static Lesson? Find(string id) => All.FirstOrDefault(l => l.Id == id);

    /// <summary>The groups in the order a course meets them.</summary>
    public static readonly IReadOnlyList<string> Groups = ["Elections", "Replication", "Safety", "Clients", "Membership", "Snapshots"];
    // A lecturer's recorded lessons carry the group "Recorded"; they are not built in.

    private static IReadOnlyList<Lesson> Load()
    {
        var assembly = typeof(BuiltInLessons).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".lesson.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => LessonJson.Deserialize(Read(assembly, n)))
            .OrderBy(l => Groups.Contains(l.Group) ? Groups.ToList().IndexOf(l.Group) : Groups.Count)
            .ToArray();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
