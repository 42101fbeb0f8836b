using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Kv;

/// <summary>A client's identity and the number of its request; a retried request keeps both.</summary>
public readonly record struct ClientSession(long ClientId, long Seq);

/// <summary>
/// The replicated state machine: a string map plus the client-session table that makes a
/// retried write apply exactly once.
/// </summary>
public sealed class KvStore
{
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (long Seq, KvResult Result)> _sessions = new();

    public KvStore() { }

    private KvStore(KvStore source)
    {
        _data = new Dictionary<string, string>(source._data, StringComparer.Ordinal);
        _sessions = new Dictionary<long, (long Seq, KvResult Result)>(source._sessions);
    }

    /// <summary>An independent copy of the map and the session table (results are immutable, so they are shared).</summary>
    internal KvStore Clone() => new(this);

    public IReadOnlyDictionary<string, string> Data => _data;

    /// <summary>An immutable copy of the map and the sessions, for a snapshot.</summary>
    public KvState Capture() => new(
        new Dictionary<string, string>(_data, StringComparer.Ordinal),
        _sessions.ToDictionary(s => s.Key, s => new SessionRecord(s.Value.Seq, s.Value.Result)));

    /// <summary>Replaces everything with <paramref name="state"/> (installing or restarting from a snapshot).</summary>
    public void Restore(KvState state)
    {
        _data.Clear();
        foreach (var (k, v) in state.Data) _data[k] = v;
        _sessions.Clear();
        foreach (var (id, s) in state.Sessions) _sessions[id] = (s.Seq, s.Result);
    }

    /// <summary>The cached answer if this session's request has already been applied.</summary>
    public KvResult? AlreadyApplied(ClientSession session) =>
        _sessions.TryGetValue(session.ClientId, out var last) && last.Seq >= session.Seq ? last.Result : null;

    public KvResult Apply(KvCommand command, ClientSession? session)
    {
        if (session is { } s && AlreadyApplied(s) is { } cached) return cached;
        var result = Execute(command);
        if (session is { } applied) _sessions[applied.ClientId] = (applied.Seq, result);
        return result;
    }

    public KvResult Read(string key) =>
        _data.TryGetValue(key, out var value) ? KvResult.Ok(value) : KvResult.NotFound;

    private KvResult Execute(KvCommand command)
    {
        switch (command.Kind)
        {
            case KvCommandKind.Put:
                _data[command.Key] = command.Value ?? "";
                return KvResult.Ok();
            case KvCommandKind.Append:
                var appended = (_data.TryGetValue(command.Key, out var old) ? old : "") + command.Value;
                _data[command.Key] = appended;
                return KvResult.Ok(appended);
            case KvCommandKind.Delete:
                return _data.Remove(command.Key) ? KvResult.Ok() : KvResult.NotFound;
            case KvCommandKind.Get:
                return Read(command.Key);
            default:
                return KvResult.Ok();
        }
    }
}
