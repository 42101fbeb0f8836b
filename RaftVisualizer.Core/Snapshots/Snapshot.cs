using RaftVisualizer.Core.Kv;

namespace RaftVisualizer.Core.Snapshots;

/// <summary>
/// A server's state machine as of one log index (paper section 7): the KV map, the client
/// sessions (so a retried write still applies once), and the configuration in force there.
/// The log keeps <see cref="LastIndex"/> and <see cref="LastTerm"/> as its base. Immutable.
/// </summary>
public sealed record Snapshot(long LastIndex, long LastTerm, Configuration Config, KvState State)
{
    public override string ToString() => $"snapshot up to {LastIndex} (term {LastTerm}): {State.Data.Count} keys, {Config}";
}

/// <summary>The last answer a client session got: the sequence number and its result.</summary>
public readonly record struct SessionRecord(long Seq, KvResult Result);

/// <summary>An immutable copy of a <see cref="KvStore"/>: the map and the session table.</summary>
public sealed record KvState(IReadOnlyDictionary<string, string> Data, IReadOnlyDictionary<long, SessionRecord> Sessions)
{
    public static readonly KvState Empty = new(new Dictionary<string, string>(), new Dictionary<long, SessionRecord>());
}
