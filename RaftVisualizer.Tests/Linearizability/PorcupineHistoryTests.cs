using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

/// <summary>The key/value histories published with Porcupine, whose verdicts are known.</summary>
public class PorcupineHistoryTests
{
    [Theory]
    [InlineData("c01-ok")]
    [InlineData("c10-ok")]
    [InlineData("c50-ok")]
    public void Linearizable_histories_pass(string name)
    {
        var result = LinearizabilityChecker.Check(Load(name));

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
        Assert.Null(result.FailingKey);
        Assert.Empty(result.Counterexample);
    }

    [Theory]
    [InlineData("c01-bad")]
    [InlineData("c10-bad")]
    [InlineData("c50-bad")]
    public void Non_linearizable_histories_fail_with_a_small_counterexample_that_fails_on_its_own(string name)
    {
        IReadOnlyList<KvHistoryOp> history = Load(name);

        var result = LinearizabilityChecker.Check(history);

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.NotNull(result.FailingKey);
        Assert.NotEmpty(result.Counterexample);
        Assert.InRange(result.Counterexample.Count, 1, 12);
        Assert.All(result.Counterexample, op => Assert.Equal(result.FailingKey, op.Key));
        Assert.All(result.Counterexample, op => Assert.Contains(op, history));
        Assert.StartsWith($"Key \"{result.FailingKey}\": client ", result.Explanation);

        var recheck = LinearizabilityChecker.Check(result.Counterexample);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, recheck.Verdict);
        Assert.Equal(result.FailingKey, recheck.FailingKey);
    }

    [Fact]
    public void Parses_every_event_of_the_largest_history()
    {
        IReadOnlyList<KvHistoryOp> history = Load("c50-ok");

        Assert.Equal(1712, history.Count);
        Assert.All(history, op => Assert.NotNull(op.Return));
        Assert.Equal(Enumerable.Range(0, history.Count), history.Select(op => op.Id));
    }

    [Fact]
    public void Zero_budget_gives_unknown()
    {
        var result = LinearizabilityChecker.Check(Load("c50-ok"), TimeSpan.Zero);

        Assert.Equal(LinearizabilityVerdict.Unknown, result.Verdict);
        Assert.Empty(result.Counterexample);
    }

    internal static IReadOnlyList<KvHistoryOp> Load(string name) =>
        JepsenKvHistoryParser.Parse(File.ReadAllText(Path.Combine(SharedData.Find("porcupine-kv"), name + ".txt")));
}
