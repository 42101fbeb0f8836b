using System.Text.Json;
using System.Text.Json.Serialization;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core.Persistence;

/// <summary>
/// One server's durable state as two JSON texts (docs/durable-state.md): the state file (term, vote,
/// the snapshot the log follows, and the entries after it), rewritten whenever it changes, and the
/// snapshot file (the KV map, the client sessions and the configuration), rewritten only when the
/// server takes or installs a snapshot. Pure: the host does the reading and writing of files.
/// <para>
/// The host writes the snapshot file before the state file. A crash between the two leaves a snapshot
/// newer than the state file's base; reading applies the paper's rule then (the entries after the
/// snapshot are kept only if the log held the snapshot's last entry with its term).
/// </para>
/// </summary>
public static class DiskFormat
{
    public const int Version = 1;
    public const string StateFormat = "raftvis-state";
    public const string SnapshotFormat = "raftvis-snapshot";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    /// <summary>The state file of a server as a view shows it (term, vote, the snapshot's index and term, the entries after it).</summary>
    public static string WriteState(NodeView server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return WriteState(server.Id, server.Term, server.VotedFor, server.SnapshotIndex, server.Snapshot?.LastTerm ?? 0, server.Log);
    }

    public static string WriteState(NodeId server, DurableState disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        return WriteState(server, disk.CurrentTerm, disk.VotedFor, disk.Log.BaseIndex, disk.Log.BaseTerm, disk.Log.Entries);
    }

    /// <summary>The state file from its parts: the term, the vote, the snapshot's last index and term (0 and 0 without one), the entries after it.</summary>
    public static string WriteState(NodeId server, long term, NodeId? votedFor, long baseIndex, long baseTerm, IEnumerable<LogEntry> entries) =>
        JsonSerializer.Serialize(new StateFile(StateFormat, Version, server.Value, term, votedFor?.Value, baseIndex, baseTerm,
            entries.Select(e => new EntryDto(e.Index, e.Term,
                e.Command.Kind == KvCommandKind.NoOp ? null : new CommandDto(e.Command.Kind, e.Command.Key, e.Command.Value),
                e.Session is { } s ? new SessionDto(s.ClientId, s.Seq) : null,
                e.Config is { } c ? ConfigDto.From(c) : null)).ToList()), Json);

    public static string WriteSnapshot(NodeId server, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return JsonSerializer.Serialize(new SnapshotFile(SnapshotFormat, Version, server.Value, snapshot.LastIndex, snapshot.LastTerm,
            ConfigDto.From(snapshot.Config),
            new SortedDictionary<string, string>(snapshot.State.Data.ToDictionary(), StringComparer.Ordinal),
            snapshot.State.Sessions.OrderBy(s => s.Key)
                .Select(s => new SessionEntryDto(s.Key, s.Value.Seq, s.Value.Result.Status, s.Value.Result.Value, s.Value.Result.Message)).ToList()), Json);
    }

    /// <summary>The snapshot in <paramref name="json"/>, or null with what is wrong with it.</summary>
    public static Snapshot? ReadSnapshot(NodeId server, string json, out string? problem)
    {
        var file = Parse<SnapshotFile>(json, out problem);
        if (file is null) return null;
        problem = file.Format != SnapshotFormat ? $"it is not a snapshot file (format \"{file.Format}\", expected \"{SnapshotFormat}\")"
            : file.Version != Version ? $"it is in version {file.Version}; this build reads version {Version}"
            : file.Server != server.Value ? $"it belongs to S{file.Server}, not {server}"
            : file.LastIndex < 1 || file.LastTerm < 1 ? "its last index and term must be at least 1"
            : file.Config.Problem() is { } bad ? $"its configuration is invalid: {bad}"
            : file.Sessions.FirstOrDefault(s => s.Client < 1 || s.Seq < 1) is { } session ? $"client session {session.Client} has sequence {session.Seq}"
            : file.Data.Any(kv => kv.Value is null) ? "a key has no value"
            : null;
        if (problem is not null) return null;
        var state = new KvState(
            new Dictionary<string, string>(file.Data, StringComparer.Ordinal),
            file.Sessions.ToDictionary(s => s.Client, s => new SessionRecord(s.Seq, new KvResult(s.Status, s.Value, s.Message))));
        return new Snapshot(file.LastIndex, file.LastTerm, file.Config.ToConfiguration(), state);
    }

    /// <summary>
    /// A server's disk from its state file and (when its log follows a snapshot) its snapshot file,
    /// or null with what is wrong: a file that does not parse, does not belong to this server, or
    /// does not fit the other.
    /// </summary>
    public static DurableState? Read(NodeId server, string stateJson, string? snapshotJson, out string? problem)
    {
        var file = Parse<StateFile>(stateJson, out problem);
        if (file is null) return null;
        problem = file.Format != StateFormat ? $"it is not a state file (format \"{file.Format}\", expected \"{StateFormat}\")"
            : file.Version != Version ? $"it is in version {file.Version}; this build reads version {Version}"
            : file.Server != server.Value ? $"it belongs to S{file.Server}, not {server}"
            : file.VotedFor is { } v && v is < 1 or > Configuration.MaxServers ? $"it voted for S{v}, which cannot exist"
            : file.SnapshotIndex < 0 || file.SnapshotTerm < 0 || (file.SnapshotIndex == 0) != (file.SnapshotTerm == 0) ? "its snapshot index and term do not fit together"
            : file.Entries.Select(EntryProblem).FirstOrDefault(p => p is not null);
        if (problem is not null) return null;

        var term = file.CurrentTerm;
        NodeId? votedFor = file.VotedFor is { } id ? new NodeId(id) : null;
        var entries = file.Entries.Select(ToEntry).ToList();
        Snapshot? snapshot = null;
        if (snapshotJson is not null)
        {
            snapshot = ReadSnapshot(server, snapshotJson, out var bad);
            if (snapshot is null)
            {
                problem = $"its snapshot file is unreadable: {bad}";
                return null;
            }
            if (snapshot.LastIndex < file.SnapshotIndex)
            {
                problem = $"its log follows a snapshot up to {file.SnapshotIndex}, but the snapshot file holds only up to {snapshot.LastIndex}";
                return null;
            }
            if (snapshot.LastIndex == file.SnapshotIndex && snapshot.LastTerm != file.SnapshotTerm)
            {
                problem = $"its log follows a snapshot of term {file.SnapshotTerm}, but the snapshot file's is of term {snapshot.LastTerm}";
                return null;
            }
            if (snapshot.LastIndex > file.SnapshotIndex)
            {
                // The snapshot was written and the state file not yet (a crash between the two writes): keep
                // the entries after the snapshot only if the log held its last entry with the same term.
                var last = entries.FirstOrDefault(e => e.Index == snapshot.LastIndex);
                entries = last is not null && last.Term == snapshot.LastTerm ? entries.Where(e => e.Index > snapshot.LastIndex).ToList() : [];
                if (snapshot.LastTerm > term) (term, votedFor) = (snapshot.LastTerm, null);
            }
        }
        else if (file.SnapshotIndex > 0)
        {
            problem = $"its log follows a snapshot up to {file.SnapshotIndex}, but the snapshot file is missing";
            return null;
        }
        else if (entries.Count > 0 && entries[0].Index != 1)
        {
            problem = $"its log starts at entry {entries[0].Index} with no snapshot before it";
            return null;
        }
        return DurableState.Restore(term, votedFor, snapshot, entries, out problem);
    }

    private static T? Parse<T>(string json, out string? problem) where T : class
    {
        problem = null;
        try
        {
            if (JsonSerializer.Deserialize<T>(json, Json) is { } file) return file;
            problem = "it holds null";
        }
        catch (JsonException e)
        {
            problem = $"it is not valid: {e.Message}";
        }
        return null;
    }

    private static string? EntryProblem(EntryDto e) =>
        e.Index < 1 || e.Term < 1 ? $"entry {e.Index} has index or term below 1"
        : e.Command is { } c && !Enum.IsDefined(c.Kind) ? $"entry {e.Index} has an unknown command"
        : e.Session is { } s && (s.Client < 1 || s.Seq < 1) ? $"entry {e.Index} has an invalid client session"
        : e.Config?.Problem() is { } bad ? $"entry {e.Index} has an invalid configuration: {bad}"
        : null;

    private static LogEntry ToEntry(EntryDto e) => new(e.Index, e.Term,
        e.Command is { } c ? new KvCommand(c.Kind, c.Key, c.Value) : KvCommand.NoOp,
        e.Session is { } s ? new ClientSession(s.Client, s.Seq) : null,
        e.Config?.ToConfiguration());

    private sealed record StateFile(string Format, int Version, int Server, long CurrentTerm,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? VotedFor,
        long SnapshotIndex, long SnapshotTerm, List<EntryDto> Entries);

    private sealed record EntryDto(long Index, long Term, CommandDto? Command = null, SessionDto? Session = null, ConfigDto? Config = null);

    private sealed record CommandDto(KvCommandKind Kind, string Key, string? Value = null);

    private sealed record SessionDto(long Client, long Seq);

    private sealed record SnapshotFile(string Format, int Version, int Server, long LastIndex, long LastTerm, ConfigDto Config,
        SortedDictionary<string, string> Data, List<SessionEntryDto> Sessions);

    private sealed record SessionEntryDto(long Client, long Seq, KvStatus Status, string? Value = null, string? Message = null);

    private sealed record ConfigDto(int[] Voters, int[] Learners)
    {
        public static ConfigDto From(Configuration c) => new(c.Voters.Select(v => v.Value).ToArray(), c.Learners.Select(l => l.Value).ToArray());

        public string? Problem() =>
            Voters.Length == 0 ? "it has no voter"
            : Voters.Concat(Learners).Where(id => id is < 1 or > Configuration.MaxServers).Select(id => (int?)id).FirstOrDefault() is { } bad ? $"S{bad} cannot exist"
            : null;

        public Configuration ToConfiguration() => new(Voters.Select(v => new NodeId(v)), Learners.Select(l => new NodeId(l)));
    }
}
