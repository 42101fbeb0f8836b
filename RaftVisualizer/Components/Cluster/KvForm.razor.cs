using System.Globalization;
using Microsoft.AspNetCore.Components;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Narration;
using RaftVisualizer.Core.Snapshots;
using RaftVisualizer.Sessions;

namespace RaftVisualizer.Components.Cluster;

/// <summary>
/// A simulated client in a form: Put / Append / Get / Delete, validated before anything enters
/// the simulation, then watched live until it completes: the result, the server that served it,
/// the simulated time it took, and every attempt with why it went there. Beside Get, the student
/// picks how reads are served: through the log, by ReadIndex, under a lease, or from any server
/// (stale). The read mode is a cluster's protocol (a lease needs every server's vote guard from the
/// start), so picking another runs the cluster again from its seed under it, the actions so far
/// replayed at the same simulated times (<see cref="ProtocolRestart.Rerun"/>).
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

    private NodeId? _readVia;
    /// <summary>How each Get of this run was read, said under its answer.</summary>
    private readonly Dictionary<long, string> _readBy = new();
    private string? _readNote;
    private bool _readNoteIsProblem;

    private OpView? Current => _views.Count > 0 ? _views[0] : null;

    protected override object ChangeKey() =>
        (_views.Count, Current?.Id, Current?.Attempts.Count, Current?.Result, Current?.Result is null && Snapshot.Leader is null, Live.CanControl,
            CurrentRead.Id, CurrentRead.Stale ? RolesKey() : null, _readNote);

    private string RolesKey() => string.Concat(Snapshot.Nodes.Select(n => n.Role.ToString()[0]));

    /// <summary>A way a Get may be served, as the form offers it.</summary>
    private sealed record ReadChoice(string Id, string Label, string Does, string Section, bool Stale, Func<ClusterOptions, ClusterOptions> Apply);

    private static readonly ReadChoice[] ReadChoices =
    [
        .. Protocol.ReadModes.Select(m => new ReadChoice(m.Mode.ToString(), m.Label, m.Does, m.Section, false,
            o => o with { ReadMode = m.Mode, Broken = o.Broken & ~BrokenRules.ReadsFromAnyNode })),
        new("stale", "any server (stale)",
            "Unsafe: whichever server you ask answers from its own state, leader or not. Ask a server cut off from the leader after a write elsewhere, and the history badge flags the stale value.",
            "paper §8", true, o => o with { Broken = o.Broken | BrokenRules.ReadsFromAnyNode }),
    ];

    private ReadChoice CurrentRead => Snapshot.Options.Broken.HasFlag(BrokenRules.ReadsFromAnyNode)
        ? ReadChoices[^1]
        : ReadChoices.First(c => c.Id == Snapshot.Options.ReadMode.ToString());

    private void PickRead(ReadChoice choice)
    {
        if (choice.Id == CurrentRead.Id) return;
        var result = Live.Rerun(choice.Apply(Snapshot.Options));
        _readNote = result.Ok ? $"Gets now read {choice.Label}. {result.Message}" : result.Message;
        _readNoteIsProblem = !result.Ok;
        if (!result.Ok) return;
        _ops.Clear(); // they belonged to the run before
        _readBy.Clear();
        _views = [];
        _readVia = null;
    }

    private static string ReadBy(ReadChoice read, NodeId? via) => read.Id switch
    {
        nameof(ReadMode.Log) => "Read through the log: the get is an entry in every log, like a write.",
        nameof(ReadMode.ReadIndex) => "Read by ReadIndex: one heartbeat round confirmed the leader; no log entry.",
        nameof(ReadMode.Lease) => "Read under the leader's lease (after a heartbeat round if it had lapsed): answered from its own state; no log entry.",
        _ => $"Read from any server (unsafe): {(via is { } v ? v.ToString() : "the server the client picked")} answered from its own state, which may be stale.",
    };

    private void PickServer(ChangeEventArgs e) =>
        _readVia = int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            && Snapshot.Nodes.Any(n => n.Id.Value == id) ? new NodeId(id) : null;

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
        var via = kind == KvCommandKind.Get && CurrentRead.Stale ? _readVia : null;
        if (Live.Submit(command, out var refusal, via) is not { } op)
        {
            _keyError = refusal;
            return;
        }
        if (kind == KvCommandKind.Get) _readBy[op.Id] = ReadBy(CurrentRead, via);
        _ops.Insert(0, op);
        if (_ops.Count > Remembered) _ops.RemoveAt(_ops.Count - 1);
        foreach (var gone in _readBy.Keys.Where(id => _ops.All(o => o.Id != id)).ToArray()) _readBy.Remove(gone);
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
