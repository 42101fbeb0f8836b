namespace RaftVisualizer.Core.Time;

/// <summary>
/// A cheap estimate, without serializing anything, of the memory a keyframe keeps alive beyond what the
/// head holds anyway. A keyframe is <see cref="Cluster.Clone(int)"/>: its long lists share their full chunks,
/// and completed operations, log entries and messages are immutable and shared, so what it costs is its own
/// copies (each KV map, the queue, the operations in flight, the lists' unshared last chunks) plus the log
/// entries it holds that the head has since compacted away (only the keyframe keeps those alive).
/// </summary>
public static class KeyframeSize
{
    /// <summary>
    /// What every keyframe costs whatever it holds: the servers' small state, timers, randoms, the network.
    /// Measured by KeyframeSizeHarness (the heap with 61 keyframes against one, 5 idle servers): about 26 KB.
    /// </summary>
    public const long FixedBytes = 24 * 1024;

    /// <summary>
    /// A long list (a log, its shadow in the safety monitor, the per-index table) shares its chunks of 1,024
    /// references with the keyframe until the head writes its last one, which the head then copies: about
    /// 8 KB each. A server whose log grew since the keyframe costs three such chunks; the client history and
    /// the recorded commands one each. Measured under client load (10 operations in flight, 5 servers): about
    /// 143–172 KB per keyframe in two runs (16–186 KB with compaction every 50 entries: the heap difference is noisy), against an estimate of 180 (198) KB: it errs on the high side.
    /// </summary>
    public const long ChunkBytes = 8 * 1024;

    /// <summary>A log entry's record, its command and its session, before the key's and value's characters.</summary>
    public const long EntryBytes = 120;

    /// <summary>A KV map's slot (hash entry and bucket) before the key's and value's characters.</summary>
    public const long KvSlotBytes = 48;

    /// <summary>A queued event: its slot in the queue and, for a message, the message in flight.</summary>
    public const long QueuedEventBytes = 96;

    /// <summary>A client operation in flight, copied by every clone.</summary>
    public const long OpenOperationBytes = 200;

    /// <summary>The estimated bytes <paramref name="keyframe"/> keeps alive while <paramref name="head"/> runs on.</summary>
    public static long Estimate(Cluster keyframe, Cluster head)
    {
        ArgumentNullException.ThrowIfNull(keyframe);
        ArgumentNullException.ThrowIfNull(head);
        var bytes = FixedBytes + keyframe.QueuedEvents * QueuedEventBytes + keyframe.OpenOperations * OpenOperationBytes;
        if (LastId(head.History) > LastId(keyframe.History)) bytes += ChunkBytes;
        if (head.RecordedCommands.Count > keyframe.RecordedCommands.Count) bytes += ChunkBytes;
        foreach (var node in keyframe.Nodes)
        {
            if (head.Node(node.Id) is { } grown && grown.LastLogIndex > node.LastLogIndex) bytes += 3 * ChunkBytes;
            foreach (var (key, value) in node.Kv) bytes += KvSlotBytes + 2L * (key.Length + value.Length);
            // Entries up to the head's snapshot of this server are no longer in the head's log: this keyframe alone keeps them.
            var compactedOnHead = head.Node(node.Id) is { } now ? now.SnapshotIndex : 0;
            var log = node.Log;
            for (var i = 0; i < log.Count && log[i].Index <= compactedOnHead; i++) bytes += Entry(log[i]);
        }
        return bytes;
    }

    private static long LastId(IReadOnlyList<ClientOperation> history) => history.Count > 0 ? history[^1].Id : -1;

    private static long Entry(LogEntry entry) =>
        EntryBytes + 2L * (entry.Command.Key.Length + (entry.Command.Value?.Length ?? 0));
}
