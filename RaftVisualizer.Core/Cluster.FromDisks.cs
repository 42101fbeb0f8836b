using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Snapshots;

namespace RaftVisualizer.Core;

/// <summary>Starting a cluster from disks read back from storage: the host's way to survive its own restart.</summary>
public sealed partial class Cluster
{
    /// <summary>
    /// A cluster whose servers start from <paramref name="disks"/>, as after every server crashed at
    /// once and came back: each keeps its term, vote, snapshot and log, and rebuilds the rest (its KV
    /// map from the snapshot, then from the log as it commits; its configuration from its log). A
    /// server missing from <paramref name="disks"/> starts empty. Ids beyond
    /// <see cref="ClusterOptions.NodeCount"/> are servers that were added: they get their places, and
    /// <see cref="InitialConfiguration"/> stays S1 to S<see cref="ClusterOptions.NodeCount"/>.
    /// <para>
    /// Time and steps start at zero, and <see cref="Scenario"/> holds only the commands after this
    /// moment: a replay from <see cref="Options"/> cannot rebuild the disks, so
    /// <see cref="StartedFromDisks"/> is set (copies keep it) for a host to say so. New clients continue
    /// the sessions the disks remember, so no new request is taken for a retry of an old one. The keys
    /// the disks hold are not checked for linearizability (<see cref="HistoryCut"/>): their history is gone.
    /// </para>
    /// </summary>
    public static Cluster FromDisks(ClusterOptions options, IReadOnlyDictionary<NodeId, DurableState> disks)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(disks);
        foreach (var id in disks.Keys)
            if (id.Value is < 1 or > Configuration.MaxServers)
                throw new ArgumentException($"There is no server {id}: ids run from S1 to S{Configuration.MaxServers}.", nameof(disks));
        return new Cluster(options, disks);
    }

    /// <summary>Whether this cluster began from disks (<see cref="FromDisks"/>) rather than empty: its scenario then replays only from them.</summary>
    public bool StartedFromDisks { get; private set; }

    private int ServersFor(IReadOnlyDictionary<NodeId, DurableState> disks) =>
        Math.Max(Options.NodeCount, disks.Count == 0 ? 0 : disks.Keys.Max(id => id.Value));

    /// <summary>In the constructor, once the slots exist: what the disks imply beyond the servers themselves.</summary>
    private void ResumeFrom(IReadOnlyDictionary<NodeId, DurableState> disks)
    {
        StartedFromDisks = true;
        Safety.Resume(_slots.Select(s => (s.Id, s.Durable)));

        // Client sessions: continue each client's numbering past anything a disk remembers.
        var seqs = new Dictionary<long, long>();
        void Saw(long client, long seq) => seqs[client] = Math.Max(seq, seqs.GetValueOrDefault(client));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var disk in disks.Values)
        {
            if (disk.Snapshot is { } snapshot)
            {
                foreach (var (client, record) in snapshot.State.Sessions) Saw(client, record.Seq);
                keys.UnionWith(snapshot.State.Data.Keys);
            }
            foreach (var entry in disk.Log.Entries)
            {
                if (entry.Session is { } s) Saw(s.ClientId, s.Seq);
                if (entry.Command.IsWrite) keys.Add(entry.Command.Key);
            }
        }
        foreach (var (client, seq) in seqs.OrderBy(s => s.Key))
        {
            while (_clientNextSeq.Count <= client) _clientNextSeq.Add(0);
            _clientNextSeq[(int)client] = seq;
        }
        for (var client = 1; client < _clientNextSeq.Count; client++) _idleClients.Enqueue(client, client);

        if (keys.Count > 0) HistoryCut = HistoryCut.Unknown(keys, "it held data before the app restarted from its disks, so its history is unknown");
    }
}
