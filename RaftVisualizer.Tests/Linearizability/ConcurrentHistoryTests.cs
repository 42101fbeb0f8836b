using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

public class ConcurrentHistoryTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void Concurrent_writes_may_take_effect_in_either_order(string winner)
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 10)
            .Put(2, "x", "2", 1, 11)
            .Get(3, "x", winner, 12, 13)
            .Get(3, "x", winner, 14, 15)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Read_concurrent_with_write_may_see_old_or_new_value()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "old", 0, 1)
            .Put(1, "x", "new", 2, 10)
            .Get(2, "x", "old", 3, 4)
            .Get(3, "x", "new", 5, 6)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Reads_observing_contradicting_orders_are_not_linearizable()
    {
        // Both writes finish before either read starts, so the final value is fixed; the two reads
        // run one after the other and disagree about which write came last.
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 10)
            .Put(2, "x", "2", 1, 11)
            .Get(3, "x", "1", 12, 13)
            .Get(4, "x", "2", 14, 15)
            .Check();

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal("x", result.FailingKey);
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, LinearizabilityChecker.Check(result.Counterexample).Verdict);
        Assert.Contains("client 4 read \"2\"", result.Explanation);
    }

    [Fact]
    public void Concurrent_reads_observing_different_orders_of_overlapping_writes_are_linearizable()
    {
        // The reads overlap the writes, so each may fall between them.
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 10)
            .Put(2, "x", "2", 1, 11)
            .Get(3, "x", "1", 2, 9)
            .Get(4, "x", "2", 3, 12)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Operations_touching_in_time_count_as_concurrent()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 5)
            .Get(2, "x", null, 5, 6)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }
}
