using RaftVisualizer.Core.Linearizability;

namespace RaftVisualizer.Tests.Linearizability;

/// <summary>Terse construction of hand-made histories for tests; ids are assigned in order.</summary>
internal sealed class HistoryBuilder
{
    private readonly List<KvHistoryOp> _ops = [];

    public IReadOnlyList<KvHistoryOp> Ops => _ops;

    public HistoryBuilder Put(int client, string key, string value, long call, long? ret) =>
        Add(client, KvOpKind.Put, key, value, null, call, ret);

    public HistoryBuilder Append(int client, string key, string value, long call, long? ret) =>
        Add(client, KvOpKind.Append, key, value, null, call, ret);

    public HistoryBuilder Delete(int client, string key, long call, long? ret) =>
        Add(client, KvOpKind.Delete, key, null, null, call, ret);

    /// <summary>A read that returned <paramref name="value"/> (null = key absent).</summary>
    public HistoryBuilder Get(int client, string key, string? value, long call, long? ret) =>
        Add(client, KvOpKind.Get, key, null, value, call, ret);

    public LinearizabilityResult Check() => LinearizabilityChecker.Check(_ops);

    private HistoryBuilder Add(int client, KvOpKind kind, string key, string? input, string? output, long call, long? ret)
    {
        _ops.Add(new KvHistoryOp(_ops.Count, client, kind, key, input, output, call, ret));
        return this;
    }
}
