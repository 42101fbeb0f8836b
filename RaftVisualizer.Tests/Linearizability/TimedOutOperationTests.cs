using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

public class TimedOutOperationTests
{
    [Fact]
    public void Timed_out_write_may_have_happened()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Put(2, "x", "2", 2, null)
            .Get(3, "x", "2", 10, 11)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Timed_out_write_may_not_have_happened()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Put(2, "x", "2", 2, null)
            .Get(3, "x", "1", 10, 11)
            .Get(3, "x", "1", 12, 13)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Timed_out_write_cannot_take_effect_before_it_was_called()
    {
        var result = new HistoryBuilder()
            .Get(3, "x", "2", 0, 1)
            .Put(2, "x", "2", 2, null)
            .Check();

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
    }

    [Fact]
    public void Timed_out_write_seen_once_cannot_be_unseen_later()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Put(2, "x", "2", 2, null)
            .Get(3, "x", "2", 10, 11)
            .Get(3, "x", "1", 12, 13)
            .Check();

        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
    }

    [Fact]
    public void Timed_out_read_is_ignored()
    {
        var result = new HistoryBuilder()
            .Put(1, "x", "1", 0, 1)
            .Get(2, "x", "never written", 2, null)
            .Get(3, "x", "1", 10, 11)
            .Check();

        Assert.Equal(LinearizabilityVerdict.Linearizable, result.Verdict);
    }
}
