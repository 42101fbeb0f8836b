using RaftVisualizer.Core.Safety;
using Spectre.Console;

namespace RaftVisualizer.Torture;

/// <summary>How a long run shows its progress: a live line in a terminal, plain lines otherwise.</summary>
public abstract class ProgressDisplay
{
    /// <summary>
    /// A live line when the command writes to the console, that console is a terminal and this is
    /// not CI (<c>CI=true</c>); plain periodic lines for any other writer, redirected output or CI.
    /// </summary>
    public static ProgressDisplay For(TextWriter output, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var toConsole = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var inCi = string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase) || environment("CI") == "1";
        return toConsole && !inCi && AnsiConsole.Profile.Capabilities.Interactive
            ? new LiveProgressDisplay()
            : new PlainProgressDisplay(output);
    }

    /// <summary>Runs <paramref name="work"/>, which reports through the callback it is given, showing its progress.</summary>
    public abstract void Run(long total, Action<Action<TortureProgress>> work);

    /// <summary>A line that must be seen (a failure): printed at once in plain mode, kept until the end in live mode.</summary>
    public abstract void Note(string line);
}

/// <summary>
/// Plain lines for logs and CI: one when another tenth of the seeds is done or
/// <see cref="Every"/> has passed since the last line, whichever comes first, and one at the end.
/// </summary>
public sealed class PlainProgressDisplay(TextWriter output) : ProgressDisplay
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private readonly object _gate = new();
    private long _lastDone;
    private TimeSpan _lastAt;

    /// <summary>Whether a line is due now, given the last one.</summary>
    public static bool IsDue(TortureProgress now, long lastDone, TimeSpan lastAt) =>
        now.Done >= now.Total
        || now.Elapsed - lastAt >= Every
        || (now.Total > 0 && (now.Done - lastDone) * 10 >= now.Total);

    public override void Run(long total, Action<Action<TortureProgress>> work)
    {
        _lastDone = 0;
        _lastAt = TimeSpan.Zero;
        work(Report);
    }

    private void Report(TortureProgress p)
    {
        lock (_gate)
        {
            if (!IsDue(p, _lastDone, _lastAt) || (p.Done == _lastDone && p.Done > 0)) return;
            _lastDone = p.Done;
            _lastAt = p.Elapsed;
            output.WriteLine($"  ... {p.Describe()}");
        }
    }

    public override void Note(string line)
    {
        lock (_gate) output.WriteLine(line);
    }
}

/// <summary>A live line redrawn in place (Spectre.Console): bar, seeds, rate, failures, time left.</summary>
public sealed class LiveProgressDisplay : ProgressDisplay
{
    private readonly List<string> _notes = new();

    public override void Run(long total, Action<Action<TortureProgress>> work)
    {
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new ProgressBarColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(new TortureProgress(0, total, 0, TimeSpan.Zero).Describe()), maxValue: Math.Max(1, total));
                work(p =>
                {
                    task.Value = p.Done;
                    task.Description = Markup.Escape(p.Describe());
                });
                task.Value = task.MaxValue;
            });
        lock (_notes)
        {
            foreach (var line in _notes) Console.Out.WriteLine(line);
        }
    }

    public override void Note(string line)
    {
        lock (_notes) _notes.Add(line);
    }
}
