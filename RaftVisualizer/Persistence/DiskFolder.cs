using RaftVisualizer.Core;
using RaftVisualizer.Core.Persistence;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Persistence;

/// <summary>
/// The default cluster's disks as files in one folder (docs/durable-state.md): <c>S{n}.json</c> holds a
/// server's term, vote and the log after its snapshot; <c>S{n}.snapshot.json</c> its snapshot. The pump
/// calls <see cref="Capture"/> under its lock after each batch (cheap: it compares each server's term,
/// vote, last index and term, and snapshot index with what was last written, and copies only the
/// immutable pieces) and <see cref="Flush"/> outside it, before it tells anyone what the batch did, so a
/// committed answer the API gives is on disk first. Each file is written to a temporary name and renamed
/// over the old one, so a crash mid-write leaves the old file whole.
/// </summary>
public sealed partial class DiskFolder
{
    private readonly ILogger _log;
    private readonly Lock _pendingGate = new();
    private readonly Lock _flushGate = new();
    private readonly Dictionary<NodeId, Stamp> _written = new();
    private Dictionary<NodeId, Pending> _pending = new();
    private bool _failing;

    public DiskFolder(string path, ILogger log)
    {
        Path = path;
        _log = log;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>How many files were written so far.</summary>
    public long FilesWritten { get; private set; }

    public static string StateFile(NodeId id) => $"{id}.json";
    public static string SnapshotFile(NodeId id) => $"{id}.snapshot.json";

    /// <summary>
    /// Reads every server's disk. A server without a state file is left out (it starts fresh); one whose
    /// files are unreadable or do not fit is logged in one line, its files are kept aside as <c>*.corrupt</c>,
    /// and it is left out too. Never throws for what the files hold.
    /// </summary>
    public IReadOnlyDictionary<NodeId, DurableState> Load()
    {
        var disks = new Dictionary<NodeId, DurableState>();
        if (!Directory.Exists(Path)) return disks;
        for (var n = 1; n <= Configuration.MaxServers; n++)
        {
            var id = new NodeId(n);
            var state = System.IO.Path.Combine(Path, StateFile(id));
            var snapshot = System.IO.Path.Combine(Path, SnapshotFile(id));
            try
            {
                if (!File.Exists(state))
                {
                    if (File.Exists(snapshot))
                    {
                        SetAside(snapshot);
                        LogOrphanSnapshot(_log, id, Path);
                    }
                    continue;
                }
                var disk = DiskFormat.Read(id, File.ReadAllText(state), File.Exists(snapshot) ? File.ReadAllText(snapshot) : null, out var problem);
                if (disk is null)
                {
                    SetAside(state);
                    if (File.Exists(snapshot)) SetAside(snapshot);
                    LogCorrupt(_log, id, Path, problem ?? "it does not fit together");
                    continue;
                }
                disks[id] = disk;
                _written[id] = Stamp.Of(disk);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogUnreadable(_log, id, Path, e.Message);
            }
        }
        return disks;
    }

    /// <summary>Under the pump's lock: notes what changed on each server's disk since it was last written.</summary>
    public void Capture(Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        lock (_pendingGate)
        {
            foreach (var node in cluster.Nodes)
            {
                var stamp = Stamp.Of(node);
                if (_written.TryGetValue(node.Id, out var last) && last == stamp) continue;
                var snapshot = node.Snapshot is { } s && (!_written.TryGetValue(node.Id, out var before) || before.BaseIndex != stamp.BaseIndex || !before.Known) ? s : null;
                var carried = _pending.TryGetValue(node.Id, out var waiting) ? waiting.Snapshot : null;
                _pending[node.Id] = new Pending(stamp, node.Term, node.VotedFor, node.Snapshot?.LastTerm ?? 0, node.Log.ToArray(), snapshot ?? carried);
                _written[node.Id] = stamp;
            }
        }
    }

    /// <summary>Writes what <see cref="Capture"/> noted: for each server its snapshot file first (when it changed), then its state file.</summary>
    public void Flush()
    {
        lock (_flushGate)
        {
            Dictionary<NodeId, Pending> batch;
            lock (_pendingGate)
            {
                if (_pending.Count == 0) return;
                batch = _pending;
                _pending = new Dictionary<NodeId, Pending>();
            }
            try
            {
                Directory.CreateDirectory(Path);
                foreach (var (id, p) in batch)
                {
                    if (p.Snapshot is { } snapshot) WriteAtomically(SnapshotFile(id), DiskFormat.WriteSnapshot(id, snapshot));
                    WriteAtomically(StateFile(id), DiskFormat.WriteState(id, p.Term, p.VotedFor, p.Stamp.BaseIndex, p.BaseTerm, p.Entries));
                }
                if (_failing) LogRecovered(_log, Path);
                _failing = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Write everything again next time: forget what was noted as written.
                lock (_pendingGate)
                {
                    foreach (var id in batch.Keys) _written[id] = _written[id] with { Known = false };
                }
                if (!_failing) LogWriteFailed(_log, Path, e.Message);
                _failing = true;
            }
        }
    }

    private void WriteAtomically(string name, string text)
    {
        var target = System.IO.Path.Combine(Path, name);
        var temp = target + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, target, overwrite: true);
        FilesWritten++;
    }

    private static void SetAside(string file) => File.Move(file, file + ".corrupt", overwrite: true);

    /// <summary>What changes whenever a disk does: by Log Matching, the same last index and term mean the same log.</summary>
    private readonly record struct Stamp(long Term, NodeId? VotedFor, long LastIndex, long LastTerm, long BaseIndex, bool Known = true)
    {
        public static Stamp Of(NodeView n) =>
            new(n.Term, n.VotedFor, n.LastLogIndex, n.Log.Count > 0 ? n.Log[^1].Term : n.Snapshot?.LastTerm ?? 0, n.SnapshotIndex);

        public static Stamp Of(DurableState d) => new(d.CurrentTerm, d.VotedFor, d.Log.LastIndex, d.Log.LastTerm, d.Log.BaseIndex);
    }

    private sealed record Pending(Stamp Stamp, long Term, NodeId? VotedFor, long BaseTerm, LogEntry[] Entries, Snapshot? Snapshot);

    [LoggerMessage(1, LogLevel.Warning, "The disk of {Server} in {Folder} is corrupt ({Problem}); {Server} starts as a fresh server, and its files are kept aside as *.corrupt.")]
    private static partial void LogCorrupt(ILogger log, NodeId server, string folder, string problem);

    [LoggerMessage(2, LogLevel.Warning, "The disk of {Server} in {Folder} could not be read ({Problem}); {Server} starts as a fresh server.")]
    private static partial void LogUnreadable(ILogger log, NodeId server, string folder, string problem);

    [LoggerMessage(3, LogLevel.Warning, "{Server} in {Folder} has a snapshot file but no state file; {Server} starts as a fresh server, and the snapshot is kept aside as *.corrupt.")]
    private static partial void LogOrphanSnapshot(ILogger log, NodeId server, string folder);

    [LoggerMessage(4, LogLevel.Error, "Writing the default cluster's disks to {Folder} failed ({Problem}); the cluster runs on, and every disk is written again after the next batch.")]
    private static partial void LogWriteFailed(ILogger log, string folder, string problem);

    [LoggerMessage(5, LogLevel.Information, "Writing the default cluster's disks to {Folder} works again.")]
    private static partial void LogRecovered(ILogger log, string folder);
}
