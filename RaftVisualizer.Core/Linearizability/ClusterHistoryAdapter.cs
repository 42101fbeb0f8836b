namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Turns a cluster's client operations into the checker's history. Rejected operations never
/// entered the system and are dropped; a Get without a committed answer (timed out or still
/// running) tells nothing and is dropped; a write without one may or may not have happened and
/// is open-ended (Return null). Times are simulated ticks.
/// </summary>
public static class ClusterHistoryAdapter
{
    public static IReadOnlyList<KvHistoryOp> FromCluster(IEnumerable<ClientOperation> ops)
    {
        var history = new List<KvHistoryOp>();
        foreach (var op in ops)
        {
            if (Convert(op) is { } converted) history.Add(converted);
        }
        return history;
    }

    private static KvHistoryOp? Convert(ClientOperation op)
    {
        var command = op.Command;
        KvOpKind kind;
        switch (command.Kind)
        {
            case KvCommandKind.Get: kind = KvOpKind.Get; break;
            case KvCommandKind.Put: kind = KvOpKind.Put; break;
            case KvCommandKind.Append: kind = KvOpKind.Append; break;
            case KvCommandKind.Delete: kind = KvOpKind.Delete; break;
            default: return null;
        }
        var result = op.Result;
        if (result?.Status == KvStatus.Rejected) return null;
        var answered = result is { Status: KvStatus.Ok or KvStatus.NotFound } && op.CompletedAt is not null;
        if (!answered && kind == KvOpKind.Get) return null;

        var output = kind == KvOpKind.Get && result!.Status == KvStatus.Ok ? result.Value : null;
        var input = kind is KvOpKind.Put or KvOpKind.Append ? command.Value ?? "" : null;
        return new KvHistoryOp(checked((int)op.Id), checked((int)op.ClientId), kind, command.Key, input, output,
            op.InvokedAt.Ticks, answered ? op.CompletedAt!.Value.Ticks : null);
    }
}
