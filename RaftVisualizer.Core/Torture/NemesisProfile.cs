namespace RaftVisualizer.Core.Torture;

/// <summary>One kind of fault the nemesis can inject (or undo).</summary>
public enum Fault
{
    /// <summary>Split the servers into two random groups.</summary>
    PartitionHalves,
    /// <summary>Cut the current leader off from everyone.</summary>
    IsolateLeader,
    /// <summary>Cut one random server off from everyone.</summary>
    IsolateNode,
    /// <summary>A ring where each server reaches only its neighbours: majorities that overlap but disagree.</summary>
    MajorityRing,
    /// <summary>Cut one link in one direction only.</summary>
    OneWayCut,
    /// <summary>Cut the leader's links to some followers in one direction, so new entries reach only a few.</summary>
    CutLeaderFromSome,
    CrashNode,
    CrashLeader,
    /// <summary>Crash a leader elected moments ago, before its own entries reach a majority.</summary>
    CrashNewLeader,
    /// <summary>Crash a leader the instant it advances its commit index (a reaction, not drawn by weight).</summary>
    CrashLeaderOnCommit,
    /// <summary>Crash a majority of the live servers at once.</summary>
    CrashMajority,
    RestartNode,
    RestartAll,
    /// <summary>Crash a server and restart it at once: it keeps only its durable state.</summary>
    BounceNode,
    /// <summary>Force two followers to time out together, so two candidates compete in one term.</summary>
    CompetingElections,
    Loss,
    Duplication,
    /// <summary>Latency over a wide range, so messages overtake each other.</summary>
    LongDelays,
    /// <summary>A wide latency range on one link only.</summary>
    SlowLink,
    /// <summary>Restore every link (partitions, cuts, per-link latency).</summary>
    Heal,
    /// <summary>Restore the calm network: the configured latency, no loss, no duplication.</summary>
    Calm,
    /// <summary>Ask the leader to hand leadership to another live server (TimeoutNow).</summary>
    TransferLeadership,
    /// <summary>
    /// Hand leadership to the server whose clock runs slowest (its lease lasts longest in real time);
    /// once it leads, cut it off from the others.
    /// </summary>
    IsolateSlowLeader,
    /// <summary>Ask the leader to add the next server (a learner, then a voter); refused at nine servers, with no leader, or while a change is pending.</summary>
    AddServer,
    /// <summary>Ask the leader to remove a random member (voter or learner); refused for the last voter, with no leader, or while a change is pending.</summary>
    RemoveServer,
    /// <summary>Ask the leader to remove itself: it leads until that entry commits, then steps down.</summary>
    RemoveLeader,
}

/// <summary>Protocol features a torture run switches on (each seed draws among the read modes given).</summary>
[Flags]
public enum TortureFeatures
{
    None = 0,
    /// <summary>Reads by ReadIndex (with Lease too, each seed draws Log, ReadIndex or Lease).</summary>
    ReadIndex = 1,
    /// <summary>Reads under a lease, on drifting clocks.</summary>
    Lease = 2,
    CheckQuorum = 4,
    /// <summary>The nemesis also asks leaders to hand over leadership.</summary>
    Transfers = 8,
    /// <summary>The vote guard against disruptive servers.</summary>
    LeaderStickiness = 16,
    /// <summary>Membership churn: the nemesis also adds servers, removes servers and removes the leader, on a schedule of its own.</summary>
    Membership = 32,
    /// <summary>Log compaction: each seed draws a snapshot threshold from 3 to 20 entries, so snapshots and InstallSnapshot are everywhere.</summary>
    Compaction = 64,
    All = ReadIndex | Lease | CheckQuorum | Transfers | LeaderStickiness | Membership | Compaction,
}

/// <summary>Which schedule of faults the nemesis draws from.</summary>
public enum NemesisMode
{
    /// <summary>The targeted mode for the broken rule under test, or <see cref="Mixed"/> when nothing is broken.</summary>
    Auto,
    /// <summary>Every fault, at random.</summary>
    Mixed,
    /// <summary>Aimed at <see cref="BrokenRules.ForgetVotedForOnRestart"/>.</summary>
    VoterAmnesia,
    /// <summary>Aimed at <see cref="BrokenRules.VoteWithoutUpToDateCheck"/>.</summary>
    StaleCandidate,
    /// <summary>Aimed at <see cref="BrokenRules.CommitPreviousTermByCounting"/>.</summary>
    Figure8,
    /// <summary>Aimed at <see cref="BrokenRules.ReadsFromAnyNode"/>.</summary>
    StaleReads,
    /// <summary>Aimed at <see cref="BrokenRules.LeaseWithoutDriftBound"/>.</summary>
    LeaseDrift,
    /// <summary>Membership changes all the time, among crashes, isolations and bounces, on a compacting cluster.</summary>
    Churn,
}

/// <summary>
/// How the nemesis and the clients behave in one mode: fault weights, how often faults come,
/// and how the clients read. Each targeted mode says in <see cref="Story"/> what it does to
/// expose its broken rule, so a lesson can tell the student.
/// </summary>
public sealed record NemesisProfile(NemesisMode Mode, string Story, IReadOnlyDictionary<Fault, int> Weights)
{
    /// <summary>The pause between two faults is drawn from this range.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMilliseconds(700);
    /// <summary>The share of client operations that are reads.</summary>
    public double ReadShare { get; init; } = 0.35;
    /// <summary>Send reads to a chosen server that is not the leader (most of the time) instead of any server.</summary>
    public bool ReadsAvoidLeader { get; init; }
    /// <summary>The longest pause between two client operations (each pause is drawn from 5 ms to this).</summary>
    public TimeSpan MaxClientInterval { get; init; } = TimeSpan.FromMilliseconds(65);
    /// <summary>Most simultaneous client operations.</summary>
    public int MaxClients { get; init; } = 8;
    /// <summary>Overrides the entries per AppendEntries, to replicate one entry at a time.</summary>
    public int? MaxEntriesPerAppend { get; init; }
    /// <summary>The chance that the nemesis crashes a leader the instant it advances its commit index.</summary>
    public double CrashLeaderOnCommitChance { get; init; }
    /// <summary>Whether a seed may turn pre-vote on.</summary>
    public bool AllowPreVote { get; init; } = true;
    /// <summary>Overrides the cluster's read mode, clock drift and latency (for the lease's targeted mode).</summary>
    public ReadMode? ReadMode { get; init; }
    public double? ClockDrift { get; init; }
    public TimeSpan? MinLatency { get; init; }
    public TimeSpan? MaxLatency { get; init; }
    /// <summary>Overrides how long a client waits for one server before it tries another.</summary>
    public TimeSpan? ClientAttemptTimeout { get; init; }
    /// <summary>Overrides the snapshot threshold (entries applied past the last snapshot before the next).</summary>
    public int? SnapshotThreshold { get; init; }

    /// <summary>
    /// Membership churn on a schedule of its own, besides the faults: the pause between two
    /// changes is drawn from this range; null = no churn schedule.
    /// </summary>
    public (TimeSpan Min, TimeSpan Max)? ChurnInterval { get; init; }

    /// <summary>The weights a churn step draws from (<see cref="Fault.AddServer"/>, <see cref="Fault.RemoveServer"/>, <see cref="Fault.RemoveLeader"/>).</summary>
    public static readonly IReadOnlyDictionary<Fault, int> ChurnWeights = new Dictionary<Fault, int>
    {
        [Fault.AddServer] = 5, [Fault.RemoveServer] = 4, [Fault.RemoveLeader] = 1,
    };

    /// <summary>This profile with membership churn every <paramref name="min"/> to <paramref name="max"/>.</summary>
    public NemesisProfile WithChurn(TimeSpan min, TimeSpan max) => this with { ChurnInterval = (min, max) };

    /// <summary>This profile with <paramref name="fault"/> drawn at <paramref name="weight"/> too (a switched-on feature's fault).</summary>
    public NemesisProfile With(Fault fault, int weight) =>
        this with { Weights = new Dictionary<Fault, int>(Weights) { [fault] = weight } };

    public static NemesisProfile For(NemesisMode mode, BrokenRules broken = BrokenRules.None) => Resolve(mode, broken) switch
    {
        NemesisMode.VoterAmnesia => VoterAmnesia,
        NemesisMode.StaleCandidate => StaleCandidate,
        NemesisMode.Figure8 => Figure8,
        NemesisMode.StaleReads => StaleReads,
        NemesisMode.LeaseDrift => LeaseDrift,
        NemesisMode.Churn => Churn,
        _ => Mixed,
    };

    /// <summary>The mode <see cref="NemesisMode.Auto"/> stands for with these broken rules.</summary>
    public static NemesisMode Resolve(NemesisMode mode, BrokenRules broken) => mode != NemesisMode.Auto ? mode :
        broken.HasFlag(BrokenRules.CommitPreviousTermByCounting) ? NemesisMode.Figure8 :
        broken.HasFlag(BrokenRules.ForgetVotedForOnRestart) ? NemesisMode.VoterAmnesia :
        broken.HasFlag(BrokenRules.VoteWithoutUpToDateCheck) ? NemesisMode.StaleCandidate :
        broken.HasFlag(BrokenRules.ReadsFromAnyNode) ? NemesisMode.StaleReads :
        broken.HasFlag(BrokenRules.LeaseWithoutDriftBound) ? NemesisMode.LeaseDrift :
        NemesisMode.Mixed;

    public static readonly NemesisProfile Mixed = new(NemesisMode.Mixed,
        "Every fault at random: partitions into halves, an isolated leader, a ring of overlapping majorities, one-way cuts, " +
        "crashes and restarts (of a majority too), loss, duplication and long delays that reorder messages.",
        new Dictionary<Fault, int>
        {
            [Fault.PartitionHalves] = 6, [Fault.IsolateLeader] = 5, [Fault.IsolateNode] = 3, [Fault.MajorityRing] = 3,
            [Fault.OneWayCut] = 4, [Fault.CutLeaderFromSome] = 2, [Fault.CrashNode] = 4, [Fault.CrashLeader] = 4,
            [Fault.CrashMajority] = 2, [Fault.RestartNode] = 5, [Fault.RestartAll] = 3, [Fault.BounceNode] = 3,
            [Fault.CompetingElections] = 2, [Fault.Loss] = 3, [Fault.Duplication] = 3, [Fault.LongDelays] = 3,
            [Fault.SlowLink] = 2, [Fault.Heal] = 7, [Fault.Calm] = 3, [Fault.CrashNewLeader] = 2,
        })
    {
        CrashLeaderOnCommitChance = 0,
    };

    public static readonly NemesisProfile VoterAmnesia = new(NemesisMode.VoterAmnesia,
        "Two followers time out together, so two candidates ask for votes in the same term, while long delays hold some " +
        "vote requests back. Meanwhile servers crash and restart at once. A voter that restarts between the two requests " +
        "and forgot its vote will vote a second time in that term.",
        new Dictionary<Fault, int>
        {
            [Fault.CompetingElections] = 8, [Fault.BounceNode] = 8, [Fault.LongDelays] = 3, [Fault.IsolateLeader] = 2,
            [Fault.Heal] = 2, [Fault.Calm] = 1,
        })
    {
        MinInterval = TimeSpan.FromMilliseconds(20), MaxInterval = TimeSpan.FromMilliseconds(200), AllowPreVote = false,
    };

    public static readonly NemesisProfile StaleCandidate = new(NemesisMode.StaleCandidate,
        "One server is cut off while the others keep committing writes. Alone, it times out again and again and its term " +
        "climbs. When it comes back its term is the highest, but its log is stale: only the up-to-date check stops it from " +
        "winning and overwriting committed entries.",
        new Dictionary<Fault, int>
        {
            [Fault.IsolateNode] = 6, [Fault.IsolateLeader] = 3, [Fault.Heal] = 5, [Fault.CrashNode] = 1, [Fault.RestartAll] = 2,
        })
    {
        MinInterval = TimeSpan.FromMilliseconds(300), MaxInterval = TimeSpan.FromMilliseconds(1200), AllowPreVote = false,
    };

    public static readonly NemesisProfile Figure8 = new(NemesisMode.Figure8,
        "Figure 8 of the Raft paper, steered with random servers and timings, one entry per AppendEntries. (a) Leader A " +
        "reaches only one follower, so its new entries land on a minority, and crashes. (b) Another server C wins, keeps " +
        "its newer entries to itself, and crashes. (c) A comes back, wins a later term and copies its old entries onto a " +
        "majority; the instant it commits anything, it crashes. (d) C comes back and, with its newer last term, can win " +
        "and overwrite them. Correct Raft never committed A's old entries; a leader that counted their replicas did, " +
        "and a committed entry is lost.",
        new Dictionary<Fault, int> { [Fault.Heal] = 1 })
    {
        MinInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(25),
        MaxEntriesPerAppend = 1, AllowPreVote = false, ReadShare = 0.1,
    };

    public static readonly NemesisProfile StaleReads = new(NemesisMode.StaleReads,
        "Minorities and old leaders are cut off while the majority keeps committing writes, and clients keep reading " +
        "through servers other than the leader. A server that answers a read from its own state returns a value the " +
        "cluster has already overwritten.",
        new Dictionary<Fault, int>
        {
            [Fault.PartitionHalves] = 4, [Fault.IsolateLeader] = 4, [Fault.IsolateNode] = 3, [Fault.Heal] = 3, [Fault.LongDelays] = 1,
        })
    {
        ReadShare = 0.5, ReadsAvoidLeader = true,
    };

    public static readonly NemesisProfile LeaseDrift = new(NemesisMode.LeaseDrift,
        "Reads are served under leases, on a fast network (1–5 ms), and every server's clock drifts by up to 45 %. " +
        "Leadership is handed to the server whose clock runs slowest, and then that leader is cut off from the others " +
        "while clients still reach it. Its lease, measured on its slow clock, lasts longer in real time than the vote " +
        "guard on the fast clocks of the others: unless the lease was shortened by the drift bound, the majority elects " +
        "a new leader and overwrites a key while the old one still answers reads from its own state. Clients give up on a " +
        "silent server after 60 ms, so writes stuck at the cut-off leader soon find the new one.",
        new Dictionary<Fault, int> { [Fault.IsolateSlowLeader] = 6, [Fault.Heal] = 4 })
    {
        MinInterval = TimeSpan.FromMilliseconds(200), MaxInterval = TimeSpan.FromMilliseconds(800), ReadShare = 0.5, ReadsAvoidLeader = true,
        MaxClientInterval = TimeSpan.FromMilliseconds(15), ClientAttemptTimeout = TimeSpan.FromMilliseconds(60), ReadMode = Core.ReadMode.Lease, ClockDrift = 0.45,
        MinLatency = TimeSpan.FromMilliseconds(1), MaxLatency = TimeSpan.FromMilliseconds(5),
    };

    public static readonly NemesisProfile Churn = new(NemesisMode.Churn,
        "Servers join and leave all the time: every 50 to 250 ms the leader is asked to add the next server, to remove a " +
        "random member or to remove itself, and refusals (no leader, a change still pending, nine servers used) are " +
        "simply accepted. Meanwhile servers crash, restart, bounce and are cut off, and every server snapshots after " +
        "four entries, so a new or lagging server is caught up by InstallSnapshot. Majorities must follow the " +
        "configuration in every log: a leader that counted the old one would commit on too few servers.",
        new Dictionary<Fault, int>
        {
            [Fault.CrashNode] = 4, [Fault.CrashLeader] = 3, [Fault.RestartNode] = 6, [Fault.BounceNode] = 3, [Fault.IsolateNode] = 3,
            [Fault.IsolateLeader] = 3, [Fault.PartitionHalves] = 2, [Fault.Heal] = 5, [Fault.Loss] = 1, [Fault.LongDelays] = 1, [Fault.Calm] = 2,
        })
    {
        MinInterval = TimeSpan.FromMilliseconds(80), MaxInterval = TimeSpan.FromMilliseconds(400),
        ChurnInterval = (TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250)), SnapshotThreshold = 4,
    };
}
