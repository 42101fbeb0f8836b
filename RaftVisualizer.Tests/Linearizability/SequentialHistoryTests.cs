using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

public class SequentialHistoryTests
{
    [Fact]
    public void Put_then_get_sees_the_value()
    {
        var result = new HistoryBuilder()
            .Get(1, "x", null, 0, 1)
            .Put(1, "x", "1", 2, 3)
            .Get(2, "x", "1", 4, 5)
            .Put(2, "x", "2", 6, 7)
            .Get(1, "x", "2", 8, 9)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
        Assert.Empty(result.Counterexample);
    }

    [Fact]
    public void Stale_read_after_completed_write_is_not_linearizable()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Put(1, "x", "2", 2, 3)
            .Get(2, "x", "1", 4, 5)
            .Check();

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal("x", result.FailingKey);
        Assert.Equal([0, 1, 2], result.Counterexample.Select(op => op.Id));
        Assert.Contains("client 2 read \"1\"", result.Explanation);
        Assert.Contains("held \"2\"", result.Explanation);
    }

    [Fact]
    public void Read_of_a_value_never_written_is_not_linearizable()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Get(2, "x", "42", 2, 3)
            .Put(1, "y", "42", 4, 5)
            .Check();

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal("x", result.FailingKey);
        Assert.Equal([1], result.Counterexample.Select(op => op.Id));
        Assert.Contains("no write to \"x\" could have produced", result.Explanation);
    }

    [Fact]
    public void Delete_then_get_sees_absent_key()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Delete(1, "x", 2, 3)
            .Get(2, "x", null, 4, 5)
            .Get(2, "x", "", 6, 7)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Get_after_delete_seeing_old_value_is_not_linearizable()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Delete(1, "x", 2, 3)
            .Get(2, "x", "1", 4, 5)
            .Check();

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal(3, result.Counterexample.Count);
    }

    [Fact]
    public void Append_concatenates_onto_current_value()
    {
        var result = new HistoryBuilder()
            .Append(1, "x", "a", 0, 1)
            .Get(2, "x", "a", 2, 3)
            .Append(1, "x", "b", 4, 5)
            .Get(2, "x", "ab", 6, 7)
            .Put(1, "x", "c", 8, 9)
            .Append(1, "x", "d", 10, 11)
            .Get(2, "x", "cd", 12, 13)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Append_in_the_wrong_order_is_not_linearizable()
    {
        var result = new HistoryBuilder()
            .Append(1, "x", "a", 0, 1)
            .Append(1, "x", "b", 2, 3)
            .Get(2, "x", "ba", 4, 5)
            .Check();

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Equal(3, result.Counterexample.Count);
    }

    [Fact]
    public void Keys_are_independent()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Put(1, "y", "2", 2, 3)
            .Get(2, "x", "1", 4, 5)
            .Get(2, "y", "2", 4, 5)
            .Get(2, "z", null, 6, 7)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }
}
