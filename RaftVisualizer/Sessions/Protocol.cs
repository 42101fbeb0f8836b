using RaftVisualizer.Core;
using RaftVisualizer.Core.Safety;

namespace RaftVisualizer.Sessions;

/// <summary>A protocol switch the page offers: what it does in one sentence, where the paper or thesis says so, and how it reads and sets <see cref="ClusterOptions"/>.</summary>
public sealed record ProtocolSwitch(string Id, string Label, string Does, string Section, bool Unsafe,
    Func<ClusterOptions, bool> IsOn, Func<ClusterOptions, bool, ClusterOptions> Set)
{
    /// <summary>The switch in a word or two, for a summary line.</summary>
    public string Short { get; init; } = Label;
}

/// <summary>One of the ways a leader answers reads, for a page to offer.</summary>
public sealed record ReadModeChoice(ReadMode Mode, string Label, string Does, string Section);

/// <summary>A named set of switches: the protocol as a paper figure or a production system runs it.</summary>
public sealed record ProtocolPreset(string Id, string Label, string Says, Func<ClusterOptions, ClusterOptions> Apply)
{
    public bool Matches(ClusterOptions options) => Protocol.Same(Apply(options), options);
}

/// <summary>
/// The protocol a cluster runs: the part of <see cref="ClusterOptions"/> the protocol panel picks
/// (pre-vote, check-quorum, the vote guard, the read mode, clock drift, batching, the snapshot
/// threshold and the broken rules). The rest (node count, seed, timeouts, latency) is the cluster's.
/// </summary>
public static class Protocol
{
    public static readonly IReadOnlyList<ProtocolSwitch> Switches =
    [
        new("prevote", "Pre-vote",
            "A candidate first asks whether it could win, without raising its term, so a server that rejoins after a partition does not depose a working leader.",
            "thesis §9.6", false, o => o.PreVote, (o, on) => o with { PreVote = on }) { Short = "pre-vote" },
        new("checkquorum", "Check-quorum",
            "A leader that has not heard from a majority within an election timeout steps down, so clients stop waiting on a leader cut off in a minority.",
            "thesis §6.2", false, o => o.CheckQuorum, (o, on) => o with { CheckQuorum = on }) { Short = "check-quorum" },
        new("stickiness", "Leader stickiness (vote guard)",
            "A server ignores vote requests while it heard from a leader within the minimum election timeout, so a partitioned or removed server cannot force an election (Lease reads turn this on).",
            "thesis §4.2.3", false, o => o.LeaderStickiness, (o, on) => o with { LeaderStickiness = on }) { Short = "vote guard" },
        new("fastbacktrack", "Fast backtracking",
            "A follower that refuses AppendEntries names the conflicting term and where it starts, so the leader skips a whole term per round trip instead of one entry.",
            "paper §5.3", false, o => o.FastBacktracking, (o, on) => o with { FastBacktracking = on }) { Short = "fast backtracking" },
        new("noop", "No-op on election",
            "A new leader appends an empty entry of its own term at once, so entries of earlier terms commit without waiting for a client, and ReadIndex and membership changes can start.",
            "paper §8", false, o => o.ElectionNoOp, (o, on) => o with { ElectionNoOp = on }) { Short = "election no-op" },
    ];

    public static readonly IReadOnlyList<ReadModeChoice> ReadModes =
    [
        new(ReadMode.Log, "through the log", "Every read is a log entry, committed and applied like a write: always right, and as slow as a write.", "paper §8"),
        new(ReadMode.ReadIndex, "ReadIndex", "The leader notes its commit index, confirms with one heartbeat round that a majority still follows it, then answers; nothing is appended.", "paper §8, thesis §6.4"),
        new(ReadMode.Lease, "lease", "The leader answers from its own state while a majority acknowledged it less than a lease ago; the lease is the election timeout shortened by the clock-drift bound.", "thesis §6.4.1"),
    ];

    /// <summary>The broken rules, each "unsafe": the safety monitor or the linearizability checker should catch it.</summary>
    public static readonly IReadOnlyList<ProtocolSwitch> Broken =
    [
        Rule(BrokenRules.CommitPreviousTermByCounting, "Commit earlier terms by counting",
            "A leader commits an entry of an earlier term once a majority holds it (the Figure 8 bug), so a committed entry can be overwritten.", "paper §5.4.2, Figure 8"),
        Rule(BrokenRules.ForgetVotedForOnRestart, "Forget votedFor on restart",
            "A restarted server forgets whom it voted for, so it can vote twice in one term and two leaders can win it.", "paper §5.2, Figure 2"),
        Rule(BrokenRules.VoteWithoutUpToDateCheck, "Vote without the up-to-date check",
            "A server votes for a candidate whose log is behind its own, so a new leader can lack committed entries.", "paper §5.4.1"),
        Rule(BrokenRules.ReadsFromAnyNode, "Reads from any server",
            "Whichever server a read reaches answers from its own state, leader or not, so a read can return a stale value.", "paper §8"),
        Rule(BrokenRules.LeaseWithoutDriftBound, "Lease without the drift bound",
            "A lease lasts the whole minimum election timeout, not shortened for clock drift, so with drift a slow-clocked old leader can answer after a new leader was elected.", "thesis §6.4.1"),
    ];

    private static ProtocolSwitch Rule(BrokenRules rule, string label, string does, string section) =>
        new("broken-" + rule, label, does, section, true, o => o.Broken.HasFlag(rule),
            (o, on) => o with { Broken = on ? o.Broken | rule : o.Broken & ~rule });

    public static readonly IReadOnlyList<ProtocolPreset> Presets =
    [
        new("figure2", "Figure 2 only", "The algorithm as the paper's Figure 2 states it: reads through the log, nothing more.",
            o => Clean(o) with { ReadMode = ReadMode.Log }),
        new("etcd", "as etcd runs it", "Pre-vote, check-quorum and ReadIndex reads, as etcd configures its raft.",
            o => Clean(o) with { PreVote = true, CheckQuorum = true, ReadMode = ReadMode.ReadIndex }),
        new("everything", "everything", "Every safe feature on: pre-vote, check-quorum, the vote guard, lease reads on clocks drifting 5 %, snapshots every 50 entries.",
            o => Clean(o) with { PreVote = true, CheckQuorum = true, LeaderStickiness = true, ReadMode = ReadMode.Lease, ClockDrift = 0.05, SnapshotThreshold = 50 }),
    ];

    /// <summary>Every protocol switch off, batching at its default, no snapshots, no broken rule.</summary>
    private static ClusterOptions Clean(ClusterOptions o) => o with
    {
        PreVote = false, CheckQuorum = false, LeaderStickiness = false, ReadMode = ReadMode.Log, ClockDrift = 0,
        FastBacktracking = true, ElectionNoOp = true,
        MaxEntriesPerAppend = ClusterOptions.Default.MaxEntriesPerAppend, SnapshotThreshold = 0, Broken = BrokenRules.None,
    };

    /// <summary>The largest batch and snapshot threshold offered (the core accepts more; the page keeps them readable).</summary>
    public const int MaxBatch = 1000;
    public const int MaxSnapshotThreshold = 100_000;
    /// <summary>The largest clock drift offered, as a whole percentage (the core accepts up to below 50 %).</summary>
    public const int MaxDriftPercent = 20;

    /// <summary><paramref name="cluster"/>'s options with the protocol of <paramref name="protocol"/>.</summary>
    public static ClusterOptions Apply(ClusterOptions cluster, ClusterOptions protocol) => cluster with
    {
        PreVote = protocol.PreVote, CheckQuorum = protocol.CheckQuorum, LeaderStickiness = protocol.LeaderStickiness,
        FastBacktracking = protocol.FastBacktracking, ElectionNoOp = protocol.ElectionNoOp,
        ReadMode = protocol.ReadMode, ClockDrift = protocol.ClockDrift, MaxEntriesPerAppend = protocol.MaxEntriesPerAppend,
        SnapshotThreshold = protocol.SnapshotThreshold, Broken = protocol.Broken,
    };

    /// <summary>Whether two option sets run the same protocol.</summary>
    public static bool Same(ClusterOptions a, ClusterOptions b) => Apply(a, b) == a;

    /// <summary>How many protocol settings differ (what an unapplied panel says it would change).</summary>
    public static int Differences(ClusterOptions a, ClusterOptions b) =>
        Switches.Concat(Broken).Count(s => s.IsOn(a) != s.IsOn(b))
        + (a.ReadMode != b.ReadMode ? 1 : 0) + (a.ClockDrift != b.ClockDrift ? 1 : 0)
        + (a.MaxEntriesPerAppend != b.MaxEntriesPerAppend ? 1 : 0) + (a.SnapshotThreshold != b.SnapshotThreshold ? 1 : 0);

    /// <summary>The protocol in a few words: "pre-vote, check-quorum, ReadIndex reads".</summary>
    public static string Describe(ClusterOptions o)
    {
        // A switch is named when it differs from a plain cluster: "pre-vote" when on, "no election no-op" when off.
        var parts = Switches.Where(s => s.IsOn(o) != s.IsOn(ClusterOptions.Default)).Select(s => s.IsOn(o) ? s.Short : "no " + s.Short).ToList();
        parts.Add(ReadModes.First(m => m.Mode == o.ReadMode).Label switch { "through the log" => "reads through the log", var l => l + " reads" });
        if (o.ClockDrift > 0) parts.Add($"clocks drift ±{o.ClockDrift * 100:0.#} %");
        if (o.SnapshotThreshold > 0) parts.Add($"snapshot every {o.SnapshotThreshold} entries");
        var broken = Broken.Count(b => b.IsOn(o));
        if (broken > 0) parts.Add(broken == 1 ? "1 rule broken" : $"{broken} rules broken");
        return string.Join(", ", parts);
    }
}
