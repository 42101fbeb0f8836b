using System.Diagnostics;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Events;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Torture;
using Xunit.Abstractions;

namespace RaftVisualizer.Tests.Torture;

/// <summary>The fault-injection torture: correct Raft survives hundreds of seeds, and each broken rule is caught.</summary>
public class TortureTests(ITestOutputHelper output)
{
    private const int Seeds = 300;
    private const int BrokenRuleSeedLimit = 200;

    [Fact]
    public void Three_hundred_seeds_of_faults_break_no_safety_property_and_every_history_is_linearizable()
    {
        var watch = Stopwatch.StartNew();
        var results = new TortureResult[Seeds];
        Parallel.For(0, Seeds, i => results[i] = TortureRun.Run(new TortureOptions { Seed = (ulong)i + 1 }));
        watch.Stop();

        var failed = results.Where(r => !r.Passed).ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed.Take(5).Select(f => $"{f}\n  {f.Reproduction}")));
        Assert.All(results, r => Assert.Equal(LinearizabilityVerdict.Linearizable, r.History!.Verdict));
        // the torture must really torture: every kind of fault happened, clients did real work, and sizes 3 to 5 ran
        var faults = results.SelectMany(r => r.NemesisLog).Select(s => s.Fault).ToHashSet();
        foreach (var kind in new[] { Fault.PartitionHalves, Fault.IsolateLeader, Fault.MajorityRing, Fault.OneWayCut, Fault.CrashMajority,
                     Fault.RestartAll, Fault.BounceNode, Fault.Loss, Fault.Duplication, Fault.LongDelays, Fault.CompetingElections })
            Assert.Contains(kind, faults);
        Assert.Equal(new[] { 3, 4, 5 }, results.Select(r => r.ClusterOptions.NodeCount).Distinct().Order());
        var completed = results.Sum(r => r.History!.Verdict == LinearizabilityVerdict.Linearizable ? r.Operations : 0);
        Assert.True(completed > Seeds * 10, $"only {completed} client operations in {Seeds} seeds");
        output.WriteLine($"{Seeds} seeds passed in {watch.Elapsed.TotalSeconds:0.0} s ({Seeds / watch.Elapsed.TotalMinutes:N0} seeds/min); " +
            $"{completed} client operations, {results.Sum(r => r.NemesisLog.Count)} faults");
    }

    [Theory]
    [InlineData(NemesisMode.VoterAmnesia)]
    [InlineData(NemesisMode.StaleCandidate)]
    [InlineData(NemesisMode.Figure8)]
    [InlineData(NemesisMode.StaleReads)]
    [InlineData(NemesisMode.LeaseDrift)]
    [InlineData(NemesisMode.Churn)]
    public void Correct_raft_survives_every_targeted_nemesis(NemesisMode mode)
    {
        var results = new TortureResult[60];
        Parallel.For(0, results.Length, i => results[i] = TortureRun.Run(new TortureOptions { Seed = (ulong)i + 1, Nemesis = mode }));
        Assert.All(results, r => Assert.True(r.Passed, $"{r}\n  {r.Reproduction}"));
        Assert.All(results, r => Assert.Equal(mode, r.Profile.Mode));
        Assert.Contains("--nemesis " + mode, results[0].Reproduction);
    }

    public static TheoryData<BrokenRules, TortureCheck, SafetyProperty[]> BrokenRulesAndTheirCatchers => new()
    {
        { BrokenRules.CommitPreviousTermByCounting, TortureCheck.Safety, [SafetyProperty.LeaderCompleteness, SafetyProperty.StateMachineSafety] },
        { BrokenRules.ForgetVotedForOnRestart, TortureCheck.Safety, [SafetyProperty.OneVotePerTerm] },
        { BrokenRules.VoteWithoutUpToDateCheck, TortureCheck.Safety, [SafetyProperty.LeaderCompleteness] },
        { BrokenRules.ReadsFromAnyNode, TortureCheck.Linearizability, [] },
        { BrokenRules.LeaseWithoutDriftBound, TortureCheck.Linearizability, [] },
    };

    [Theory]
    [MemberData(nameof(BrokenRulesAndTheirCatchers))]
    public void A_broken_rule_is_caught_within_two_hundred_seeds_by_the_right_checker(BrokenRules rule, TortureCheck catcher, SafetyProperty[] properties)
    {
        var first = FirstFailure(rule);
        Assert.True(first is not null, $"{rule} survived {BrokenRuleSeedLimit} seeds of the {NemesisProfile.Resolve(NemesisMode.Auto, rule)} nemesis");
        output.WriteLine($"{rule}: first caught at seed {first.Seed} by {first.FailedCheck}: {first.Failure}");
        output.WriteLine($"  {first.Reproduction}");
        Assert.Equal(catcher, first.FailedCheck);
        if (catcher == TortureCheck.Safety)
        {
            Assert.Contains(first.FirstViolation!.Property, properties);
            Assert.Equal(first.FirstViolation.ToString(), first.Failure);
        }
        else
        {
            Assert.True(first.FirstViolation is null, "a stale read breaks no Raft log property, only linearizability");
            Assert.Equal(LinearizabilityVerdict.NotLinearizable, first.History!.Verdict);
            Assert.NotEmpty(first.History.Counterexample);
            Assert.Contains(first.History.Counterexample, op => op.Kind == KvOpKind.Get);
        }
        Assert.Contains($"--seed {first.Seed} ", first.Reproduction);
        Assert.Contains($"--broken {rule}", first.Reproduction);
    }

    public static TheoryData<TortureFeatures> FeatureSets => new()
    {
        TortureFeatures.ReadIndex, TortureFeatures.Lease, TortureFeatures.CheckQuorum, TortureFeatures.Transfers,
        TortureFeatures.LeaderStickiness, TortureFeatures.Membership, TortureFeatures.Compaction, TortureFeatures.All,
    };

    [Theory]
    [MemberData(nameof(FeatureSets))]
    public void Correct_raft_survives_the_mixed_nemesis_with_each_feature_on(TortureFeatures features)
    {
        var results = new TortureResult[features == TortureFeatures.All ? 200 : 80];
        Parallel.For(0, results.Length, i => results[i] = TortureRun.Run(new TortureOptions { Seed = (ulong)i + 1, Features = features }));
        Assert.All(results, r => Assert.True(r.Passed, $"{r}\n  {r.Reproduction}"));
        Assert.All(results, r => Assert.Equal(LinearizabilityVerdict.Linearizable, r.History!.Verdict));
        Assert.Contains($"--features {features.ToString().Replace(", ", ",")}", results[0].Reproduction);
        var options = results.Select(r => r.ClusterOptions).ToArray();
        if (features.HasFlag(TortureFeatures.ReadIndex)) Assert.Contains(options, o => o.ReadMode == ReadMode.ReadIndex);
        if (features.HasFlag(TortureFeatures.Lease)) Assert.Contains(options, o => o.ReadMode == ReadMode.Lease && o.ClockDrift > 0);
        if (features == TortureFeatures.All) Assert.Contains(options, o => o.ReadMode == ReadMode.Log);
        Assert.All(options, o => Assert.Equal(features.HasFlag(TortureFeatures.CheckQuorum), o.CheckQuorum));
        foreach (var r in results.Where(r => r.ClusterOptions.ReadMode != ReadMode.Log).Take(10))
        {
            TortureRun.Run(r.Options, out var cluster);
            Assert.DoesNotContain(cluster.Events.OfType<EntryAppended>(), e => e.Entry.Command.Kind == KvCommandKind.Get);
            Assert.Contains(cluster.Events.OfType<ClientRequestAnswered>(), a => a.Command.Kind == KvCommandKind.Get && a.Result.Status != KvStatus.Timeout);
        }
        if (features.HasFlag(TortureFeatures.Transfers))
            Assert.Contains(results.SelectMany(r => r.NemesisLog), s => s.Fault == Fault.TransferLeadership);
        Assert.All(options, o => Assert.Equal(features.HasFlag(TortureFeatures.Compaction), o.SnapshotThreshold is >= 3 and <= 20));
        Assert.Equal(features.HasFlag(TortureFeatures.Membership), results.Any(r => r.NemesisLog.Any(s => s.Fault == Fault.AddServer)));
        output.WriteLine($"{features}: {results.Length} seeds, {results.Sum(r => r.Operations)} operations, " +
            $"{results.SelectMany(r => r.NemesisLog).Count(s => s.Fault == Fault.TransferLeadership)} transfers asked");
    }

    private const int ChurnSeeds = 300;

    [Fact]
    public void Three_hundred_seeds_of_membership_churn_on_compacting_clusters_break_nothing_and_every_history_is_linearizable()
    {
        var watch = Stopwatch.StartNew();
        var results = new TortureResult[ChurnSeeds];
        Parallel.For(0, ChurnSeeds, i => results[i] = TortureRun.Run(new TortureOptions
        {
            Seed = (ulong)i + 1, Features = TortureFeatures.Membership | TortureFeatures.Compaction,
        }));
        watch.Stop();

        var failed = results.Where(r => !r.Passed).ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed.Take(5).Select(f => $"{f}\n  {f.Reproduction}")));
        Assert.All(results, r => Assert.Equal(LinearizabilityVerdict.Linearizable, r.History!.Verdict));
        Assert.Contains("--features Membership,Compaction", results[0].Reproduction);
        // the churn really churned: servers joined and left (the leader too), refusals happened and were accepted
        var steps = results.SelectMany(r => r.NemesisLog).ToArray();
        var done = steps.Where(s => !s.Description.Contains("refused")).ToArray();
        var adds = done.Count(s => s.Fault == Fault.AddServer);
        var removals = done.Count(s => s.Fault == Fault.RemoveServer);
        var leaderRemovals = done.Count(s => s.Fault == Fault.RemoveLeader);
        Assert.True(adds > ChurnSeeds / 2, $"only {adds} servers added");
        Assert.True(removals > ChurnSeeds / 3, $"only {removals} servers removed");
        Assert.True(leaderRemovals > 10, $"only {leaderRemovals} leaders removed");
        Assert.Contains(steps, s => s.Description.Contains("refused"));
        Assert.Contains(results, r => r.Scenario.Commands.Count(c => c.Command is ClusterCommand.AddServer) + r.ClusterOptions.NodeCount == Configuration.MaxServers);
        var completed = results.Sum(r => r.Operations);
        Assert.True(completed > ChurnSeeds * 10, $"only {completed} client operations in {ChurnSeeds} seeds");

        // what the safety monitor watched: snapshots taken and installed, servers promoted, removed servers left out at the end
        var (snapshots, installs, promotions, removedAtEnd) = (0, 0, 0, 0);
        foreach (var r in results.Take(40))
        {
            TortureRun.Run(r.Options, out var cluster);
            snapshots += cluster.Events.Count(e => e is SnapshotTaken);
            installs += cluster.Events.Count(e => e is SnapshotInstalled);
            promotions += cluster.Events.Count(e => e is ConfigurationChanged { Cause.Source: ConfigSource.LearnerCaughtUp } c && c.Node == cluster.Leader);
            removedAtEnd += cluster.Nodes.Count(n => n.Membership == Membership.Removed);
        }
        Assert.True(snapshots > 200, $"only {snapshots} snapshots in 40 seeds");
        Assert.True(installs > 10, $"only {installs} snapshots installed in 40 seeds");
        Assert.True(promotions > 10, $"only {promotions} learners promoted in 40 seeds");
        Assert.True(removedAtEnd > 10, $"only {removedAtEnd} servers removed at the end of 40 seeds");
        output.WriteLine($"{ChurnSeeds} churn seeds passed in {watch.Elapsed.TotalSeconds:0.0} s: {adds} adds, {removals} removals, " +
            $"{leaderRemovals} leader removals, {steps.Length - done.Length} refusals, {completed} client operations; in 40 seeds " +
            $"{snapshots} snapshots, {installs} installed, {promotions} promotions, {removedAtEnd} removed at the end");
    }

    public static TheoryData<BrokenRules> EveryBrokenRule => new(Enum.GetValues<BrokenRules>().Where(b => b != BrokenRules.None));

    [Theory]
    [MemberData(nameof(EveryBrokenRule))]
    public void A_broken_rule_is_still_caught_on_compacting_clusters_with_membership_churn(BrokenRules rule)
    {
        var features = TortureFeatures.Membership | TortureFeatures.Compaction;
        var first = FirstFailure(rule, features);
        Assert.True(first is not null, $"{rule} survived {BrokenRuleSeedLimit} seeds with {features}");
        output.WriteLine($"{rule} with {features}: first caught at seed {first.Seed} by {first.FailedCheck}: {first.Failure}");
        var (catcher, properties) = BrokenRulesAndTheirCatchers.Select(row => ((BrokenRules)row[0], (TortureCheck)row[1], (SafetyProperty[])row[2]))
            .Where(row => row.Item1 == rule).Select(row => (row.Item2, row.Item3)).Single();
        Assert.Equal(catcher, first.FailedCheck);
        if (catcher == TortureCheck.Safety) Assert.Contains(first.FirstViolation!.Property, properties);
        Assert.True(first.ClusterOptions.SnapshotThreshold > 0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_verdict_and_the_same_scenario()
    {
        var a = TortureRun.Run(new TortureOptions { Seed = 42 });
        var b = TortureRun.Run(new TortureOptions { Seed = 42 });
        Assert.Equal(ScenarioJson.Serialize(a.Scenario), ScenarioJson.Serialize(b.Scenario));
        Assert.Equal(a.NemesisLog, b.NemesisLog);
        Assert.NotEqual(ScenarioJson.Serialize(a.Scenario), ScenarioJson.Serialize(TortureRun.Run(new TortureOptions { Seed = 43 }).Scenario));
    }

    [Fact]
    public void Giving_the_node_count_that_the_seed_would_draw_changes_nothing()
    {
        var drawn = TortureRun.Run(new TortureOptions { Seed = 7 });
        var given = TortureRun.Run(new TortureOptions { Seed = 7, Nodes = drawn.ClusterOptions.NodeCount });
        Assert.Equal(ScenarioJson.Serialize(drawn.Scenario), ScenarioJson.Serialize(given.Scenario));
        Assert.Equal($"dotnet run --project RaftVisualizer.Torture -- --seed 7 --nodes {drawn.ClusterOptions.NodeCount} --broken None", given.Reproduction);
    }

    [Fact]
    public void A_saved_failing_scenario_replays_to_the_same_event_stream_and_the_same_violation()
    {
        var first = FirstFailure(BrokenRules.VoteWithoutUpToDateCheck)!;
        TortureRun.Run(first.Options, out var original);
        var path = Path.Combine(Path.GetTempPath(), $"rv-torture-{Guid.NewGuid():N}", $"seed-{first.Seed}.json");
        try
        {
            ScenarioJson.Save(first.Scenario, path, new Dictionary<string, string> { ["reproduce"] = first.Reproduction });
            Assert.Contains(first.Reproduction, File.ReadAllText(path));
            var loaded = ScenarioJson.Load(path);
            Assert.Equal(first.ClusterOptions, loaded.Options);

            var replay = Cluster.Replay(loaded, first.EndedAt);
            Assert.Equal(original.Events.Count, replay.Events.Count);
            Assert.Equal(original.Events.Select(e => e.ToString()), replay.Events.Select(e => e.ToString()));
            Assert.Equal(first.FirstViolation, replay.Safety.FirstViolation);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private static TortureResult? FirstFailure(BrokenRules rule, TortureFeatures features = TortureFeatures.None)
    {
        for (ulong seed = 1; seed <= BrokenRuleSeedLimit; seed++)
        {
            var result = TortureRun.Run(new TortureOptions { Seed = seed, Broken = rule, Features = features });
            if (!result.Passed) return result;
        }
        return null;
    }
}
