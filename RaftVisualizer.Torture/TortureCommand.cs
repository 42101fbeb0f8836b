using System.Diagnostics;
using System.Globalization;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Commands;
using RaftVisualizer.Core.Linearizability;
using RaftVisualizer.Core.Safety;
using RaftVisualizer.Core.Scenarios;
using RaftVisualizer.Core.Torture;

namespace RaftVisualizer.Torture;

/// <summary>
/// The torture run from the command line: many seeds on every core with a summary, or one seed in detail.
/// Exit code 0 when every seed passed, 1 when any failed, 2 for bad arguments.
/// </summary>
public static class TortureCommand
{
    private const string Usage = """
        Usage:
          dotnet run -c Release --project RaftVisualizer.Torture -- --seeds 10000 [--start 1] [--nodes 3..9]
              [--broken None|CommitPreviousTermByCounting|ForgetVotedForOnRestart|VoteWithoutUpToDateCheck|ReadsFromAnyNode|LeaseWithoutDriftBound]
              [--nemesis Auto|Mixed|VoterAmnesia|StaleCandidate|Figure8|StaleReads|LeaseDrift|Churn] [--chaos SECONDS]
              [--features None|All|ReadIndex,Lease,CheckQuorum,Transfers,LeaderStickiness,Membership,Compaction]
              [--parallel N] [--out torture-failures] [--show 10] [--progress auto|plain]
          dotnet run --project RaftVisualizer.Torture -- --seed N [same options]     one seed, in detail
        """;

    public static int Run(string[] args, TextWriter output)
    {
        Arguments parsed;
        try { parsed = Arguments.Parse(args); }
        catch (ArgumentException e)
        {
            output.WriteLine(e.Message);
            output.WriteLine(Usage);
            return 2;
        }
        if (parsed.Help)
        {
            output.WriteLine(Usage);
            return 0;
        }
        return parsed.Single is { } seed ? RunOne(parsed, seed, output) : RunMany(parsed, output);
    }

    private static TortureOptions OptionsFor(Arguments a, ulong seed) => new()
    {
        Seed = seed, Nodes = a.Nodes, Broken = a.Broken, Nemesis = a.Nemesis, Chaos = a.Chaos ?? TortureOptions.DefaultChaos,
        Features = a.Features,
    };

    private static int RunOne(Arguments a, ulong seed, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        var result = TortureRun.Run(OptionsFor(a, seed));
        watch.Stop();
        var o = result.ClusterOptions;
        output.WriteLine($"seed {seed}: {o.NodeCount} servers, broken rules: {o.Broken}, pre-vote {(o.PreVote ? "on" : "off")}, " +
            $"{o.MaxEntriesPerAppend} entries per AppendEntries, nemesis {result.Profile.Mode}");
        output.WriteLine($"  reads {o.ReadMode}, clock drift ±{o.ClockDrift:P0}, check-quorum {(o.CheckQuorum ? "on" : "off")}, " +
            $"vote guard {(o.LeaderStickiness || o.ReadMode == ReadMode.Lease ? "on" : "off")}, latency {o.MinLatency.TotalMilliseconds:0}–{o.MaxLatency.TotalMilliseconds:0} ms, " +
            $"snapshots {(o.SnapshotThreshold > 0 ? $"every {o.SnapshotThreshold} entries" : "off")}, membership churn {(result.Profile.ChurnInterval is null ? "off" : "on")}");
        output.WriteLine($"  {result.Profile.Story}");
        output.WriteLine($"faults ({result.NemesisLog.Count}):");
        foreach (var step in result.NemesisLog) output.WriteLine($"  {step}");
        var ops = result.Scenario.Commands.Count(x => x.Command is ClusterCommand.Submit);
        output.WriteLine($"{ops} client operations, {result.Steps:N0} simulation steps, {result.EndedAt.TotalSeconds:0.00} s simulated, " +
            $"{watch.Elapsed.TotalMilliseconds:0} ms of wall time");
        output.WriteLine($"safety monitor: {(result.FirstViolation is { } v ? $"VIOLATION {v}\n  {v.Property.Describe()}" : "every property held")}");
        if (result.History is { } h) output.WriteLine($"linearizability: {h.Verdict}: {h.Explanation}");
        if (result.History?.Counterexample is { Count: > 0 } counter)
        {
            output.WriteLine("counterexample:");
            foreach (var op in counter) output.WriteLine($"  {Describe(op)}");
        }
        output.WriteLine(result.Passed ? "PASSED" : $"FAILED {result.FailedCheck}: {result.Failure}");
        if (!result.Passed)
        {
            var path = Save(result, a.OutputFolder);
            output.WriteLine($"scenario saved to {path}; replay with Cluster.Replay(ScenarioJson.Load(path), until: {result.EndedAt})");
            output.WriteLine($"reproduce: {result.Reproduction}");
        }
        return result.Passed ? 0 : 1;
    }

    private static int RunMany(Arguments a, TextWriter output)
    {
        var parallel = a.Parallel ?? Environment.ProcessorCount;
        output.WriteLine($"torture: {a.Seeds} seeds from {a.Start}, nodes {(a.Nodes?.ToString(CultureInfo.InvariantCulture) ?? "3-5")}, " +
            $"broken {a.Broken}, nemesis {a.Nemesis}, features {a.Features}, on {parallel} cores");
        var failures = new List<TortureResult>();
        var undecided = 0;
        var done = 0L;
        var gate = new object();
        var display = a.PlainProgress ? new PlainProgressDisplay(output) : ProgressDisplay.For(output);
        var watch = Stopwatch.StartNew();
        display.Run(a.Seeds, report => Parallel.For(0L, a.Seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
        {
            var result = TortureRun.Run(OptionsFor(a, a.Start + (ulong)i));
            string? saved = result.Passed ? null : Save(result, a.OutputFolder);
            lock (gate)
            {
                done++;
                if (!result.Passed) failures.Add(result);
                if (result.History?.Verdict == LinearizabilityVerdict.Unknown) undecided++;
                if (saved is not null && failures.Count <= a.Show)
                    display.Note($"  FAIL seed {result.Seed} [{result.FailedCheck}] {Shorten(result.Failure)}\n       {result.Reproduction}");
                report(new TortureProgress(done, a.Seeds, failures.Count, watch.Elapsed));
            }
        }));
        watch.Stop();

        var minutes = watch.Elapsed.TotalMinutes;
        output.WriteLine();
        output.WriteLine($"seeds run: {done}   passed: {done - failures.Count}   failed: {failures.Count}   " +
            $"history undecided (checker budget): {undecided}");
        output.WriteLine($"wall time: {watch.Elapsed.TotalSeconds:0.0} s   {done / minutes:N0} seeds/minute on {parallel} cores");
        if (failures.Count > 0)
        {
            output.WriteLine("failures by check: " + string.Join(", ",
                failures.GroupBy(f => f.FailedCheck).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
            output.WriteLine($"first failures (scenarios in {a.OutputFolder}/):");
            foreach (var f in failures.OrderBy(f => f.Seed).Take(a.Show))
                output.WriteLine($"  seed {f.Seed} [{f.FailedCheck}] {Shorten(f.Failure)}\n    {f.Reproduction}");
        }
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Saves the failing scenario with the reproduction line and the verdict as notes; returns the path.</summary>
    public static string Save(TortureResult result, string folder)
    {
        var path = Path.Combine(folder, $"seed-{result.Seed}.json");
        var notes = new Dictionary<string, string>
        {
            ["reproduce"] = result.Reproduction,
            ["failedCheck"] = result.FailedCheck?.ToString() ?? "none",
            ["failure"] = result.Failure ?? "",
            ["replayUntil"] = result.EndedAt.ToString("c", CultureInfo.InvariantCulture),
            ["nemesis"] = result.Profile.Mode.ToString(),
        };
        ScenarioJson.Save(result.Scenario, path, notes);
        return path;
    }

    private static string Describe(KvHistoryOp op) =>
        $"#{op.Id} client {op.ClientId} {op.Kind} {op.Key}" + (op.Input is { } i ? $" \"{i}\"" : "") +
        (op.Kind == KvOpKind.Get ? $" -> {(op.Output is { } o ? $"\"{o}\"" : "absent")}" : "") +
        $"  [{TimeSpan.FromTicks(op.Call).TotalMilliseconds:0} ms, {(op.Return is { } r ? $"{TimeSpan.FromTicks(r).TotalMilliseconds:0} ms" : "open")}]";

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 160 ? text : text[..157] + "...";

    private sealed record Arguments
    {
        public ulong? Single { get; init; }
        public long Seeds { get; init; } = 100;
        public ulong Start { get; init; } = 1;
        public int? Nodes { get; init; }
        public BrokenRules Broken { get; init; }
        public NemesisMode Nemesis { get; init; } = NemesisMode.Auto;
        public TortureFeatures Features { get; init; }
        public TimeSpan? Chaos { get; init; }
        public int? Parallel { get; init; }
        public string OutputFolder { get; init; } = "torture-failures";
        public int Show { get; init; } = 10;
        public bool Help { get; init; }
        /// <summary>--progress plain: periodic lines even in a terminal.</summary>
        public bool PlainProgress { get; init; }

        public static Arguments Parse(string[] args)
        {
            var a = new Arguments();
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
                a = name switch
                {
                    "--seed" => a with { Single = ULong(name, Value()) },
                    "--seeds" => a with { Seeds = (long)ULong(name, Value(), min: 1) },
                    "--start" => a with { Start = ULong(name, Value()) },
                    "--nodes" => a with { Nodes = (int)ULong(name, Value(), min: 3, max: 9) },
                    "--broken" => a with { Broken = Enum<BrokenRules>(name, Value()) },
                    "--nemesis" => a with { Nemesis = Enum<NemesisMode>(name, Value()) },
                    "--features" => a with { Features = Enum<TortureFeatures>(name, Value()) },
                    "--chaos" => a with { Chaos = Seconds(name, Value()) },
                    "--parallel" => a with { Parallel = (int)ULong(name, Value(), min: 1, max: 1024) },
                    "--out" => a with { OutputFolder = Value() },
                    "--show" => a with { Show = (int)ULong(name, Value(), max: 10_000) },
                    "--progress" => a with { PlainProgress = Value() switch
                    {
                        "plain" => true,
                        "auto" => false,
                        var other => throw new ArgumentException($"--progress takes auto or plain; got \"{other}\"."),
                    } },
                    "--help" or "-h" => a with { Help = true },
                    _ => throw new ArgumentException($"Unknown option {name}."),
                };
            }
            return a;
        }

        private static ulong ULong(string name, string text, ulong min = 0, ulong max = ulong.MaxValue) =>
            ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v : throw new ArgumentException($"{name} takes a whole number from {min} to {max}; got \"{text}\".");

        private static TimeSpan Seconds(string name, string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 600
                ? TimeSpan.FromSeconds(s) : throw new ArgumentException($"{name} takes seconds between 0 and 600; got \"{text}\".");

        private static T Enum<T>(string name, string text) where T : struct, Enum =>
            System.Enum.TryParse<T>(text, ignoreCase: true, out var v) && !int.TryParse(text, out _)
                ? v : throw new ArgumentException($"{name} takes one of {string.Join(", ", System.Enum.GetNames<T>())}; got \"{text}\".");
    }
}
