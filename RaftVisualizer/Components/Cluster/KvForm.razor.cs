using System.Globalization;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Narration;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// A simulated client in a form: Put / Append / Get / Delete, validated before anything enters
/// the simulation, then watched live until it completes: the result, the server that served it,
/// the simulated time it took, and every attempt with why it went there.
/// </summary>
public partial class KvForm
{
    private const int Remembered = 5;
    private readonly List<ClientOperation> _ops = new();
    private IReadOnlyList<OpView> _views = [];
    private string? _key;
    private string? _value;
    private string? _keyError;
    private string? _valueError;

    private OpView? Current => _views.Count > 0 ? _views[0] : null;

    protected override object ChangeKey() =>
        (_views.Count, Current?.Id, Current?.Attempts.Count, Current?.Result, Current?.Result is null && Snapshot.Leader is null, Live.CanControl);

    protected override void OnLiveChanged()
    {
        if (_ops.Count > 0 && _views.Any(v => v.Result is null)) Refresh();
    }

    private void Submit(KvCommandKind kind)
    {
        _keyError = _valueError = null;
        var key = _key ?? "";
        var value = _value ?? "";
        var command = kind switch
        {
            KvCommandKind.Put => KvCommand.Put(key, value),
            KvCommandKind.Append => KvCommand.Append(key, value),
            KvCommandKind.Delete => KvCommand.Delete(key),
            _ => KvCommand.Get(key),
        };
        if (KvLimits.Validate(KvCommand.Get(key)) is { } keyProblem)
        {
            _keyError = keyProblem;
            return;
        }
        if (KvLimits.Validate(command) is { } problem)
        {
            _valueError = problem;
            return;
        }
        if (Live.Submit(command, out var refusal) is not { } op)
        {
            _keyError = refusal;
            return;
        }
        _ops.Insert(0, op);
        if (_ops.Count > Remembered) _ops.RemoveAt(_ops.Count - 1);
        Refresh();
    }

    /// <summary>Copies the operations' state under the pump's lock: the simulation mutates them.</summary>
    private void Refresh() => _views = Live.Read(_ => _ops.Select(OpView.Of).ToArray());

    private static string StatusOf(OpView? op) => op?.Result?.Status switch
    {
        null => op is null ? "none" : "pending",
        KvStatus.Ok => "ok",
        KvStatus.NotFound => "notfound",
        KvStatus.Rejected => "rejected",
        _ => "timeout",
    };

    private static string Outcome(OpView op) => op.Result switch
    {
        null => $"waiting… (attempt {op.Attempts.Count})",
        { Status: KvStatus.Ok } when op.Kind == KvCommandKind.Get => "ok",
        { Status: KvStatus.Ok } when op.Kind == KvCommandKind.Append => "ok, appended",
        { Status: KvStatus.Ok } => "ok",
        { Status: KvStatus.NotFound } when op.Kind == KvCommandKind.Delete => "ok (there was nothing to delete)",
        { Status: KvStatus.NotFound } => "not found",
        { Status: KvStatus.Rejected } r => $"rejected: {r.Message}",
        var r => $"timed out: {r.Message}",
    };

    private static string Served(OpView op) => op switch
    {
        { Result: null } => $"started at {EventNarrator.Clock(op.InvokedAt)}; no committed answer yet",
        { ServedBy: { } by, Elapsed: { } took } => $"served by {by} in {Millis(took)} of simulated time, after {Attempts(op.Attempts.Count)}",
        { Elapsed: { } took } => $"no server served it; the client gave up after {Millis(took)} and {Attempts(op.Attempts.Count)}",
        _ => "",
    };

    private static string Attempts(int n) => n == 1 ? "1 attempt" : $"{n} attempts";

    private static string Millis(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>An immutable copy of a client operation, safe to render.</summary>
    private sealed record OpView(long Id, string Command, KvCommandKind Kind, TimeSpan InvokedAt, string TimeoutText,
        IReadOnlyList<AttemptView> Attempts, KvResult? Result, NodeId? ServedBy, TimeSpan? Elapsed)
    {
        public static OpView Of(ClientOperation op) => new(op.Id, op.Command.ToString(), op.Command.Kind, op.InvokedAt,
            (op.Deadline - op.InvokedAt).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s",
            op.Attempts.Select(a => new AttemptView(a.Number, a.To, EventNarrator.Clock(a.SentAt), a.Why)).ToArray(),
            op.Result, op.ServedBy, op.Elapsed);
    }

    private sealed record AttemptView(int Number, NodeId To, string SentAtText, string Why);
}
