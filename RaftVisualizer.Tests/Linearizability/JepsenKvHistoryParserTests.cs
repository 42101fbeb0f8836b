using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

public class JepsenKvHistoryParserTests
{
    [Fact]
    public void Pairs_invocations_with_completions_using_line_numbers_as_times()
    {
        const string text = """
            {:process 3, :type :invoke, :f :append, :key "2", :value "x 3 1 y"}
            {:process 1, :type :invoke, :f :get, :key "2", :value nil}
            {:process 3, :type :ok, :f :append, :key "2", :value "x 3 1 y"}
            {:process 1, :type :ok, :f :get, :key "2", :value "x 3 1 y"}
            {:process 4, :type :invoke, :f :get, :key "a, b", :value nil}
            {:process 4, :type :ok, :f :get, :key "a, b", :value nil}
            """;

        IReadOnlyList<KvHistoryOp> ops = JepsenKvHistoryParser.Parse(text);

        Assert.Equal(
            [
                new KvHistoryOp(0, 3, KvOpKind.Append, "2", "x 3 1 y", null, 1, 3),
                new KvHistoryOp(1, 1, KvOpKind.Get, "2", null, "x 3 1 y", 2, 4),
                new KvHistoryOp(2, 4, KvOpKind.Get, "a, b", null, null, 5, 6),
            ],
            ops);
    }

    [Fact]
    public void Info_and_missing_completions_are_open_ended_and_failures_are_dropped()
    {
        const string text = """
            {:process 1, :type :invoke, :f :put, :key "k", :value "a"}
            {:process 2, :type :invoke, :f :put, :key "k", :value "b"}
            {:process 3, :type :invoke, :f :put, :key "k", :value "c"}
            {:process 1, :type :info, :f :put, :key "k", :value "a"}
            {:process 2, :type :fail, :f :put, :key "k", :value "b"}
            """;

        IReadOnlyList<KvHistoryOp> ops = JepsenKvHistoryParser.Parse(text);

        Assert.Equal(
            [
                new KvHistoryOp(0, 1, KvOpKind.Put, "k", "a", null, 1, null),
                new KvHistoryOp(1, 3, KvOpKind.Put, "k", "c", null, 3, null),
            ],
            ops);
    }

    [Fact]
    public void Rejects_a_completion_without_invocation()
    {
        Assert.Throws<FormatException>(() => JepsenKvHistoryParser.Parse("{:process 1, :type :ok, :f :get, :key \"k\", :value nil}"));
    }
}
