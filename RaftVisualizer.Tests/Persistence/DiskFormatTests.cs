using RaftVisualizer.Core;
using RaftVisualizer.Core.Kv;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Persistence;
using RaftVisualizer.Core.Raft;
using RaftVisualizer.Core.Snapshots;
using static RaftVisualizer.Tests.Core.ClusterChecks;

namespace RaftVisualizer.Tests.Persistence;

/// <summary>The on-disk format (docs/durable-state.md) and a cluster started from what it reads back.</summary>
public class DiskFormatTests
{
    private static readonly NodeId S2 = new(2);

    /// <summary>A disk with a snapshot (map, sessions with every kind of answer, a configuration with a learner) and entries after it, one a configuration.</summary>
    private static DurableState HandMadeDisk()
    {
        var config = new Configuration([new NodeId(1), new NodeId(2), new NodeId(3)], [new NodeId(4)]);
        var sessions = new Dictionary<long, SessionRecord>
        {
            [1] = new(7, KvResult.Ok()),
            [2] = new(3, KvResult.Ok("ab")),
            [3] = new(9, KvResult.Rejected("the key is empty")),
            [4] = new(1, KvResult.NotFound),
        };
        var snapshot = new Snapshot(10, 2, config, new KvState(new Dictionary<string, string> { ["a"] = "1", ["b"] = "x \"quoted\" <b>" }, sessions));
        LogEntry[] entries =
        [
            new(11, 2, KvCommand.Put("c", "3"), new ClientSession(1, 8)),
            new(12, 3, KvCommand.NoOp),
            new(13, 3, KvCommand.NoOp, Config: config.Promote(new NodeId(4))),
            new(14, 3, KvCommand.Append("a", "2"), new ClientSession(2, 4)),
            new(15, 3, KvCommand.Delete("b"), new ClientSession(5, 1)),
            new(16, 3, KvCommand.Get("a"), new ClientSession(1, 9)),
        ];
        return DurableState.Restore(4, new NodeId(3), snapshot, entries, out var problem) ?? throw new InvalidOperationException(problem);
    }

    private static void AssertSameDisk(DurableState expected, DurableState actual)
    {
        Assert.Equal((expected.CurrentTerm, expected.VotedFor), (actual.CurrentTerm, actual.VotedFor));
        Assert.Equal((expected.Log.BaseIndex, expected.Log.BaseTerm, expected.Log.BaseConfig), (actual.Log.BaseIndex, actual.Log.BaseTerm, actual.Log.BaseConfig));
        Assert.Equal(expected.Log.Entries, actual.Log.Entries);
        Assert.Equal(expected.Log.LatestConfig, actual.Log.LatestConfig);
        if (expected.Snapshot is null)
        {
            Assert.Null(actual.Snapshot);
            return;
        }
        var (e, a) = (expected.Snapshot, actual.Snapshot!);
        Assert.Equal((e.LastIndex, e.LastTerm, e.Config), (a.LastIndex, a.LastTerm, a.Config));
        Assert.Equal(e.State.Data.OrderBy(p => p.Key), a.State.Data.OrderBy(p => p.Key));
        Assert.Equal(e.State.Sessions.OrderBy(p => p.Key), a.State.Sessions.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_disk_with_a_snapshot_sessions_and_a_configuration_entry_round_trips_exactly()
    {
        var disk = HandMadeDisk();
        var read = DiskFormat.Read(S2, DiskFormat.WriteState(S2, disk), DiskFormat.WriteSnapshot(S2, disk.Snapshot!), out var problem);
        Assert.Null(problem);
        AssertSameDisk(disk, read!);
        Assert.Equal("config S1 S2 S3 S4", read!.Log.LatestConfig!.ToString());
        Assert.Equal(KvResult.Rejected("the key is empty"), read.Snapshot!.State.Sessions[3].Result);
    }

    [Fact]
    public void A_disk_without_a_snapshot_needs_no_snapshot_file()
    {
        var disk = DurableState.Restore(2, null, null, [new LogEntry(1, 1, KvCommand.NoOp), new LogEntry(2, 2, KvCommand.Put("k", ""))], out _)!;
        var read = DiskFormat.Read(S2, DiskFormat.WriteState(S2, disk), null, out var problem);
        Assert.True(problem is null, problem + " in " + DiskFormat.WriteState(S2, disk));
        AssertSameDisk(disk, read!);
    }

    [Fact]
    public void The_disks_of_a_running_cluster_round_trip_through_their_views()
    {
        ForSeeds(5, seed =>
        {
            var cluster = NewCluster(3, seed, o => o with { SnapshotThreshold = 10 });
            cluster.ElectLeader();
            for (var i = 0; i < 15; i++) Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Append($"k{i % 4}", $"{i},")).Status);
            Assert.True(cluster.AddServer().Ok);
            cluster.RunUntil(c => c.Configuration.IsVoter(new NodeId(4)), TimeSpan.FromSeconds(10));
            Assert.Equal(KvStatus.Ok, cluster.Do(KvCommand.Put("after", "add")).Status);
            Assert.Contains(cluster.Nodes, n => n.Snapshot is not null && n.Log.Any(e => e.Config is not null));
            foreach (var node in cluster.Nodes)
            {
                var state = DiskFormat.WriteState(node);
                var snapshot = node.Snapshot is { } s ? DiskFormat.WriteSnapshot(node.Id, s) : null;
                var read = DiskFormat.Read(node.Id, state, snapshot, out var problem);
                Assert.True(read is not null, problem);
                Assert.Equal((node.Term, node.VotedFor, node.LastLogIndex, node.SnapshotIndex), (read.CurrentTerm, read.VotedFor, read.Log.LastIndex, read.Log.BaseIndex));
                Assert.Equal(node.Log, read.Log.Entries);
                Assert.Equal(node.Config, read.Log.LatestConfig ?? cluster.InitialConfiguration);
            }
        });
    }

    [Theory]
    [InlineData("", "it is not valid")]
    [InlineData("{not json", "it is not valid")]
    [InlineData("null", "it holds null")]
    [InlineData("""{"format":"raftvis-state","version":1,"server":2,"currentTerm":1,"votedFor":null,"snapshotIndex":0,"snapshotTerm":0}""", "it is not valid")]
    [InlineData("""{"format":"raftvis-state","version":2,"server":2,"currentTerm":1,"votedFor":null,"snapshotIndex":0,"snapshotTerm":0,"entries":[]}""", "version 2")]
    [InlineData("""{"format":"raftvis-state","version":1,"server":3,"currentTerm":1,"votedFor":null,"snapshotIndex":0,"snapshotTerm":0,"entries":[]}""", "belongs to S3")]
    [InlineData("""{"format":"raftvis-state","version":1,"server":2,"currentTerm":1,"votedFor":null,"snapshotIndex":0,"snapshotTerm":0,"entries":[{"index":2,"term":1}]}""", "starts at entry 2")]
    [InlineData("""{"format":"raftvis-state","version":1,"server":2,"currentTerm":1,"votedFor":null,"snapshotIndex":0,"snapshotTerm":0,"entries":[{"index":1,"term":5}]}""", "later than the current term")]
    [InlineData("""{"format":"raftvis-state","version":1,"server":2,"currentTerm":1,"votedFor":null,"snapshotIndex":0,"snapshotTerm":0,"entries":[{"index":1,"term":1,"command":{"kind":"Explode","key":"k"}}]}""", "it is not valid")]
    [InlineData("""{"format":"raftvis-state","version":1,"server":2,"currentTerm":1,"votedFor":12,"snapshotIndex":0,"snapshotTerm":0,"entries":[]}""", "S12")]
    [InlineData("""{"format":"raftvis-state","version":1,"server":2,"currentTerm":3,"votedFor":null,"snapshotIndex":10,"snapshotTerm":2,"entries":[]}""", "snapshot file is missing")]
    public void A_corrupt_state_file_is_refused_with_a_reason(string json, string reason)
    {
        Assert.Null(DiskFormat.Read(S2, json, null, out var problem));
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void A_state_file_that_does_not_fit_its_snapshot_file_is_refused()
    {
        var disk = HandMadeDisk();
        var state = DiskFormat.WriteState(S2, disk);
        var older = DiskFormat.WriteSnapshot(S2, disk.Snapshot! with { LastIndex = 5 });
        var otherTerm = DiskFormat.WriteSnapshot(S2, disk.Snapshot! with { LastTerm = 1 });
        Assert.Null(DiskFormat.Read(S2, state, older, out var p1));
        Assert.Null(DiskFormat.Read(S2, state, otherTerm, out var p2));
        Assert.Null(DiskFormat.Read(S2, state, "{}", out var p3));
        Assert.Contains("holds only up to 5", p1);
        Assert.Contains("of term 1", p2);
        Assert.Contains("snapshot file is unreadable", p3);
    }

    [Fact]
    public void A_snapshot_written_just_before_a_crash_replaces_the_entries_it_covers()
    {
        var disk = HandMadeDisk();
        var state = DiskFormat.WriteState(S2, disk);
        // The server compacted to 13 and wrote the snapshot file; the crash came before the state file.
        var newer = new Snapshot(13, 3, disk.Log.ConfigAt(13)!, KvState.Empty);
        var read = DiskFormat.Read(S2, state, DiskFormat.WriteSnapshot(S2, newer), out var problem);
        Assert.Null(problem);
        Assert.Equal((13L, 16L), (read!.Log.BaseIndex, read.Log.LastIndex));
        Assert.Equal(disk.Log.Entries.Where(e => e.Index > 13), read.Log.Entries);
        // A snapshot whose last entry the log does not hold with that term replaces the whole log.
        var conflicting = DiskFormat.Read(S2, state, DiskFormat.WriteSnapshot(S2, newer with { LastTerm = 4, LastIndex = 14 }), out _);
        Assert.Equal((14L, 14L, 4L), (conflicting!.Log.BaseIndex, conflicting.Log.LastIndex, conflicting.CurrentTerm));
    }

    [Fact]
    public void A_cluster_started_from_its_disks_has_the_same_terms_logs_configuration_and_keys()
    {
        ForSeeds(10, seed =>
        {
            var options = new ClusterOptions { NodeCount = 3, Seed = seed, SnapshotThreshold = 10 };
            var before = new Cluster(options);
            before.ElectLeader();
            for (var i = 0; i < 25; i++) Assert.Equal(KvStatus.Ok, before.Do(KvCommand.Put($"k{i % 5}", $"v{i}")).Status);
            Assert.True(before.AddServer().Ok);
            before.RunUntil(c => c.Configuration.IsVoter(new NodeId(4)), TimeSpan.FromSeconds(10));
            Assert.Equal(KvStatus.Ok, before.Do(KvCommand.Append("k0", "+")).Status);
            before.AssertConverged();

            var disks = before.Nodes.ToDictionary(n => n.Id, n => DiskFormat.Read(n.Id, DiskFormat.WriteState(n),
                n.Snapshot is { } s ? DiskFormat.WriteSnapshot(n.Id, s) : null, out _)!);
            var after = Cluster.FromDisks(options, disks);

            Assert.True(after.StartedFromDisks);
            Assert.True(after.Clone().StartedFromDisks);
            Assert.Equal(before.Nodes.Select(n => (n.Id, n.Term, n.LastLogIndex, n.SnapshotIndex)), after.Nodes.Select(n => (n.Id, n.Term, n.LastLogIndex, n.SnapshotIndex)));
            Assert.Equal(new Configuration([new NodeId(1), new NodeId(2), new NodeId(3), new NodeId(4)]), after.Configuration);
            Assert.Equal(Configuration.Initial(3), after.InitialConfiguration);

            after.ElectLeader();
            Assert.Equal(KvResult.Ok("v20+"), after.Do(KvCommand.Get("k0")));
            Assert.Equal(KvResult.Ok("v24"), after.Do(KvCommand.Get("k4")));
            // New clients continue the old sessions: their writes are not mistaken for retries.
            Assert.Equal(KvStatus.Ok, after.Do(KvCommand.Put("k4", "new")).Status);
            Assert.Equal(KvResult.Ok("new"), after.Do(KvCommand.Get("k4")));
            Assert.Equal(KvResult.Ok("v20++"), after.Do(KvCommand.Append("k0", "+")));
            Assert.Equal(KvStatus.Ok, after.Do(KvCommand.Put("fresh", "1")).Status);
            Assert.True(after.Nodes.Max(n => n.Term) >= before.Nodes.Max(n => n.Term));
            after.AssertConverged();
            after.AssertSafe();

            var verdict = LinearizabilityChecker.Check(ClusterHistoryAdapter.FromCluster(after.History), null, after.HistoryCut);
            Assert.Equal(LinearizabilityVerdict.Linearizable, verdict.Verdict);
            Assert.Contains("k0", after.HistoryCut.UncheckedKeys.Keys);
            Assert.DoesNotContain("fresh", after.HistoryCut.UncheckedKeys.Keys);
        });
    }

    [Fact]
    public void A_missing_disk_is_a_fresh_server_that_catches_up()
    {
        var options = new ClusterOptions { NodeCount = 3, Seed = 3, SnapshotThreshold = 10 };
        var before = new Cluster(options);
        before.ElectLeader();
        for (var i = 0; i < 15; i++) before.Do(KvCommand.Put("k", $"v{i}"));
        before.AssertConverged();
        var disks = before.Nodes.Where(n => n.Id.Value != 3).ToDictionary(n => n.Id, n => DiskFormat.Read(n.Id, DiskFormat.WriteState(n),
            n.Snapshot is { } s ? DiskFormat.WriteSnapshot(n.Id, s) : null, out _)!);
        var after = Cluster.FromDisks(options, disks);
        Assert.Equal((0L, 0L), (after.Nodes[2].Term, after.Nodes[2].LastLogIndex));
        after.ElectLeader();
        after.AssertConverged();
        Assert.Equal("v14", after.Nodes[2].Kv["k"]);
        after.AssertSafe();
    }
}
