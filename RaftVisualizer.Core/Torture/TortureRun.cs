using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core.Torture;

/// <summary>What to run for one seed. Everything else (cluster size when not given, keys, clients, faults) is drawn from the seed.</summary>
public sealed record TortureOptions
{
    public ulong Seed { get; init; } = 1;
    /// <summary>3 to 9 servers; null draws 3, 4 or 5 from the seed.</summary>
    public int? Nodes { get; init; }
    public BrokenRules Broken { get; init; } = BrokenRules.None;
    public NemesisMode Nemesis { get; init; } = NemesisMode.Auto;
    /// <summary>Protocol features switched on: read modes, check-quorum, transfers in the nemesis, the vote guard, membership churn, compaction.</summary>
    public TortureFeatures Features { get; init; } = TortureFeatures.None;
    /// <summary>How long the nemesis and the clients act before everything is healed.</summary>
    public TimeSpan Chaos { get; init; } = DefaultChaos;
    /// <summary>Time allowed to the linearizability checker; it answers Unknown when it runs out.</summary>
    public TimeSpan CheckerBudget { get; init; } = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultChaos = TimeSpan.FromSeconds(4);
}

/// <summary>The check that failed first.</summary>
public enum TortureCheck
{
    /// <summary>The safety monitor saw a Raft property break (checked after every event).</summary>
    Safety,
    /// <summary>No leader within 5 simulated seconds after everything was healed.</summary>
    LeaderAfterHeal,
    /// <summary>The live servers did not end with the same committed log and KV map.</summary>
    Convergence,
    /// <summary>The clients' history has no linearization.</summary>
    Linearizability,
    /// <summary>The simulation threw.</summary>
    Exception,
}

/// <summary>The verdict on one seed, with what it takes to reproduce and replay it.</summary>
public sealed record TortureResult
{
    public required TortureOptions Options { get; init; }
    public ulong Seed => Options.Seed;
    public required ClusterOptions ClusterOptions { get; init; }
    public required NemesisProfile Profile { get; init; }
    public bool Passed => FailedCheck is null;
    public TortureCheck? FailedCheck { get; init; }
    public SafetyViolation? FirstViolation { get; init; }
    public LinearizabilityResult? History { get; init; }
    /// <summary>What went wrong, in words: the first violation, the checker's explanation, or the difference.</summary>
    public string? Failure { get; init; }
    /// <summary>The command line that runs this seed again, e.g. <c>dotnet run --project RaftVisualizer.Torture -- --seed 12 --nodes 5 --broken None</c>.</summary>
    public required string Reproduction { get; init; }
    /// <summary>Options, seed and every timed action: replay with <c>Cluster.Replay(Scenario, EndedAt)</c>.</summary>
    public required Scenario Scenario { get; init; }
    public TimeSpan EndedAt { get; init; }
    public long Steps { get; init; }
    public int Operations { get; init; }
    public IReadOnlyList<NemesisStep> NemesisLog { get; init; } = [];

    public override string ToString() => Passed
        ? $"seed {Seed}: passed ({Operations} operations, {NemesisLog.Count} faults, {EndedAt.TotalSeconds:0.0} s simulated)"
        : $"seed {Seed}: FAILED {FailedCheck}: {Failure}";
}

/// <summary>
/// One seed of the fault-injection torture: a cluster of 3 to 5 servers and several clients
/// while a nemesis injects faults; then everything is healed and four things are required:
/// no safety property broke (checked after every event), a leader within 5 s, live servers
/// that converge, and a linearizable client history.
/// </summary>
public static class TortureRun
{
    public static readonly TimeSpan LeaderDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(5);

    public static TortureResult Run(TortureOptions options) => Run(options, out _);

    /// <summary>Runs one seed and hands back the cluster too, with its full event stream (for replay checks and lessons).</summary>
    public static TortureResult Run(TortureOptions options, out Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(options);
        Cluster? made = null;
        var result = Execute(options, c => made = c);
        cluster = made!;
        return result;
    }

    private static TortureResult Execute(TortureOptions options, Action<Cluster> created)
    {
        var random = new SimRandom(options.Seed ^ 0x5EED_70_27_0BADUL);
        var drawnNodes = 3 + random.Next(3); // drawn even when given, so the rest of the run does not depend on it
        var nodes = options.Nodes ?? drawnNodes;
        var profile = NemesisProfile.For(options.Nemesis, options.Broken);
        var clusterOptions = new ClusterOptions
        {
            NodeCount = nodes,
            Seed = options.Seed,
            Broken = options.Broken,
            PreVote = random.Chance(0.3) && profile.AllowPreVote,
            MaxEntriesPerAppend = profile.MaxEntriesPerAppend ?? new[] { 1, 4, 16 }[random.Next(3)],
        };
        (clusterOptions, profile) = WithFeatures(options.Features, clusterOptions, profile, random);
        var cluster = new Cluster(clusterOptions);
        created(cluster);
        var nemesis = new Nemesis(cluster, random.Fork(), profile);
        var clients = new ClientWorkload(cluster, random.Fork(), profile);

        TortureResult Verdict(TortureCheck? failed, string? failure, LinearizabilityResult? history = null) => new()
        {
            Options = options,
            ClusterOptions = clusterOptions,
            Profile = profile,
            FailedCheck = failed,
            FirstViolation = cluster.Safety.FirstViolation,
            History = history,
            Failure = failure,
            Reproduction = Reproduce(options, nodes),
            Scenario = cluster.Scenario,
            EndedAt = cluster.Now,
            Steps = cluster.Steps,
            Operations = cluster.History.Count,
            NemesisLog = nemesis.Log.ToArray(),
        };
        TortureResult? Unsafe() => cluster.Safety.IsSafe ? null : Verdict(TortureCheck.Safety, cluster.Safety.FirstViolation!.ToString());

        try
        {
            // chaos: faults and clients interleaved, the safety monitor watching every event
            var end = cluster.Now + options.Chaos;
            var nextFault = cluster.Now + TimeSpan.FromMilliseconds(300) + nemesis.NextInterval();
            var nextClient = cluster.Now + TimeSpan.FromMilliseconds(200);
            var nextChurn = profile.ChurnInterval is null ? TimeSpan.MaxValue : cluster.Now + TimeSpan.FromMilliseconds(300) + nemesis.NextChurnInterval();
            while (cluster.Now < end)
            {
                var next = Min(Min(Min(nextFault, nextClient), nextChurn), end);
                cluster.RunUntil(_ => nemesis.PendingReaction is not null, next - cluster.Now);
                if (Unsafe() is { } early) return early;
                if (nemesis.PendingReaction is not null)
                {
                    nemesis.React();
                    continue;
                }
                if (cluster.Now >= nextFault)
                {
                    nemesis.Act();
                    nextFault = cluster.Now + nemesis.NextInterval();
                }
                if (cluster.Now >= nextChurn && cluster.Now < end)
                {
                    nemesis.Churn();
                    nextChurn = cluster.Now + nemesis.NextChurnInterval();
                }
                if (cluster.Now >= nextClient && cluster.Now < end)
                {
                    clients.Tick();
                    nextClient = cluster.Now + clients.NextInterval();
                }
            }

            // heal: every link, the calm network, every server back up
            nemesis.Enabled = false;
            nemesis.HealAll();
            var hasLeader = cluster.RunUntil(c => c.Leader is not null || !c.Safety.IsSafe, LeaderDeadline);
            if (Unsafe() is { } unsafeAfterHeal) return unsafeAfterHeal;
            if (!hasLeader) return Verdict(TortureCheck.LeaderAfterHeal, $"no leader within {LeaderDeadline.TotalSeconds:0} s after healing: {Describe(cluster)}");

            // let the clients still waiting finish, then let the servers converge
            cluster.RunUntil(_ => clients.AllDone, cluster.Options.ClientTimeout + TimeSpan.FromSeconds(1));
            cluster.RunUntil(c => Convergence.IsSettled(c) || !c.Safety.IsSafe, SettleLimit);
            if (Unsafe() is { } unsafeAtEnd) return unsafeAtEnd;
            if (Convergence.Divergence(cluster) is { } divergence) return Verdict(TortureCheck.Convergence, divergence);

            var history = LinearizabilityChecker.Check(ClusterHistoryAdapter.FromCluster(cluster.History), options.CheckerBudget);
            return history.Verdict == LinearizabilityVerdict.NotLinearizable
                ? Verdict(TortureCheck.Linearizability, history.Explanation, history)
                : Verdict(null, history.Verdict == LinearizabilityVerdict.Unknown ? history.Explanation : null, history);
        }
        catch (Exception e)
        {
            // a broken rule can drive a server into a state the code never expects: report it, with the safety verdict first
            return Unsafe() ?? Verdict(TortureCheck.Exception, $"{e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }
    }

    /// <summary>
    /// Switches the features on. Nothing is drawn when no feature is on and the profile overrides
    /// nothing, so such a seed runs exactly as before the features existed.
    /// </summary>
    private static (ClusterOptions, NemesisProfile) WithFeatures(TortureFeatures features, ClusterOptions o, NemesisProfile profile, SimRandom random)
    {
        var modes = new List<ReadMode>();
        if (features.HasFlag(TortureFeatures.ReadIndex) || features.HasFlag(TortureFeatures.Lease)) modes.Add(ReadMode.Log);
        if (features.HasFlag(TortureFeatures.ReadIndex)) modes.Add(ReadMode.ReadIndex);
        if (features.HasFlag(TortureFeatures.Lease)) modes.Add(ReadMode.Lease);
        if (modes.Count > 0)
        {
            var mode = modes.Count == 2 ? modes[1] : modes[random.Next(modes.Count)]; // one mode asked for: always it
            o = o with { ReadMode = mode, ClockDrift = mode == ReadMode.Lease ? Math.Round(random.NextDouble() * 0.3, 3) : 0 };
        }
        if (features.HasFlag(TortureFeatures.CheckQuorum)) o = o with { CheckQuorum = true };
        if (features.HasFlag(TortureFeatures.LeaderStickiness)) o = o with { LeaderStickiness = true };
        if (features.HasFlag(TortureFeatures.Transfers) && profile.Mode == NemesisMode.Mixed) profile = profile.With(Fault.TransferLeadership, 4);
        if (features.HasFlag(TortureFeatures.Compaction)) o = o with { SnapshotThreshold = 3 + random.Next(18) };
        if (features.HasFlag(TortureFeatures.Membership) && profile.Mode == NemesisMode.Mixed)
            profile = profile.WithChurn(TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(600));
        if (profile.SnapshotThreshold is { } threshold) o = o with { SnapshotThreshold = threshold };
        if (profile.ReadMode is { } forced) o = o with { ReadMode = forced };
        if (profile.ClockDrift is { } drift) o = o with { ClockDrift = drift };
        if (profile.MinLatency is { } min) o = o with { MinLatency = min };
        if (profile.MaxLatency is { } max) o = o with { MaxLatency = max };
        if (profile.ClientAttemptTimeout is { } attempt) o = o with { ClientAttemptTimeout = attempt };
        return (o, profile);
    }

    /// <summary>The command line that runs this seed again.</summary>
    public static string Reproduce(TortureOptions options, int nodes)
    {
        var line = $"dotnet run --project RaftVisualizer.Torture -- --seed {options.Seed} --nodes {nodes} --broken {Flags(options.Broken)}";
        if (options.Features != TortureFeatures.None) line += $" --features {options.Features.ToString().Replace(", ", ",")}";
        if (options.Nemesis != NemesisMode.Auto) line += $" --nemesis {options.Nemesis}";
        if (options.Chaos != TortureOptions.DefaultChaos) line += $" --chaos {options.Chaos.TotalSeconds:0.###}";
        return line;
    }

    private static string Flags(BrokenRules broken) => broken.ToString().Replace(", ", ",");

    private static string Describe(Cluster c) => string.Join("; ", c.Nodes.Select(n => n.ToString()));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
