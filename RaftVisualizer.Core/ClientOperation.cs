using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Kv;

namespace RaftVisualizer.Core;

/// <summary>One attempt of a client operation: which server it went to and why. A value, kept inline in its operation.</summary>
public readonly record struct ClientAttempt(int Number, NodeId To, TimeSpan SentAt, string Why);

/// <summary>
/// A simulated client's operation, from invocation to a committed answer or timeout. The
/// client follows not-leader hints and retries on its own.
/// </summary>
public sealed class ClientOperation
{
    private ClientAttempt[] _attempts = new ClientAttempt[2]; // most operations need one or two
    private int _attemptCount;

    internal ClientOperation(long id, ClientSession session, KvCommand command, TimeSpan invokedAt, TimeSpan deadline)
    {
        Id = id;
        Session = session;
        Command = command;
        InvokedAt = invokedAt;
        Deadline = deadline;
    }

    /// <summary>A copy of an operation still in flight, for a cloned cluster (a completed one never changes, so it is shared).</summary>
    internal ClientOperation(ClientOperation source)
        : this(source.Id, source.Session, source.Command, source.InvokedAt, source.Deadline)
    {
        _attempts = (ClientAttempt[])source._attempts.Clone();
        _attemptCount = source._attemptCount;
        CompletedAt = source.CompletedAt;
        Result = source.Result;
        ServedBy = source.ServedBy;
        SubmittedCommand = source.SubmittedCommand;
        SubmittedVia = source.SubmittedVia;
        SubmittedAfterStep = source.SubmittedAfterStep;
        Silent = source.Silent;
    }

    public long Id { get; }
    public ClientSession Session { get; }
    public long ClientId => Session.ClientId;
    public KvCommand Command { get; }
    public TimeSpan InvokedAt { get; }
    public TimeSpan Deadline { get; }
    public TimeSpan? CompletedAt { get; private set; }
    public KvResult? Result { get; private set; }
    public NodeId? ServedBy { get; private set; }
    public bool IsCompleted => Result is not null;
    /// <summary>Every attempt so far; a live view that grows as the client retries.</summary>
    public IReadOnlyList<ClientAttempt> Attempts => _attemptView ??= new AttemptView(this);
    private AttemptView? _attemptView;
    public int CurrentAttempt => _attemptCount;
    public TimeSpan? Elapsed => CompletedAt - InvokedAt;

    // How it was submitted, exactly as given, for the recorded scenario.
    internal KvCommand? SubmittedCommand { get; init; }
    internal int? SubmittedVia { get; init; }
    internal long SubmittedAfterStep { get; init; }

    /// <summary>Servers that stayed silent for this operation; their hints are no longer trusted.</summary>
    internal NodeSet Silent;

    internal ClientAttempt AddAttempt(NodeId to, TimeSpan at, string why)
    {
        var attempt = new ClientAttempt(_attemptCount + 1, to, at, why);
        if (_attemptCount == _attempts.Length) Array.Resize(ref _attempts, _attempts.Length * 2);
        _attempts[_attemptCount++] = attempt;
        return attempt;
    }

    internal void Complete(KvResult result, NodeId? servedBy, TimeSpan at)
    {
        Result = result;
        ServedBy = servedBy;
        CompletedAt = at;
    }

    private sealed class AttemptView(ClientOperation op) : IReadOnlyList<ClientAttempt>
    {
        public int Count => op._attemptCount;

        public ClientAttempt this[int index] =>
            (uint)index < (uint)op._attemptCount ? op._attempts[index] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<ClientAttempt> GetEnumerator()
        {
            for (var i = 0; i < op._attemptCount; i++) yield return op._attempts[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public override string ToString() => $"#{Id} c{ClientId} {Command} -> {Result?.ToString() ?? "pending"}";
}
